import { and, asc, eq, inArray } from 'drizzle-orm'
import { expect, test } from 'vitest'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { readScoringSettings, writeScoringSettings } from '#app/domain/scoring/settings.server.ts'
import { searchContent } from '#app/domain/search/search.server.ts'
import {
  insertAccount,
  insertEvent,
  insertRegistration,
  insertStaff,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { events } from '#db/schema/events.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { loadSearchDocuments } from '#search/documents.server.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import { db } from '#tests/db.ts'
import { eventViewerOf, viewerMaySeeEvent } from './audience.server.ts'
import { audienceSql, eventVisibleSql, inEventAudience, maySeeEvent } from './audience.ts'
import { calendarFeedToken, eventIcs, feedIcs } from './calendar.server.ts'
import { cancelEvent, getEventPage, listEvents } from './events.server.ts'
import { listMyEvents, registerForEvent } from './registrations.server.ts'
import { sendDueReminders } from './reminders.server.ts'
import { getSurveyForm } from './surveys.server.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A word no other test's content contains, so searches and lists find exactly this test's events. */
function uniqueWord(): string {
  return Array.from({ length: 10 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')
}

/** Accounts in each situation, one member of each, and staff. Tiers by ARR in JPY with the default
 *  settings: 9,000,000 is high touch, 2,400,000 low, 100,000 tech. */
async function people() {
  const high = await insertAccount(db, { arrMinor: 9_000_000 })
  const listed = await insertAccount(db, { arrMinor: 100_000 })
  const low = await insertAccount(db, { arrMinor: 2_400_000 })
  return {
    accounts: { high, listed, low },
    byTier: await insertUser(db, { accountId: high.id }),
    byAccount: await insertUser(db, { accountId: listed.id }),
    outsider: await insertUser(db, { accountId: low.id }),
    /** Outside the audience, but registered (say, before the audience was narrowed). */
    holder: await insertUser(db, { accountId: low.id }),
    noAccount: await insertUser(db),
    staff: await insertStaff(db),
  }
}

/** A restricted event for high-touch accounts and one listed account. */
function restrictedEvent(listedAccountId: number, overrides: Parameters<typeof insertEvent>[1] = {}) {
  return insertEvent(db, {
    audience: 'restricted',
    audienceTiers: ['high'],
    audienceAccountIds: [listedAccountId],
    ...overrides,
  })
}

test('the SQL conditions select exactly the events the pure predicate admits, for every kind of viewer', async () => {
  const p = await people()
  const future = new Date(Date.now() + 5 * DAY)
  const past = new Date(Date.now() - 5 * DAY)
  const created = [
    await insertEvent(db, { startsAt: future }),
    await insertEvent(db, { startsAt: future, status: 'draft' }),
    await insertEvent(db, { startsAt: future, status: 'cancelled', cancelledAt: new Date() }),
    await restrictedEvent(p.accounts.listed.id, { startsAt: future }),
    await restrictedEvent(p.accounts.listed.id, { startsAt: past }),
    await restrictedEvent(p.accounts.listed.id, { startsAt: future, status: 'draft' }),
    await restrictedEvent(p.accounts.listed.id, { startsAt: future, status: 'cancelled', cancelledAt: new Date() }),
    await insertEvent(db, { startsAt: future, audience: 'restricted', audienceTiers: ['low', 'tech'] }),
  ]
  // The holder registered for three restricted events (one of them a draft, which stays hidden) and
  // cancelled one of those registrations: a registration of any status counts, as on the page.
  await insertRegistration(db, created[3]!, p.holder)
  await insertRegistration(db, created[4]!, p.holder, { status: 'cancelled', cancelledAt: new Date() })
  await insertRegistration(db, created[5]!, p.holder)
  const registered = new Set([created[3]!.id, created[4]!.id, created[5]!.id])
  const ids = created.map((event) => event.id)

  const users: (SessionUser | null)[] = [null, p.byTier, p.byAccount, p.outsider, p.holder, p.noAccount, p.staff]
  for (const user of users) {
    const viewer = await eventViewerOf(db, user)
    const mine = (event: { id: number }) => user?.id === p.holder.id && registered.has(event.id)
    const selected = async (where: ReturnType<typeof audienceSql>) =>
      (
        await db
          .select({ id: events.id })
          .from(events)
          .where(and(inArray(events.id, ids), where))
          .orderBy(asc(events.id))
      ).map((row) => row.id)
    const label = user?.email ?? 'visitor'
    expect([label, await selected(eventVisibleSql(viewer))]).toEqual([
      label,
      created.filter((event) => maySeeEvent(viewer, event, mine(event))).map((event) => event.id),
    ])
    expect([label, await selected(audienceSql(viewer))]).toEqual([
      label,
      created.filter((event) => inEventAudience(viewer, event)).map((event) => event.id),
    ])
    for (const event of created) {
      expect([label, event.id, await viewerMaySeeEvent(db, viewer, event)]).toEqual([
        label,
        event.id,
        maySeeEvent(viewer, event, mine(event)),
      ])
    }
  }
  // The low- and tech-touch event admits the outsider (low) and nobody of the high or listed accounts.
  expect(inEventAudience(await eventViewerOf(db, p.outsider), created[7]!)).toBe(true)
  expect(inEventAudience(await eventViewerOf(db, p.byTier), created[7]!)).toBe(false)
})

test("a member's tier is read under the current scoring settings, so a change of thresholds applies at once", async () => {
  const p = await people()
  const event = await insertEvent(db, {
    title: `Tier briefing ${uniqueWord()}`,
    audience: 'restricted',
    audienceTiers: ['high'],
  })
  const listed = async () =>
    (await listEvents(db, { viewer: p.outsider, scope: 'upcoming' })).events.some((row) => row.id === event.id)
  expect(await eventViewerOf(db, p.outsider)).toMatchObject({ staff: false, accountId: p.accounts.low.id, tier: 'low' })
  expect(await listed()).toBe(false)

  const settings = await readScoringSettings(db)
  await writeScoringSettings(db, { ...settings, tiers: { ...settings.tiers, highFrom: 2_000_000 } }, p.staff.id)
  try {
    expect(await eventViewerOf(db, p.outsider)).toMatchObject({ tier: 'high' })
    expect(await listed()).toBe(true)
    expect(await getEventPage(db, { viewer: p.outsider, eventId: event.id })).toMatchObject({ ok: true })
  } finally {
    await writeScoringSettings(db, settings, p.staff.id)
  }
  expect(await eventViewerOf(db, null)).toEqual({ staff: false, userId: null, accountId: null, tier: null })
  expect(await eventViewerOf(db, p.staff)).toMatchObject({ staff: true })
})

test('the page, the .ics file, registration and the survey answer alike: 404 wherever the page is', async () => {
  const p = await people()
  const title = `Roadmap briefing ${uniqueWord()}`
  const event = await restrictedEvent(p.accounts.listed.id, { title })
  await insertRegistration(db, event, p.holder)
  const ended = await restrictedEvent(p.accounts.listed.id, {
    startsAt: new Date(Date.now() - 3 * HOUR),
    endsAt: new Date(Date.now() - 2 * HOUR),
  })
  await insertRegistration(db, ended, p.byTier, { status: 'attended' })

  const visible = { byTier: true, byAccount: true, outsider: false, holder: true, noAccount: false, staff: true }
  expect((await getEventPage(db, { viewer: null, eventId: event.id })).ok).toBe(false)
  const ics = await eventIcs(db, { viewer: null, eventId: event.id })
  expect(ics).toMatchObject({ ok: false, status: 404 })
  for (const [name, may] of Object.entries(visible) as [keyof typeof visible, boolean][]) {
    const user = p[name]
    const page = await getEventPage(db, { viewer: user, eventId: event.id })
    expect([name, page.ok, page.ok ? null : page.status]).toEqual([name, may, may ? null : 404])
    const file = await eventIcs(db, { viewer: user, eventId: event.id })
    expect([name, file.ok]).toEqual([name, may])
    if (file.ok) expect(file.value).toContain(`SUMMARY:${title}`)
    else expect(file).toMatchObject({ status: 404 })

    // The survey of the ended event: its attendee answers; whoever may see the event is told they did
    // not attend; the rest learn nothing.
    const survey = await getSurveyForm(db, { user, eventId: ended.id })
    const expected = name === 'byTier' ? 200 : may && name !== 'holder' ? 403 : 404
    expect([name, survey.ok ? 200 : survey.status]).toEqual([name, expected])
  }

  const registration = async (user: SessionUser) => {
    const outcome = await registerForEvent(db, { user, eventId: event.id })
    return outcome.ok ? outcome.value.status : outcome.status
  }
  expect(await registration(p.outsider)).toBe(404)
  expect(await registration(p.noAccount)).toBe(404)
  expect(await registration(p.byAccount)).toBe('registered')
  expect(await registration(p.byTier)).toBe('registered')
  expect(await registration(p.staff)).toBe('registered')
  // Already holding a place, the holder keeps it (registering again is harmless).
  expect(await registration(p.holder)).toBe('registered')
})

test('lists, the personal feed and search show a restricted event to whoever may see its page, and nobody else', async () => {
  const p = await people()
  const word = uniqueWord()
  const title = `Partner roadmap ${word}`
  const event = await restrictedEvent(p.accounts.listed.id, { title, bodyMd: `What comes next for ${word}.` })
  const past = await restrictedEvent(p.accounts.listed.id, {
    title: `Past partner roadmap ${word}`,
    startsAt: new Date(Date.now() - 3 * DAY),
  })
  for (const user of [p.byAccount, p.holder]) {
    await insertRegistration(db, event, user)
    await insertRegistration(db, past, user, { status: 'attended' })
  }
  const { docs } = await loadSearchDocuments(db, [
    { type: 'event', id: event.id },
    { type: 'event', id: past.id },
  ])
  expect(docs.map((doc) => [doc.restricted, doc.audienceAccountIds, doc.audienceTiers])).toEqual([
    [true, [p.accounts.listed.id], ['high']],
    [true, [p.accounts.listed.id], ['high']],
  ])
  await new EmbeddedSearchEngine(db).upsert(docs)

  const listed = async (user: SessionUser | null, scope: 'upcoming' | 'past') =>
    (await listEvents(db, { viewer: user, scope })).events.some((row) => row.title.includes(word))
  const found = async (user: SessionUser | null, q: string) => {
    const outcome = await searchContent(db, { request: { q }, user, locale: 'en' })
    if (!outcome.ok) throw new Error(outcome.code)
    return outcome.value.result.hits
      .filter((hit) => hit.type === 'event')
      .map((hit) => hit.docId)
      .sort((a, b) => a - b)
  }
  const everyone = { visitor: null, ...p }
  const pageVisible = {
    visitor: false,
    byTier: true,
    byAccount: true,
    outsider: false,
    holder: true,
    noAccount: false,
    staff: true,
  }
  for (const [name, may] of Object.entries(pageVisible) as [keyof typeof pageVisible, boolean][]) {
    const user = everyone[name]
    expect([name, await listed(user, 'upcoming'), await listed(user, 'past')]).toEqual([name, may, may])
    // Search serves the audience and staff. A place holder outside the audience finds the event on
    // /events (above) and in their feed, not in search: the index knows audiences, not registrations.
    const searchable = may && name !== 'holder'
    expect([name, await found(user, word)]).toEqual([name, searchable ? [event.id, past.id] : []])
    // Suggestions as the reader types: the last word is a prefix.
    expect([name, (await found(user, `${word} partner roadm`)).includes(event.id)]).toEqual([name, searchable])
  }

  // The member's own lists and feed: their registrations, each one an event they may see.
  for (const user of [p.byAccount, p.holder]) {
    const upcoming = await listMyEvents(db, { user, scope: 'upcoming' })
    expect(upcoming.map((row) => row.id)).toContain(event.id)
    const feed = await feedIcs(db, await calendarFeedToken(db, user.id))
    expect(feed.ok && feed.value).toContain(`SUMMARY:${title}`)
  }
  for (const user of [p.outsider, p.byTier]) {
    const feed = await feedIcs(db, await calendarFeedToken(db, user.id))
    expect(feed.ok && feed.value).not.toContain(word)
    expect((await listMyEvents(db, { user, scope: 'upcoming' })).map((row) => row.id)).not.toContain(event.id)
  }
})

test('emails about a restricted event go only to members who hold a place at it', async () => {
  const p = await people()
  const startsAt = new Date('2032-02-02T09:00:00Z')
  const word = uniqueWord()
  const event = await restrictedEvent(p.accounts.listed.id, { title: `Roadmap ${word}`, startsAt })
  await insertRegistration(db, event, p.byAccount)
  await insertRegistration(db, event, p.holder)
  await insertRegistration(db, event, p.byTier, { status: 'cancelled', cancelledAt: new Date() })

  await sendDueReminders(db, new Date(startsAt.getTime() - 20 * HOUR))
  const reminded = await db
    .select({ to: emailOutbox.toAddress, text: emailOutbox.textBody })
    .from(emailOutbox)
    .where(eq(emailOutbox.template, 'event_reminder_24h'))
  const aboutEvent = reminded.filter((mail) => mail.text.includes(word)).map((mail) => mail.to)
  expect(aboutEvent.sort()).toEqual([p.byAccount.email, p.holder.email].sort())

  await cancelEvent(db, { actor: p.staff, eventId: event.id })
  const cancelled = await db
    .select({ to: emailOutbox.toAddress, subject: emailOutbox.subject })
    .from(emailOutbox)
    .where(eq(emailOutbox.template, 'notification_event_cancelled'))
  expect(
    cancelled
      .filter((mail) => mail.subject.includes(word))
      .map((mail) => mail.to)
      .sort(),
  ).toEqual([p.byAccount.email, p.holder.email].sort())
})
