import { parse } from 'csv-parse/sync'
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { eventRegistrations, events } from '#db/schema/events.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { SEAT_STATUSES } from './registrations.server.ts'

/** Registrations that hold or held a seat: attendance is taken on these, never on the waitlist. */
type SeatStatus = (typeof SEAT_STATUSES)[number]

export type AttendanceEvent = Pick<
  typeof events.$inferSelect,
  'id' | 'title' | 'startsAt' | 'endsAt' | 'timeZone' | 'status'
>

export type Registrant = {
  userId: number
  displayName: string
  email: string
  accountName: string | null
  status: SeatStatus
  attendanceMarkedAt: Date | null
}

const eventColumns = {
  id: events.id,
  title: events.title,
  startsAt: events.startsAt,
  endsAt: events.endsAt,
  timeZone: events.timeZone,
  status: events.status,
}

/** The few columns of an event that attendance, the survey and the results need; null when absent. */
export async function loadFollowupEvent(db: Db, eventId: number): Promise<AttendanceEvent | null> {
  const [event] = await db.select(eventColumns).from(events).where(eq(events.id, eventId))
  return event ?? null
}

/** Why attendance cannot be taken now, if it cannot: a cancelled event has none, and nobody has
 *  attended an event that has not started. */
function attendanceClosed(event: AttendanceEvent, now: Date) {
  if (event.status === 'cancelled') return fail(409, 'events_followup.event_cancelled')
  if (event.startsAt > now) return fail(409, 'events_followup.not_started')
  return null
}

/** The attendance checklist of an event (staff): the event and everyone who holds or held a seat
 *  (registered, attended, no-show), by name. `open` says whether attendance can be taken yet. */
export async function listAttendance(
  db: Db,
  { actor, eventId, now = new Date() }: { actor: SessionUser; eventId: number; now?: Date },
): Promise<Outcome<{ event: AttendanceEvent; open: boolean; registrants: Registrant[] }>> {
  if (!can(actor, 'events.manage')) return fail(403, 'errors.forbidden')
  const event = await loadFollowupEvent(db, eventId)
  if (!event) return fail(404, 'errors.not_found')
  const registrants = await db
    .select({
      userId: eventRegistrations.userId,
      displayName: users.displayName,
      email: users.email,
      accountName: accounts.name,
      status: sql<SeatStatus>`${eventRegistrations.status}`,
      attendanceMarkedAt: eventRegistrations.attendanceMarkedAt,
    })
    .from(eventRegistrations)
    .innerJoin(users, eq(users.id, eventRegistrations.userId))
    .leftJoin(accounts, eq(accounts.id, users.accountId))
    .where(and(eq(eventRegistrations.eventId, eventId), inArray(eventRegistrations.status, SEAT_STATUSES)))
    .orderBy(asc(users.displayName), asc(users.id))
  return ok({ event, open: attendanceClosed(event, now) === null, registrants })
}

type Seat = { userId: number; accountId: number | null; status: SeatStatus }

/** Locks the seats of the given members, so two staff members saving at once apply one after the other. */
async function lockSeats(tx: Db, eventId: number, userIds: number[]): Promise<Seat[]> {
  if (userIds.length === 0) return []
  return tx
    .select({
      userId: eventRegistrations.userId,
      accountId: users.accountId,
      status: sql<SeatStatus>`${eventRegistrations.status}`,
    })
    .from(eventRegistrations)
    .innerJoin(users, eq(users.id, eventRegistrations.userId))
    .where(
      and(
        eq(eventRegistrations.eventId, eventId),
        inArray(eventRegistrations.userId, userIds),
        inArray(eventRegistrations.status, SEAT_STATUSES),
      ),
    )
    .for('update', { of: eventRegistrations })
}

/** Sets seats to attended or no-show, stamps when, and credits `event_attended` in the ledger. The
 *  ledger key is per event and member (recordActivity's default), so marking again, or after a
 *  correction, never counts twice. The signal is dated at the event's start, when it happened. */
async function setAttendance(
  tx: Db,
  event: AttendanceEvent,
  seats: Seat[],
  status: 'attended' | 'no_show',
  now: Date,
): Promise<number> {
  const changing = seats.filter((seat) => seat.status !== status)
  if (changing.length === 0) return 0
  await tx
    .update(eventRegistrations)
    .set({ status, attendanceMarkedAt: now, updatedAt: now })
    .where(
      and(
        eq(eventRegistrations.eventId, event.id),
        inArray(
          eventRegistrations.userId,
          changing.map((seat) => seat.userId),
        ),
        ne(eventRegistrations.status, status),
      ),
    )
  if (status === 'attended') {
    for (const seat of changing) {
      await recordActivity(tx, {
        type: 'event_attended',
        user: { id: seat.userId, accountId: seat.accountId },
        subject: { type: 'event', id: event.id },
        occurredAt: event.startsAt,
      })
    }
  }
  return changing.length
}

export type AttendanceMark = { userId: number; attended: boolean }

/** Staff mark members attended or no-show, once the event has started (409 before, and for a
 *  cancelled event). Only seats count: marks for members on the waitlist, cancelled or not registered
 *  are skipped and counted. A mark that changes nothing is left alone, so its time stays. Audited. */
export async function markAttendance(
  db: Db,
  {
    actor,
    eventId,
    marks,
    now = new Date(),
  }: { actor: SessionUser; eventId: number; marks: AttendanceMark[]; now?: Date },
): Promise<Outcome<{ attended: number; noShow: number; unchanged: number; skipped: number }>> {
  if (!can(actor, 'events.manage')) return fail(403, 'errors.forbidden')
  const event = await loadFollowupEvent(db, eventId)
  if (!event) return fail(404, 'errors.not_found')
  const closed = attendanceClosed(event, now)
  if (closed) return closed

  // The last mark of a member wins, as it would on a form.
  const wanted = new Map(marks.map((mark) => [mark.userId, mark.attended]))
  return db.transaction(async (tx) => {
    const seats = await lockSeats(tx, eventId, [...wanted.keys()])
    const attended = await setAttendance(
      tx,
      event,
      seats.filter((seat) => wanted.get(seat.userId)),
      'attended',
      now,
    )
    const noShow = await setAttendance(
      tx,
      event,
      seats.filter((seat) => !wanted.get(seat.userId)),
      'no_show',
      now,
    )
    if (attended + noShow > 0) {
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: 'event.attendance_marked',
        targetType: 'event',
        targetId: eventId,
        details: { attended, noShow },
      })
    }
    return ok({
      attended,
      noShow,
      unchanged: seats.length - attended - noShow,
      skipped: wanted.size - seats.length,
    })
  })
}

export type UnmatchedReason = 'unknown_email' | 'not_registered' | 'invalid'
export type AttendanceImportReport = {
  /** Registrants marked attended by this import. */
  matched: number
  /** Registrants in the file who were already marked attended. */
  alreadyMarked: number
  /** Rows the file itself says did not attend (an "Attended: No" column), left unmarked. */
  absent: number
  unmatched: { line: number; value: string; reason: UnmatchedReason }[]
}

type CsvRow = { line: number; cells: string[] }

/** Webinar tools export comma- or tab-separated files (Microsoft Teams writes tabs); the separator that
 *  occurs more often in the first lines is the one. */
function delimiterOf(text: string): string {
  const head = text.slice(0, 4096)
  return (head.match(/\t/g)?.length ?? 0) > (head.match(/,/g)?.length ?? 0) ? '\t' : ','
}

/** The file's rows with their line numbers. Cells are NFKC-folded, so full-width text typed in Japanese
 *  spreadsheets ("ａｂｃ＠例.jp") reads as the address it means. */
function readRows(text: string): CsvRow[] | { unreadableAt: number } {
  try {
    return (
      parse(text.replace(/^\uFEFF/, ''), {
        delimiter: delimiterOf(text),
        skip_empty_lines: true,
        relax_column_count: true,
        relax_quotes: true,
        trim: true,
        info: true,
      }) as unknown as { record: string[]; info: { lines: number } }[]
    ).map(({ record, info }) => ({ line: info.lines, cells: record.map((cell) => cell.normalize('NFKC')) }))
  } catch (error) {
    return { unreadableAt: (error as { lines?: number }).lines ?? 1 }
  }
}

/** Header text compared without case, spaces or punctuation: "E-mail Address" → "emailaddress". */
function headerKey(cell: string): string {
  return cell.toLowerCase().replace(/[\s_\-.:()/]/g, '')
}

const EMAIL_HEADER = /^(?:e?mail|e?mailaddress|eメール|eメールアドレス|メール|メールアドレス)$/
/** "Attendee Email", "参加者のメールアドレス": the prefixes webinar tools and forms put before the name. */
const PREFIXED_EMAIL_HEADER =
  /^(?:attendee|participant|registrant|user|member|contact|work|business|参加者の?|登録者の?|連絡先|ユーザーの?)(?:e?mail|e?mailaddress|eメール|eメールアドレス|メール|メールアドレス)$/

/** The email column of a header row: an exact name first ("Email", "メールアドレス"), else, unless
 *  `exactOnly`, a prefixed one ("Attendee Email"). */
function emailColumnOf(cells: string[], exactOnly = false): number {
  const keys = cells.map(headerKey)
  const exact = keys.findIndex((key) => EMAIL_HEADER.test(key))
  if (exact >= 0 || exactOnly) return exact
  return keys.findIndex((key) => PREFIXED_EMAIL_HEADER.test(key))
}

const attendedHeaders = new Set(['attended', '出席', '参加', '出欠', '出席状況', '参加状況'])
const saysAbsent = /^(no|n|false|0|いいえ|欠席|不参加|未参加)$/

/** Rows of a header-less file carry the address in their first cell with an @. A header row has no @
 *  and names an email column; rows before the first header (a report's title lines) are not data. */
function attendeeRows(rows: CsvRow[]) {
  const isHeader = (row: CsvRow, exactOnly = false) =>
    !row.cells.some((cell) => cell.includes('@')) && emailColumnOf(row.cells, exactOnly) >= 0
  const firstHeader = rows.findIndex((row) => isHeader(row))
  let emailColumn = -1
  let attendedColumn = -1
  const result: { line: number; cell: string; text: string; absent: boolean }[] = []
  for (const [index, row] of rows.entries()) {
    if (index < firstHeader) continue
    // Reports with several sections (host, panelists, attendees) repeat their header per section. Past
    // the first header only exact names count, so a data row such as "Guest without email" stays data.
    if (index === firstHeader || (firstHeader >= 0 && isHeader(row, true))) {
      emailColumn = emailColumnOf(row.cells)
      attendedColumn = row.cells.findIndex((cell) => attendedHeaders.has(headerKey(cell)))
      continue
    }
    const column = emailColumn >= 0 ? emailColumn : row.cells.findIndex((cell) => cell.includes('@'))
    const attendedCell = attendedColumn >= 0 ? headerKey(row.cells[attendedColumn] ?? '') : ''
    result.push({
      line: row.line,
      cell: row.cells[column] ?? '',
      text: row.cells.filter(Boolean).join(', '),
      absent: saysAbsent.test(attendedCell),
    })
  }
  return result
}

const EMAIL_PATTERN = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]+$/

/** The address in a cell, lower-cased, with "Name <a@b.c>" or "mailto:a@b.c" reduced to the address.
 *  Null when it is not an address. */
function emailIn(cell: string): string | null {
  let value = cell.trim()
  value = value.match(/<([^<>]+)>\s*$/)?.[1] ?? value
  value = value.replace(/^mailto:/i, '').toLowerCase()
  return value.length <= 254 && EMAIL_PATTERN.test(value) ? value : null
}

function shown(text: string): string {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text
}

/** Marks attended every registrant whose email is in a CSV exported from a webinar tool. The email
 *  column is found by its header ("Email", "Attendee Email", "メールアドレス" …) or, without one, as each
 *  row's first cell with an @. Emails match case-insensitively; a registrant named twice counts once.
 *  Rows that match nobody are reported by line: an address no member has, a member without a seat, or
 *  no address at all. Registrants missing from the file stay as they are: staff mark no-shows on the
 *  checklist. Only once the event has started (409 before). Audited. */
export async function importAttendanceCsv(
  db: Db,
  { actor, eventId, text, now = new Date() }: { actor: SessionUser; eventId: number; text: string; now?: Date },
): Promise<Outcome<AttendanceImportReport>> {
  if (!can(actor, 'events.manage')) return fail(403, 'errors.forbidden')
  const rows = readRows(text)
  if ('unreadableAt' in rows)
    return fail(400, 'events_followup.import.unreadable', { params: { line: rows.unreadableAt } })
  if (rows.length === 0) return fail(400, 'events_followup.import.empty')
  const event = await loadFollowupEvent(db, eventId)
  if (!event) return fail(404, 'errors.not_found')
  const closed = attendanceClosed(event, now)
  if (closed) return closed

  const report: AttendanceImportReport = { matched: 0, alreadyMarked: 0, absent: 0, unmatched: [] }
  const lineOf = new Map<string, number>()
  for (const row of attendeeRows(rows)) {
    const email = emailIn(row.cell)
    if (row.absent) report.absent++
    else if (!email) report.unmatched.push({ line: row.line, value: shown(row.cell || row.text), reason: 'invalid' })
    else if (!lineOf.has(email)) lineOf.set(email, row.line)
  }

  return db.transaction(async (tx) => {
    const emails = [...lineOf.keys()]
    const members = emails.length
      ? await tx
          .select({ id: users.id, email: sql<string>`lower(${users.email})` })
          .from(users)
          .where(inArray(sql`lower(${users.email})`, emails))
      : []
    const memberByEmail = new Map(members.map((member) => [member.email, member.id]))
    const seats = await lockSeats(
      tx,
      eventId,
      members.map((member) => member.id),
    )
    const seated = new Set(seats.map((seat) => seat.userId))
    for (const [email, line] of lineOf) {
      const userId = memberByEmail.get(email)
      if (userId === undefined) report.unmatched.push({ line, value: email, reason: 'unknown_email' })
      else if (!seated.has(userId)) report.unmatched.push({ line, value: email, reason: 'not_registered' })
    }
    report.unmatched.sort((a, b) => a.line - b.line)
    report.matched = await setAttendance(tx, event, seats, 'attended', now)
    report.alreadyMarked = seats.length - report.matched
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'event.attendance_imported',
      targetType: 'event',
      targetId: eventId,
      details: { matched: report.matched, alreadyMarked: report.alreadyMarked, unmatched: report.unmatched.length },
    })
    return ok(report)
  })
}
