import { and, asc, eq, inArray } from 'drizzle-orm'
import ical, { type VEvent } from 'node-ical'
import nodemailer from 'nodemailer'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sendDueRecordingNotices } from '#app/domain/events/event-notices.server.ts'
import { cancelEvent, updateEvent } from '#app/domain/events/events.server.ts'
import { cancelRegistration, registerForEvent } from '#app/domain/events/registrations.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { updateTicketFromHelpdesk } from '#app/domain/support/helpdesk-api.server.ts'
import { importTicketsCsv } from '#app/domain/support/import.server.ts'
import { ContactSchema } from '#app/domain/support/schemas.ts'
import { fileTicket } from '#app/domain/support/tickets.server.ts'
import { deliverEmail } from '#app/lib/mail.server.ts'
import { instantToZonedLocal } from '#app/lib/time-zones.ts'
import {
  eventFormInput,
  insertAttempt,
  insertEvent,
  insertRegistration,
  insertStaff,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { events } from '#db/schema/events.ts'
import { emailOutbox, notifications } from '#db/schema/notify.ts'
import { tickets } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { parseMail, startSmtpServer } from '#tests/smtp.ts'
import { notificationKinds } from './kinds.ts'
import { notifyAnswerPosted, sendDigests } from './notifications.server.ts'
import {
  checkNotificationUnsubscribe,
  preferencesOf,
  setPreferences,
  unsubscribeNotifications,
} from './preferences.server.ts'

// Every email of issue 22 goes through a real SMTP server on loopback: once, to the right person, in
// their language, with a text part, an HTML part, the page's link and, where the member may turn it
// off, the RFC 8058 headers whose link works without signing in.

const APP = 'http://localhost:3000'
let smtp: Awaited<ReturnType<typeof startSmtpServer>>
let transport: ReturnType<typeof nodemailer.createTransport>

beforeAll(async () => {
  smtp = await startSmtpServer()
  transport = nodemailer.createTransport(smtp.url)
})
afterAll(async () => {
  transport.close()
  await smtp.close()
})

/** The outbox rows to one address (optionally of one template), oldest first. */
function outboxTo(user: { email: string }, template?: string) {
  return db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, user.email), template ? eq(emailOutbox.template, template) : undefined))
    .orderBy(asc(emailOutbox.id))
}

/** Sends one outbox message through the SMTP server and returns it as received, parsed. */
async function deliver(id: number) {
  const before = smtp.received.length
  expect(await deliverEmail(db, id, transport)).toBe('sent')
  const [received] = (await smtp.waitFor(before + 1)).slice(before)
  return { ...parseMail(received!.raw), to: received!.to }
}

/** The only message of `template` to the user, delivered: fails when there are none or several. */
async function theEmail(user: { email: string }, template: string) {
  const rows = await outboxTo(user, template)
  expect(rows).toHaveLength(1)
  return deliver(rows[0]!.id)
}

function subjectOf(mail: { headers: Record<string, string> }): string {
  const value = mail.headers.subject ?? ''
  // RFC 2047 encoded words (UTF-8, base64 or Q), as nodemailer writes a non-ASCII subject.
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9a-f]{2})/gi, (__, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
            'latin1',
          ).toString('utf8'),
    )
}

/** The unsubscribe address of the List-Unsubscribe header, checked for its RFC 8058 partner. */
function unsubscribeLink(mail: { headers: Record<string, string> }): string {
  expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click')
  const match = /^<(http:\/\/localhost:3000\/unsubscribe\/[^>]+)>$/.exec(mail.headers['list-unsubscribe'] ?? '')
  expect(match).not.toBeNull()
  return match![1]!
}

function tokenOf(link: string): string {
  return decodeURIComponent(link.split('/unsubscribe/')[1]!)
}

function expectBothParts(mail: { text: string | null; html: string | null }, link: string) {
  expect(mail.text).toContain(link)
  expect(mail.html).toContain(`<a href="${link}">`)
}

const eventForm = eventFormInput

test('a confirmed registration is emailed once, in English and in Japanese, with the event’s .ics attached', async () => {
  const event = await insertEvent(db, { title: 'Dashboards 101', startsAt: new Date('2099-03-01T01:00:00Z') })
  const en = await insertUser(db, { displayName: 'Ada', locale: 'en' })
  const ja = await insertUser(db, { displayName: '佐藤 花子', locale: 'ja' })
  // A double submission, raced, and a repeat later: one registration, one email each.
  await Promise.all([
    registerForEvent(db, { user: en, eventId: event.id }),
    registerForEvent(db, { user: en, eventId: event.id }),
  ])
  await registerForEvent(db, { user: en, eventId: event.id })
  await registerForEvent(db, { user: ja, eventId: event.id })

  const mail = await theEmail(en, 'notification_event_registered')
  expect(mail.to).toEqual([en.email])
  expect(subjectOf(mail)).toBe('You are registered for “Dashboards 101”')
  expect(mail.text).toContain('Hello Ada,')
  expectBothParts(mail, `${APP}/events/${event.id}`)
  unsubscribeLink(mail)
  expect(mail.attachments).toHaveLength(1)
  const [file] = mail.attachments
  expect(file!.filename).toBe(`event-${event.id}.ics`)
  expect(file!.contentType).toMatch(/^text\/calendar/)
  const entries = Object.values(ical.sync.parseICS(file!.content.toString('utf8'))).filter(
    (entry): entry is VEvent => entry?.type === 'VEVENT',
  )
  expect(entries).toHaveLength(1)
  expect(entries[0]!.uid).toBe(`event-${event.id}@localhost:3000`)
  expect(new Date(entries[0]!.start).toISOString()).toBe('2099-03-01T01:00:00.000Z')

  const japanese = await theEmail(ja, 'notification_event_registered')
  expect(subjectOf(japanese)).toBe('「Dashboards 101」の参加登録が完了しました')
  expect(japanese.text).toContain('佐藤 花子 様')
  expect(japanese.html).toContain('佐藤 花子 様')
  expect(japanese.attachments).toHaveLength(1)
})

test('a waitlisted member learns their place; a freed seat promotes them with an email they cannot turn off', async () => {
  const event = await insertEvent(db, { capacity: 1, title: 'Small room' })
  const seated = await insertUser(db)
  const waiting = await insertUser(db, { locale: 'ja', displayName: '田中' })
  await registerForEvent(db, { user: seated, eventId: event.id })
  await registerForEvent(db, { user: waiting, eventId: event.id })
  await registerForEvent(db, { user: waiting, eventId: event.id })

  const waitlisted = await theEmail(waiting, 'notification_event_waitlisted')
  expect(subjectOf(waitlisted)).toBe('「Small room」のキャンセル待ちに登録しました')
  expect(waitlisted.text).toContain('キャンセル待ち（1 番目）')
  // The join link is for seats held.
  expect(waitlisted.text).not.toContain('meet.example')
  unsubscribeLink(waitlisted)
  expect(waitlisted.attachments).toEqual([])

  await cancelRegistration(db, { user: seated, eventId: event.id })
  const promoted = await theEmail(waiting, 'notification_event_promoted')
  expect(subjectOf(promoted)).toBe('「Small room」の参加登録が完了しました')
  expect(promoted.text).toContain('オンライン参加：https://meet.example/abc-defg-hij')
  expect(promoted.headers['list-unsubscribe']).toBeUndefined()
  expect(promoted.text).toContain('常にお送りしています')
  expect(promoted.attachments.map((a) => a.filename)).toEqual([`event-${event.id}.ics`])
})

test('a move and a cancellation are emailed once to everyone registered or waiting, whatever their settings', async () => {
  const staff = await insertStaff(db)
  const event = await insertEvent(db, { capacity: 1, startsAt: new Date('2099-06-01T06:00:00Z') })
  const [seated, waiting] = [await insertUser(db), await insertUser(db, { locale: 'ja' })]
  await insertRegistration(db, event, seated)
  await insertRegistration(db, event, waiting, { status: 'waitlisted' })
  // A member's choice cannot silence these kinds: the settings page offers no other channel.
  expect(await setPreferences(db, { user: seated, input: { event_changed: 'none' } })).toMatchObject({
    ok: false,
    status: 400,
    field: 'event_changed',
  })
  const moved = eventForm({
    title: event.title,
    startsAt: '2099-12-02T15:00',
    endsAt: '2099-12-02T16:00',
    capacity: '1',
    onlineUrl: event.onlineUrl,
  })
  await updateEvent(db, { actor: staff, eventId: event.id, input: moved })
  // Saved again unchanged (a double click): no second email.
  await updateEvent(db, { actor: staff, eventId: event.id, input: moved })
  const changed = await theEmail(seated, 'notification_event_changed')
  expect(subjectOf(changed)).toBe(`Changed: “${event.title}”`)
  expectBothParts(changed, `${APP}/events/${event.id}`)
  expect(changed.headers['list-unsubscribe']).toBeUndefined()
  const changedJa = await theEmail(waiting, 'notification_event_changed')
  expect(subjectOf(changedJa)).toBe(`変更のお知らせ：「${event.title}」`)

  await Promise.all([
    cancelEvent(db, { actor: staff, eventId: event.id }),
    cancelEvent(db, { actor: staff, eventId: event.id }),
  ])
  const cancelled = await theEmail(seated, 'notification_event_cancelled')
  expect(subjectOf(cancelled)).toBe(`Cancelled: “${event.title}”`)
  expect(cancelled.text).toContain(`${APP}/events`)
  expect((await outboxTo(waiting, 'notification_event_cancelled')).length).toBe(1)
})

test('setting the recording of a past event tells those who held a seat, once per address', async () => {
  const staff = await insertStaff(db)
  const startsAt = new Date(Date.now() - 3 * 24 * 3_600_000)
  const event = await insertEvent(db, { startsAt, title: 'Past webinar' })
  const [attended, noShow, cancelled] = [
    await insertUser(db),
    await insertUser(db, { locale: 'ja' }),
    await insertUser(db),
  ]
  await insertRegistration(db, event, attended, { status: 'attended' })
  await insertRegistration(db, event, noShow, { status: 'no_show' })
  await insertRegistration(db, event, cancelled, { status: 'cancelled' })
  const input = (recordingUrl: string) =>
    eventForm({
      title: event.title,
      startsAt: instantToZonedLocal(event.startsAt, event.timeZone),
      endsAt: instantToZonedLocal(event.endsAt, event.timeZone),
      onlineUrl: event.onlineUrl,
      recordingUrl,
    })
  await updateEvent(db, { actor: staff, eventId: event.id, input: input('https://video.example/past-1') })
  await updateEvent(db, { actor: staff, eventId: event.id, input: input('https://video.example/past-1') })
  const mail = await theEmail(attended, 'notification_event_recording')
  expect(subjectOf(mail)).toBe('The recording of “Past webinar” is available')
  expectBothParts(mail, 'https://video.example/past-1')
  expect(mail.text).toContain(`${APP}/events/${event.id}`)
  unsubscribeLink(mail)
  expect(subjectOf(await theEmail(noShow, 'notification_event_recording'))).toBe('「Past webinar」の録画を公開しました')
  expect(await outboxTo(cancelled)).toEqual([])
  // A corrected address is news again.
  await updateEvent(db, { actor: staff, eventId: event.id, input: input('https://video.example/past-2') })
  expect(await outboxTo(attended, 'notification_event_recording')).toHaveLength(2)
})

test('a recording set before the event ended is announced once after it ends, to those who held a seat', async () => {
  const staff = await insertStaff(db)
  // On a whole minute, as the form sends it: saving the edit below does not move the event.
  const startsAt = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000)
  // One seat: the waiting member stays waiting when the edit below gives out free seats.
  const event = await insertEvent(db, { startsAt, title: 'Live with recording', capacity: 1 })
  const [seated, waiting, elsewhere] = [await insertUser(db), await insertUser(db), await insertUser(db)]
  await insertRegistration(db, event, seated)
  await insertRegistration(db, event, waiting, { status: 'waitlisted' })
  await updateEvent(db, {
    actor: staff,
    eventId: event.id,
    input: eventForm({
      title: event.title,
      startsAt: instantToZonedLocal(event.startsAt, event.timeZone),
      endsAt: instantToZonedLocal(event.endsAt, event.timeZone),
      onlineUrl: event.onlineUrl,
      capacity: '1',
      recordingUrl: 'https://video.example/live-1',
    }),
  })
  // Before the end: nothing yet, from the edit or from the job.
  expect(await outboxTo(seated, 'notification_event_recording')).toEqual([])
  expect(await sendDueRecordingNotices(db, new Date(startsAt.getTime() - 60_000))).toEqual([])

  const afterEnd = new Date(event.endsAt.getTime() + 10 * 60_000)
  const [first, second] = await Promise.all([
    sendDueRecordingNotices(db, afterEnd),
    sendDueRecordingNotices(db, afterEnd),
  ])
  // Other tests' past events may be announced by the same runs; of this event's people, one email.
  const sent = await db
    .select()
    .from(emailOutbox)
    .where(inArray(emailOutbox.id, [...first, ...second]))
  const ours = [seated.email, waiting.email, elsewhere.email]
  expect(sent.map((m) => m.toAddress).filter((to) => ours.includes(to))).toEqual([seated.email])
  await sendDueRecordingNotices(db, afterEnd)
  expect(await outboxTo(seated, 'notification_event_recording')).toHaveLength(1)
  const mail = await theEmail(seated, 'notification_event_recording')
  expectBothParts(mail, 'https://video.example/live-1')
  const rows = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.eventId, event.id), eq(notifications.type, 'event_recording')))
  expect(rows.map((row) => row.userId)).toEqual([seated.id])
  expect(await outboxTo(waiting, 'notification_event_recording')).toEqual([])
  expect(await outboxTo(elsewhere)).toEqual([])
  // A week after the end it is no longer news.
  const late = await insertEvent(db, { startsAt: new Date(Date.now() - 10 * 24 * 3_600_000), title: 'Long ago' })
  await db.update(events).set({ recordingUrl: 'https://video.example/old' }).where(eq(events.id, late.id))
  const lateMember = await insertUser(db)
  await insertRegistration(db, late, lateMember, { status: 'attended' })
  await sendDueRecordingNotices(db)
  expect(await outboxTo(lateMember)).toEqual([])
})

test('a support request is acknowledged once with its number and page; the helpdesk’s changes are emailed', async () => {
  const member = await insertUser(db, { locale: 'ja', displayName: '山本' })
  const attempt = await insertAttempt(db, member, { query: 'export' })
  const input = ContactSchema.parse({
    attempt: attempt.key,
    subject: 'Export fails',
    description: 'Clicking Export on the usage report shows an error after a minute.',
    productArea: 'reporting',
    urgency: 'high',
  })
  const [first] = await Promise.all([fileTicket(db, { user: member, input }), fileTicket(db, { user: member, input })])
  if (!first.ok) throw new Error(first.code)
  const ticketId = first.value.ticket.id
  const received = await theEmail(member, 'notification_support_received')
  expect(subjectOf(received)).toBe(`お問い合わせ #${ticketId} を受け付けました：Export fails`)
  expectBothParts(received, `${APP}/support/tickets/${ticketId}`)
  expect(received.text).toContain('山本 様')
  unsubscribeLink(received)

  // The helpdesk API: a new status is one email; the same status again is nothing.
  await updateTicketFromHelpdesk(db, { ticketId, input: { status: 'pending' } })
  await updateTicketFromHelpdesk(db, { ticketId, input: { status: 'pending' } })
  await updateTicketFromHelpdesk(db, { ticketId, input: { external_id: `HD-${ticketId}` } })
  const updated = await theEmail(member, 'notification_support_updated')
  expect(subjectOf(updated)).toBe(`お問い合わせ #${ticketId} のステータス：お客様の返信待ち`)
  expectBothParts(updated, `${APP}/support/tickets/${ticketId}`)

  // An import that moves the ticket tells the member too; the same file again changes nothing.
  const csv = `external_id,requester_email,created_at,status\nHD-${ticketId},${member.email},2026-01-01,solved\n`
  const actor = await insertStaff(db)
  await importTicketsCsv(db, { actor, csv })
  await importTicketsCsv(db, { actor, csv })
  const rows = await outboxTo(member, 'notification_support_updated')
  expect(rows).toHaveLength(2)
  expect(rows[1]!.textBody).toContain('解決済み')
  const [ticket] = await db.select().from(tickets).where(eq(tickets.id, ticketId))
  expect(ticket!.status).toBe('solved')
})

test('each channel is honoured: email at once, digest later, in-app only, none at all', async () => {
  const [email, digest, inApp, none] = [
    await insertUser(db),
    await insertUser(db, { displayName: 'Dee' }),
    await insertUser(db),
    await insertUser(db),
  ]
  for (const [user, channel] of [
    [digest, 'digest'],
    [inApp, 'in_app'],
    [none, 'none'],
  ] as const) {
    expect(await setPreferences(db, { user, input: { event_registered: channel } })).toMatchObject({ ok: true })
  }
  const event = await insertEvent(db, { title: 'Channels' })
  for (const user of [email, digest, inApp, none]) await registerForEvent(db, { user, eventId: event.id })

  expect(await outboxTo(email)).toHaveLength(1)
  for (const user of [digest, inApp, none]) expect(await outboxTo(user)).toEqual([])
  const rowsOf = (user: SessionUser) => db.select().from(notifications).where(eq(notifications.userId, user.id))
  expect(await rowsOf(email)).toHaveLength(1)
  expect(await rowsOf(inApp)).toHaveLength(1)
  expect(await rowsOf(none)).toEqual([])

  await sendDigests(db)
  const mail = await theEmail(digest, 'notification_digest')
  expect(mail.text).toContain('Hello Dee,')
  expect(mail.text).toContain('You are registered for “Channels”')
  expectBothParts(mail, `${APP}/events/${event.id}`)
  expect(await outboxTo(inApp)).toEqual([])

  // The digest's one-click link turns the digest off, without signing in; a second click is harmless.
  const link = unsubscribeLink(mail)
  expect(mail.text).toContain(link)
  const token = tokenOf(link)
  expect(await checkNotificationUnsubscribe(db, token)).toEqual({
    ok: true,
    value: { scope: 'digest', locale: 'en', alreadyOff: false },
  })
  expect(await unsubscribeNotifications(db, token)).toMatchObject({ ok: true })
  expect(await unsubscribeNotifications(db, token)).toMatchObject({ ok: true })
  expect((await preferencesOf(db, digest.id)).event_registered).toBe('in_app')
  expect(await checkNotificationUnsubscribe(db, token)).toMatchObject({ value: { alreadyOff: true } })
})

test('an email’s one-click link turns that kind to in-app only; a forged or foreign-purpose token is refused', async () => {
  const member = await insertUser(db)
  const event = await insertEvent(db)
  await registerForEvent(db, { user: member, eventId: event.id })
  const [row] = await outboxTo(member, 'notification_event_registered')
  const mail = await deliver(row!.id)
  const token = tokenOf(unsubscribeLink(mail))
  expect(await unsubscribeNotifications(db, token)).toMatchObject({ ok: true, value: { scope: 'event_registered' } })
  const preferences = await preferencesOf(db, member.id)
  expect(preferences.event_registered).toBe('in_app')
  // Only that kind.
  expect(notificationKinds.filter((kind) => preferences[kind] !== 'email')).toEqual(['event_registered'])

  const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
  expect(await unsubscribeNotifications(db, forged)).toMatchObject({ ok: false, status: 404 })
  const otherKind = token.replace('event_registered', 'event_cancelled')
  expect(await checkNotificationUnsubscribe(db, otherKind)).toMatchObject({ ok: false, status: 404 })
  // Once sent, the stored copy no longer holds the link.
  const [stored] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, row!.id))
  expect(stored!.textBody).not.toContain(token)
  expect(stored!.headers!['List-Unsubscribe']).toContain('/unsubscribe/••••••••')
})

test('question notifications keep their own emails, now with an HTML part and a one-click link', async () => {
  const { insertQuestion, insertAnswer } = await import('#app/server/seed/factories/qa.ts')
  const { watchQuestion } = await import('#app/domain/qa/watches.server.ts')
  const asker = await insertUser(db)
  const question = await insertQuestion(db, { author: asker, title: 'Why <b>bold</b> & co?' })
  await watchQuestion(db, { userId: asker.id, questionId: question.id })
  const answerer = await insertUser(db, { displayName: 'Lin' })
  const answer = await insertAnswer(db, question, { author: answerer, bodyMd: 'Because.' })
  await db.transaction((tx) =>
    notifyAnswerPosted(tx, { questionId: question.id, answerId: answer.id, actor: answerer }),
  )
  const mail = await theEmail(asker, 'notification_answer')
  expect(mail.text).toContain('“Why <b>bold</b> & co?”')
  expect(mail.html).toContain('“Why &lt;b&gt;bold&lt;/b&gt; &amp; co?”')
  expect(mail.html).not.toContain('<b>bold')
  unsubscribeLink(mail)
  const rows = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.userId, asker.id), inArray(notifications.type, ['answer'])))
  expect(rows).toHaveLength(1)
})
