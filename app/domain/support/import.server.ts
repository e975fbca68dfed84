import { parse } from 'csv-parse/sync'
import { and, inArray, isNotNull, sql } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { EmailField } from '#app/domain/identity/schemas.ts'
import { isLocale, type Locale, translator } from '#app/lib/i18n.ts'
import { dispatchEmails } from '#app/lib/mail.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { accountDomains, users } from '#db/schema/identity.ts'
import { tickets } from '#db/schema/support.ts'
import { type TicketStatus, ticketStatuses } from './options.ts'
import { notifyTicketUpdated } from './ticket-notices.server.ts'

/** A helpdesk export of a few months fits easily; anything larger is refused before it is read. */
export const TICKET_IMPORT_MAX_BYTES = 2 * 1024 * 1024
export const TICKET_IMPORT_MAX_ROWS = 10_000
const EXTERNAL_ID_MAX = 100
const SUBJECT_MAX = 300
/** A created_at further ahead than this is a typo (a wrong year), not a clock difference. */
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000
/** Rows per INSERT: 10 values a row stays far below the driver's parameter limit. */
const CHUNK = 500
/** The unmatched rows the report lists by line; the count is always complete. */
const UNMATCHED_LISTED = 200

/** The columns the import reads (header names are case-insensitive; spaces and hyphens read as `_`). */
export const ticketImportColumns = ['external_id', 'requester_email', 'created_at', 'status', 'subject'] as const
const requiredColumns = ['external_id', 'requester_email', 'created_at', 'status'] as const

export type ImportMessage = { code: string; field?: string; params?: Record<string, string | number> }
export type ImportLineError = { line: number; messages: ImportMessage[] }

/** What an import did. With any `errors`, nothing was imported (`imported` is false): the file is
 *  imported whole or not at all, so fixing the reported lines and uploading the same file again is
 *  always safe. */
export type TicketImportReport = {
  imported: boolean
  rows: number
  errors: ImportLineError[]
  created: number
  /** Existing tickets (from the portal or an earlier import) whose status changed. */
  updated: number
  /** Existing tickets whose status was already the file's. */
  unchanged: number
  /** New tickets whose requester is a user (credited to them and their account). */
  matchedUser: number
  /** New tickets whose requester is not a user but whose email domain is an account's. */
  matchedDomain: number
  /** New tickets stored without an account: how many, and the first of them by line. */
  unmatchedCount: number
  unmatched: { line: number; externalId: string; email: string }[]
}

type ValidRow = {
  line: number
  externalId: string
  email: string
  createdAt: Date
  status: TicketStatus
  subject: string | null
}

/** Imports tickets filed elsewhere, so an account's support load is complete (issue 7). Columns:
 *  external_id, requester_email, created_at (ISO 8601 date or date-time; without an offset, UTC),
 *  status (open, pending, solved, closed), optional subject.
 *
 *  Every row is checked first; if any is wrong, every problem is reported by its line in the file and
 *  nothing is imported. Otherwise all rows are imported in one transaction: a row whose external id
 *  exists (from the portal or an earlier import) updates that ticket's status and nothing else, so a
 *  re-import never duplicates; a new row becomes an `import` ticket, credited to the user with the
 *  requester's email (any case), else to the account owning the email's domain, else to no account
 *  (reported). Each new ticket credited to a user or an account gets one `ticket_filed` ledger row at
 *  its created_at. A ticket that arrives solved or closed counts as resolved when it is imported.
 *  Audited. */
export async function importTicketsCsv(
  db: Db,
  { actor, csv, now = new Date() }: { actor: SessionUser; csv: string; now?: Date },
): Promise<Outcome<TicketImportReport>> {
  if (!can(actor, 'support.import')) return fail(403, 'errors.forbidden')
  if (csv.length > TICKET_IMPORT_MAX_BYTES) {
    return fail(413, 'support_insights.import.too_large', { params: { megabytes: megabytes() } })
  }
  const read = readRecords(csv)
  if (!read.ok) return read
  const records = read.value
  const report: TicketImportReport = {
    imported: false,
    rows: records.length,
    errors: [],
    created: 0,
    updated: 0,
    unchanged: 0,
    matchedUser: 0,
    matchedDomain: 0,
    unmatchedCount: 0,
    unmatched: [],
  }

  const valid: ValidRow[] = []
  const firstLineOf = new Map<string, number>()
  for (const { record, line } of records) {
    const checked = checkRow(record, line, now)
    const duplicateOf = checked.externalId ? firstLineOf.get(checked.externalId) : undefined
    if (duplicateOf !== undefined) {
      checked.messages.push({
        code: 'support_insights.import.errors.external_id_duplicate',
        field: 'external_id',
        params: { line: duplicateOf },
      })
    } else if (checked.externalId) {
      firstLineOf.set(checked.externalId, line)
    }
    if (checked.messages.length > 0) report.errors.push({ line, messages: checked.messages })
    else if (checked.row) valid.push(checked.row)
  }
  if (report.errors.length > 0) return ok(report)

  const t = translator(actor.locale)
  const emailIds: number[] = []
  await db.transaction(async (tx) => {
    const emails = [...new Set(valid.map((row) => row.email))]
    const domains = [...new Set(valid.map((row) => domainOf(row.email)))]
    const userByEmail = new Map<string, { id: number; accountId: number | null; locale: string }>()
    const accountByDomain = new Map<string, number>()
    for (const part of chunks(emails)) {
      const found = await tx
        .select({
          id: users.id,
          accountId: users.accountId,
          locale: users.locale,
          email: sql<string>`lower(${users.email})`,
        })
        .from(users)
        // An unconfirmed address proves nothing: its ticket counts for the domain's account only.
        .where(and(inArray(sql`lower(${users.email})`, part), isNotNull(users.emailVerifiedAt)))
      for (const user of found) userByEmail.set(user.email, user)
    }
    // A domain is matched whether or not its account has churned: the tickets are its history.
    for (const part of chunks(domains)) {
      const found = await tx
        .select({ domain: accountDomains.domain, accountId: accountDomains.accountId })
        .from(accountDomains)
        .where(inArray(accountDomains.domain, part))
      for (const owner of found) accountByDomain.set(owner.domain, owner.accountId)
    }

    for (const part of chunks(valid, CHUNK)) {
      const values = part.map((row) => {
        const user = userByEmail.get(row.email)
        const accountId = user?.accountId ?? accountByDomain.get(domainOf(row.email)) ?? null
        const locale: Locale = isLocale(user?.locale) ? user.locale : actor.locale
        return {
          source: 'import' as const,
          externalId: row.externalId,
          userId: user?.id ?? null,
          accountId,
          requesterEmail: row.email,
          subject: row.subject ?? t('support_insights.import.fallback_subject', { id: row.externalId }),
          status: row.status,
          locale,
          createdAt: row.createdAt,
          updatedAt: now,
          resolvedAt: isResolved(row.status) ? now : null,
        }
      })
      const written = await tx
        .insert(tickets)
        .values(values)
        .onConflictDoUpdate({
          target: tickets.externalId,
          targetWhere: sql`${tickets.externalId} is not null`,
          set: {
            status: sql`excluded.status`,
            updatedAt: now,
            // Resolved when it first becomes solved or closed; reopening clears it.
            resolvedAt: sql`case when excluded.status in ('solved', 'closed')
              then coalesce(case when ${tickets.status} in ('solved', 'closed') then ${tickets.resolvedAt} end, ${now.toISOString()}::timestamptz)
              end`,
          },
          setWhere: sql`${tickets.status} is distinct from excluded.status`,
        })
        .returning({
          id: tickets.id,
          externalId: tickets.externalId,
          status: tickets.status,
          inserted: sql<boolean>`(xmax = 0)`.mapWith((value) => value === true || value === 't'),
        })
      const byExternalId = new Map(part.map((row, i) => [row.externalId, { row, value: values[i]! }]))
      for (const ticket of written) {
        if (!ticket.inserted) {
          report.updated++
          // The helpdesk moved a ticket the member follows: they hear of its new status.
          emailIds.push(...(await notifyTicketUpdated(tx, { ticketId: ticket.id, status: ticket.status, at: now })))
          continue
        }
        report.created++
        const { row, value } = byExternalId.get(ticket.externalId ?? '')!
        if (value.userId !== null) report.matchedUser++
        else if (value.accountId !== null) report.matchedDomain++
        else {
          report.unmatchedCount++
          if (report.unmatched.length < UNMATCHED_LISTED) {
            report.unmatched.push({ line: row.line, externalId: row.externalId, email: row.email })
          }
        }
        // A signal credited to nobody would count for nobody; the ticket itself still counts.
        if (value.userId === null && value.accountId === null) continue
        await recordActivity(tx, {
          type: 'ticket_filed',
          user: { id: value.userId, accountId: value.accountId },
          subject: { type: 'ticket', id: ticket.id },
          uniqueKey: `ticket_filed:ticket:${ticket.id}`,
          occurredAt: row.createdAt,
        })
      }
      report.unchanged += part.length - written.length
    }
    report.unmatched.sort((a, b) => a.line - b.line)
    report.imported = true
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'support.tickets_imported',
      targetType: 'tickets',
      details: {
        rows: report.rows,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        unmatched: report.unmatchedCount,
      },
    })
  })
  await dispatchEmails(emailIds)
  return ok(report)
}

type CsvRecord = { record: Record<string, string>; line: number }

/** The file's records with their line numbers, or why the file as a whole cannot be imported. */
function readRecords(csv: string): Outcome<CsvRecord[]> {
  let header: string[] = []
  let parsed: { record: Record<string, string>; info: { lines: number } }[]
  try {
    parsed = parse(csv.replace(/^\uFEFF/, ''), {
      columns: (names: string[]) => {
        header = names.map((name) =>
          name
            .trim()
            .toLowerCase()
            .replace(/[\s-]+/g, '_'),
        )
        return header
      },
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
      // One record past the limit is enough to know the file is too long.
      to: TICKET_IMPORT_MAX_ROWS + 1,
    }) as typeof parsed
  } catch (error) {
    const line = (error as { lines?: number }).lines
    return fail(400, 'support_insights.import.unreadable', { params: { line: line ?? 1 } })
  }
  if (header.length === 0) return fail(400, 'support_insights.import.empty')
  const missing = requiredColumns.filter((column) => !header.includes(column))
  if (missing.length > 0) {
    return fail(400, 'support_insights.import.missing_columns', { params: { columns: missing.join(', ') } })
  }
  if (parsed.length === 0) return fail(400, 'support_insights.import.empty')
  if (parsed.length > TICKET_IMPORT_MAX_ROWS) {
    return fail(413, 'support_insights.import.too_many_rows', { params: { max: TICKET_IMPORT_MAX_ROWS } })
  }
  return ok(parsed.map(({ record, info }) => ({ record, line: info.lines })))
}

/** One record checked: the row to import, or what is wrong with it (every problem, not the first). */
function checkRow(
  record: Record<string, string>,
  line: number,
  now: Date,
): { row: ValidRow | null; externalId: string; messages: ImportMessage[] } {
  const messages: ImportMessage[] = []
  const problem = (field: string, code: string, params?: Record<string, string | number>) =>
    messages.push({ field, code: `support_insights.import.errors.${code}`, params })

  const externalId = record.external_id ?? ''
  if (!externalId) problem('external_id', 'external_id_missing')
  else if (externalId.length > EXTERNAL_ID_MAX) problem('external_id', 'external_id_too_long', { max: EXTERNAL_ID_MAX })

  const email = EmailField.safeParse(record.requester_email ?? '')
  if (!email.success) {
    messages.push({ field: 'requester_email', code: email.error.issues[0]?.message ?? 'validation.email_invalid' })
  }

  const createdAtText = record.created_at ?? ''
  const createdAt = createdAtText ? parseIsoInstant(createdAtText) : null
  if (!createdAtText) problem('created_at', 'created_at_missing')
  else if (!createdAt) problem('created_at', 'created_at_invalid', { value: createdAtText.slice(0, 40) })
  else if (createdAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) problem('created_at', 'created_at_future')

  const statusText = (record.status ?? '').toLowerCase()
  const status = ticketStatuses.find((s) => s === statusText)
  if (!statusText) problem('status', 'status_missing')
  else if (!status) problem('status', 'status_invalid', { value: (record.status ?? '').slice(0, 40) })

  const subject = record.subject?.replace(/\s+/gu, ' ').trim() || null
  if (subject && subject.length > SUBJECT_MAX) problem('subject', 'subject_too_long', { max: SUBJECT_MAX })

  const row =
    messages.length === 0 && email.success && createdAt && status
      ? { line, externalId, email: email.data, createdAt, status, subject }
      : null
  return { row, externalId, messages }
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/
const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/** An ISO 8601 date (midnight UTC) or date-time (UTC without an offset), or null when it is not one or
 *  names a day or time that does not exist (2026-02-30, 24:10). */
export function parseIsoInstant(text: string): Date | null {
  const date = isoDate.exec(text)
  const dateTime = date ? null : isoDateTime.exec(text)
  const parts = date ?? dateTime
  if (!parts) return null
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])]
  const [hour, minute, second] = dateTime
    ? [Number(dateTime[4]), Number(dateTime[5]), Number(dateTime[6] ?? 0)]
    : [0, 0, 0]
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null
  const fraction = dateTime?.[7] ? Number(`0.${dateTime[7]}`) * 1000 : 0
  let offsetMinutes = 0
  const zone = dateTime?.[8]
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const [zoneHours, zoneMinutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || 0)]
    if (zoneHours > 23 || zoneMinutes > 59) return null
    offsetMinutes = sign * (zoneHours * 60 + zoneMinutes)
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(fraction) - offsetMinutes * 60_000
  return new Date(utc)
}

function isResolved(status: TicketStatus): boolean {
  return status === 'solved' || status === 'closed'
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1)
}

function megabytes(): number {
  return TICKET_IMPORT_MAX_BYTES / (1024 * 1024)
}

function chunks<T>(items: T[], size = 1000): T[][] {
  const result: T[][] = []
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size))
  return result
}
