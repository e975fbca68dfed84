import { and, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import {
  insertAccount,
  insertEvent,
  insertRegistration,
  insertStaff,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { eventRegistrations } from '#db/schema/events.ts'
import { auditLog } from '#db/schema/identity.ts'
import { db } from '#tests/db.ts'
import { importAttendanceCsv, listAttendance, markAttendance } from './attendance.server.ts'

const HOUR = 3_600_000

/** An event that started an hour ago and is still running. */
function startedEvent(overrides: Parameters<typeof insertEvent>[1] = {}) {
  const startsAt = new Date(Date.now() - HOUR)
  return insertEvent(db, { startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), ...overrides })
}

async function statusOf(event: { id: number }, user: { id: number }) {
  const [row] = await db
    .select({ status: eventRegistrations.status, markedAt: eventRegistrations.attendanceMarkedAt })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, event.id), eq(eventRegistrations.userId, user.id)))
  return row
}

async function attendedSignals(event: { id: number }, user: { id: number }) {
  return db
    .select({ occurredAt: activityEvents.occurredAt, accountId: activityEvents.accountId })
    .from(activityEvents)
    .where(
      and(
        eq(activityEvents.type, 'event_attended'),
        eq(activityEvents.subjectId, String(event.id)),
        eq(activityEvents.userId, user.id),
      ),
    )
}

test('attendance opens when the event starts', async () => {
  const staff = await insertStaff(db)
  const member = await insertUser(db)
  const event = await insertEvent(db, { startsAt: new Date(Date.now() + HOUR) })
  await insertRegistration(db, event, member)

  const list = await listAttendance(db, { actor: staff, eventId: event.id })
  expect(list).toMatchObject({ ok: true, value: { open: false, registrants: [{ userId: member.id }] } })
  expect(
    await markAttendance(db, { actor: staff, eventId: event.id, marks: [{ userId: member.id, attended: true }] }),
  ).toMatchObject({ ok: false, status: 409, code: 'events_followup.not_started' })
  expect(await importAttendanceCsv(db, { actor: staff, eventId: event.id, text: member.email })).toMatchObject({
    ok: false,
    status: 409,
    code: 'events_followup.not_started',
  })
  expect(await statusOf(event, member)).toMatchObject({ status: 'registered', markedAt: null })

  // The same marks are accepted from the start time on.
  const later = new Date(event.startsAt.getTime() + 1000)
  expect(
    await markAttendance(db, {
      actor: staff,
      eventId: event.id,
      marks: [{ userId: member.id, attended: true }],
      now: later,
    }),
  ).toMatchObject({ ok: true, value: { attended: 1 } })
})

test('a cancelled event takes no attendance', async () => {
  const staff = await insertStaff(db)
  const member = await insertUser(db)
  const event = await startedEvent({ status: 'cancelled', cancelledAt: new Date() })
  await insertRegistration(db, event, member)
  expect(
    await markAttendance(db, { actor: staff, eventId: event.id, marks: [{ userId: member.id, attended: true }] }),
  ).toMatchObject({ ok: false, status: 409, code: 'events_followup.event_cancelled' })
})

test('the checklist lists everyone who holds or held a seat, by name, with their account', async () => {
  const staff = await insertStaff(db)
  const account = await insertAccount(db, { name: 'Kobe Robotics' })
  const event = await startedEvent()
  const ana = await insertUser(db, { displayName: 'Ana', accountId: account.id })
  const ben = await insertUser(db, { displayName: 'Ben' })
  const cai = await insertUser(db, { displayName: 'Cai' })
  const waiting = await insertUser(db, { displayName: 'Dee' })
  const gone = await insertUser(db, { displayName: 'Eve' })
  await insertRegistration(db, event, cai, { status: 'no_show' })
  await insertRegistration(db, event, ana)
  await insertRegistration(db, event, ben, { status: 'attended' })
  await insertRegistration(db, event, waiting, { status: 'waitlisted' })
  await insertRegistration(db, event, gone, { status: 'cancelled' })

  const list = await listAttendance(db, { actor: staff, eventId: event.id })
  if (!list.ok) throw new Error(list.code)
  expect(list.value.open).toBe(true)
  expect(list.value.event).toMatchObject({ id: event.id, title: event.title, timeZone: 'Asia/Tokyo' })
  expect(list.value.registrants.map((r) => [r.displayName, r.status, r.accountName])).toEqual([
    ['Ana', 'registered', 'Kobe Robotics'],
    ['Ben', 'attended', null],
    ['Cai', 'no_show', null],
  ])
  expect(list.value.registrants[0]?.email).toBe(ana.email)
})

test('marking attendance sets the status and its time, and credits the ledger once', async () => {
  const staff = await insertStaff(db)
  const account = await insertAccount(db)
  const event = await startedEvent()
  const [ana, ben] = [await insertUser(db, { accountId: account.id }), await insertUser(db)]
  await insertRegistration(db, event, ana)
  await insertRegistration(db, event, ben)
  const mark = (marks: { userId: number; attended: boolean }[]) =>
    markAttendance(db, { actor: staff, eventId: event.id, marks })

  expect(
    await mark([
      { userId: ana.id, attended: true },
      { userId: ben.id, attended: false },
    ]),
  ).toEqual({ ok: true, value: { attended: 1, noShow: 1, unchanged: 0, skipped: 0 } })
  expect(await statusOf(event, ana)).toMatchObject({ status: 'attended', markedAt: expect.any(Date) })
  expect(await statusOf(event, ben)).toMatchObject({ status: 'no_show', markedAt: expect.any(Date) })

  // Saving the same list again changes nothing; a correction back and forth is still one signal.
  expect(await mark([{ userId: ana.id, attended: true }])).toMatchObject({ value: { attended: 0, unchanged: 1 } })
  await mark([{ userId: ana.id, attended: false }])
  expect(await statusOf(event, ana)).toMatchObject({ status: 'no_show' })
  await mark([{ userId: ana.id, attended: true }])

  const signals = await attendedSignals(event, ana)
  expect(signals).toHaveLength(1)
  expect(signals[0]).toMatchObject({ accountId: account.id, occurredAt: event.startsAt })
  expect(await attendedSignals(event, ben)).toHaveLength(0)

  const audits = await db
    .select({ action: auditLog.action, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.targetType, 'event'), eq(auditLog.targetId, String(event.id))))
  expect(audits.map((a) => a.action)).toEqual([
    'event.attendance_marked',
    'event.attendance_marked',
    'event.attendance_marked',
  ])
  expect(audits[0]?.details).toEqual({ attended: 1, noShow: 1 })
})

test('marks for members without a seat change nothing', async () => {
  const staff = await insertStaff(db)
  const event = await startedEvent()
  const waiting = await insertUser(db)
  const stranger = await insertUser(db)
  await insertRegistration(db, event, waiting, { status: 'waitlisted' })

  const outcome = await markAttendance(db, {
    actor: staff,
    eventId: event.id,
    marks: [
      { userId: waiting.id, attended: true },
      { userId: stranger.id, attended: true },
    ],
  })
  expect(outcome).toEqual({ ok: true, value: { attended: 0, noShow: 0, unchanged: 0, skipped: 2 } })
  expect(await statusOf(event, waiting)).toMatchObject({ status: 'waitlisted' })
  expect(await attendedSignals(event, waiting)).toHaveLength(0)
})

test('members cannot see or take attendance', async () => {
  const member = await insertUser(db)
  const event = await startedEvent()
  await insertRegistration(db, event, member)
  const forbidden = { ok: false, status: 403, code: 'errors.forbidden' }
  expect(await listAttendance(db, { actor: member, eventId: event.id })).toMatchObject(forbidden)
  expect(
    await markAttendance(db, { actor: member, eventId: event.id, marks: [{ userId: member.id, attended: true }] }),
  ).toMatchObject(forbidden)
  expect(await importAttendanceCsv(db, { actor: member, eventId: event.id, text: member.email })).toMatchObject(
    forbidden,
  )
  expect(await statusOf(event, member)).toMatchObject({ status: 'registered' })
})

test('an unknown event is 404', async () => {
  const staff = await insertStaff(db)
  expect(await listAttendance(db, { actor: staff, eventId: 999_999 })).toMatchObject({ ok: false, status: 404 })
})

test('a CSV import marks the registrants it finds and reports every row it could not match', async () => {
  const staff = await insertStaff(db)
  const event = await startedEvent()
  const [ana, ben, cai, dee, waiting, outsider] = await Promise.all([
    insertUser(db),
    insertUser(db),
    insertUser(db),
    insertUser(db),
    insertUser(db),
    insertUser(db),
  ])
  await insertRegistration(db, event, ana)
  await insertRegistration(db, event, ben, { status: 'no_show' })
  await insertRegistration(db, event, cai, { status: 'attended' })
  await insertRegistration(db, event, dee)
  await insertRegistration(db, event, waiting, { status: 'waitlisted' })

  const csv = [
    'Name,Email,Join time',
    `Ana,${ana.email.toUpperCase()},10:00`,
    `Ben,${ben.email},10:02`,
    `Cai,${cai.email},10:03`,
    `Ana again,${ana.email},10:30`,
    `Nobody,nobody-${event.id}@example.org,10:04`,
    `Waiting,${waiting.email},10:05`,
    `Outsider,${outsider.email},10:06`,
    'Guest without email,,10:07',
    'Typo,ana-at-example.com,10:08',
  ].join('\n')
  const outcome = await importAttendanceCsv(db, { actor: staff, eventId: event.id, text: csv })
  expect(outcome).toEqual({
    ok: true,
    value: {
      matched: 2,
      alreadyMarked: 1,
      absent: 0,
      unmatched: [
        { line: 6, value: `nobody-${event.id}@example.org`, reason: 'unknown_email' },
        { line: 7, value: waiting.email, reason: 'not_registered' },
        { line: 8, value: outsider.email, reason: 'not_registered' },
        { line: 9, value: 'Guest without email, 10:07', reason: 'invalid' },
        { line: 10, value: 'ana-at-example.com', reason: 'invalid' },
      ],
    },
  })
  expect(await statusOf(event, ana)).toMatchObject({ status: 'attended' })
  expect(await statusOf(event, ben)).toMatchObject({ status: 'attended' })
  expect(await statusOf(event, cai)).toMatchObject({ status: 'attended' })
  // Registered but not in the file: left for staff to mark on the checklist.
  expect(await statusOf(event, dee)).toMatchObject({ status: 'registered', markedAt: null })
  expect(await statusOf(event, waiting)).toMatchObject({ status: 'waitlisted' })
  expect(await attendedSignals(event, ana)).toHaveLength(1)
  expect(await attendedSignals(event, ben)).toHaveLength(1)

  // Importing the same file again marks nobody twice.
  const again = await importAttendanceCsv(db, { actor: staff, eventId: event.id, text: csv })
  expect(again).toMatchObject({ ok: true, value: { matched: 0, alreadyMarked: 3 } })
  expect(await attendedSignals(event, ana)).toHaveLength(1)
})

test('a list of addresses without a header, and header variants, are understood', async () => {
  const staff = await insertStaff(db)
  const members = await Promise.all(Array.from({ length: 6 }, () => insertUser(db)))
  const files = [
    (email: string) => `${email}\n`,
    (email: string) => `"Attendee Email","Name"\r\n"${email}","A"\r\n`,
    (email: string) => `E-mail Address,x\n${email.replace('@', '＠')}\n`,
    (email: string) => `名前\tメールアドレス\t参加時間\n山田\t${email}\t10:00\n`,
    (email: string) => `氏名,参加者のメールアドレス\n山田,山田 <${email}>\n`,
    (email: string) => `Alice,mailto:${email},extra\n`,
  ]
  for (const [index, file] of files.entries()) {
    const member = members[index]!
    const event = await startedEvent()
    await insertRegistration(db, event, member)
    const outcome = await importAttendanceCsv(db, { actor: staff, eventId: event.id, text: file(member.email) })
    expect(outcome, `file ${index}`).toEqual({
      ok: true,
      value: { matched: 1, alreadyMarked: 0, absent: 0, unmatched: [] },
    })
    expect(await statusOf(event, member)).toMatchObject({ status: 'attended' })
  }
})

test('a webinar report with title lines, sections and an Attended column marks only those who attended', async () => {
  const staff = await insertStaff(db)
  const event = await startedEvent()
  const [came, stayedAway] = [await insertUser(db), await insertUser(db)]
  await insertRegistration(db, event, came)
  await insertRegistration(db, event, stayedAway)
  const report = [
    'Attendee Report',
    'Report Generated:,"2026-05-01 10:00"',
    'Topic,Webinar ID,Actual Start Time',
    'Product webinar,812 3456 7890,2026-05-01 09:00',
    'Host Details',
    'Attended,User Name (Original Name),Email,Join Time',
    `Yes,Host,${staff.email},2026-05-01 08:55`,
    'Attendee Details',
    'Attended,User Name (Original Name),First Name,Email,Join Time',
    `Yes,Came,Came,${came.email},2026-05-01 09:01`,
    `No,Stayed away,Stayed,${stayedAway.email},--`,
  ].join('\n')
  const outcome = await importAttendanceCsv(db, { actor: staff, eventId: event.id, text: report })
  expect(outcome).toEqual({
    ok: true,
    value: {
      matched: 1,
      alreadyMarked: 0,
      absent: 1,
      unmatched: [
        { line: 7, value: staff.email, reason: 'not_registered' },
        { line: 8, value: 'Attendee Details', reason: 'invalid' },
      ],
    },
  })
  expect(await statusOf(event, came)).toMatchObject({ status: 'attended' })
  expect(await statusOf(event, stayedAway)).toMatchObject({ status: 'registered' })
})

test('a file that is not CSV, or has no rows, is refused', async () => {
  const staff = await insertStaff(db)
  const event = await startedEvent()
  expect(
    await importAttendanceCsv(db, { actor: staff, eventId: event.id, text: 'Email\n"a@example.com\n' }),
  ).toMatchObject({ ok: false, status: 400, code: 'events_followup.import.unreadable', params: { line: 2 } })
  expect(await importAttendanceCsv(db, { actor: staff, eventId: event.id, text: '\n\n' })).toMatchObject({
    ok: false,
    status: 400,
    code: 'events_followup.import.empty',
  })
})
