import { eq, ilike, or } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sendDueReminders } from '#app/domain/events/reminders.server.ts'
import { instantToZonedLocal } from '#app/lib/time-zones.ts'
import { events } from '#db/schema/events.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { db } from '#tests/db.ts'
import type { AppServer, Reply, Visitor } from './app-server.ts'
import { issuedSubmissionKey } from './forms.ts'
import { personaEmails, startWithPersonas } from './personas.ts'

// Issue 16: a restricted event is seen exactly where its page (/events/:id) would be shown. Every view
// of an event is walked as a visitor, a member outside the audience, a member inside it and staff:
// the page, its .ics file, each member's calendar feed, the events lists, the home page, search and
// its suggestions, the survey, and the mail outbox after the reminder job ran.
//
// Two restricted events: one staff create through the form for Bluebird Studio alone (Bob's account;
// Nina's Northwind is outside it), and the demo's office hours for high-touch accounts (Nina's
// Northwind is high touch, Bob's Bluebird low touch), the event of the issue's `/events/3.ics`.

const HOUR = 3_600_000
const DAY = 24 * HOUR

type Walker = 'visitor' | 'outsider' | 'insider' | 'staff'
const walkers: Walker[] = ['visitor', 'outsider', 'insider', 'staff']

let app: AppServer
let as: Record<Walker, Visitor>

/** Words found nowhere in the demo data: one in the title, one in the description. */
const titleWord = `Quillfeather${Date.now().toString(36)}`
const bodyWord = `Marrowvale${Date.now().toString(36)}`
const title = `Bluebird roadmap ${titleWord}`
const officeHoursTitle = 'API office hours for high-touch customers'

let bluebird: { id: number; startsAt: Date }
let officeHours: { id: number }
let insiderId: number

/** iCalendar folds long lines; unfolded, a word split across a fold is whole again. */
function unfolded(text: string): string {
  return text.replace(/\r?\n[ \t]/g, '')
}

function mentions(reply: Reply, ...words: string[]): boolean {
  const text = unfolded(reply.text)
  return words.some((word) => text.includes(word))
}

beforeAll(async () => {
  const { app: started, visitors } = await startWithPersonas({ RATE_LIMITS: 'off' })
  app = started
  as = { visitor: visitors.visitor, outsider: visitors.other, insider: visitors.member, staff: visitors.staff }

  const [bob] = await db
    .select({ id: users.id, accountId: users.accountId })
    .from(users)
    .where(eq(users.email, personaEmails.member))
  insiderId = bob!.id
  const [account] = await db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, bob!.accountId!))
  expect(account?.name).toBe('Bluebird Studio')

  // Two days ahead: the first upcoming event on the home page, and out of the reminder job's reach
  // until the test runs it with its own clock.
  const startsAt = new Date(Math.ceil((Date.now() + 2 * DAY) / HOUR) * HOUR)
  const created = await as.staff.post('/events/new', {
    submissionKey: await issuedSubmissionKey(as.staff, '/events/new'),
    intent: 'publish',
    kind: 'webinar',
    title,
    body: `A private agenda: ${bodyWord} and what comes after it.`,
    locale: 'en',
    timeZone: 'UTC',
    startsAt: instantToZonedLocal(startsAt, 'UTC'),
    endsAt: instantToZonedLocal(new Date(startsAt.getTime() + HOUR), 'UTC'),
    onlineUrl: 'https://meet.example/bluebird-roadmap',
    audience: 'restricted',
    audienceAccountIds: String(bob!.accountId),
  })
  expect(created.status, created.text.slice(0, 500)).toBe(302)
  const id = Number(/^\/events\/(\d+)\?notice=published$/.exec(created.location ?? '')?.[1])
  expect(id).toBeGreaterThan(0)
  bluebird = { id, startsAt }

  const [demo] = await db.select({ id: events.id }).from(events).where(eq(events.title, officeHoursTitle))
  officeHours = demo!

  // The search sync indexes the new event in the background; staff find it once it has.
  const deadline = Date.now() + 30_000
  while (!mentions(await as.staff.get(`/search/suggest?q=${bodyWord}`), titleWord)) {
    if (Date.now() > deadline) throw new Error(`the new event never reached search:\n${app.stderr().slice(-2000)}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
})

afterAll(async () => {
  await app?.stop()
})

/** Who may see each event's page: the reference every other view is held to. */
const seesBluebird: Record<Walker, boolean> = { visitor: false, outsider: false, insider: true, staff: true }
const seesOfficeHours: Record<Walker, boolean> = { visitor: false, outsider: true, insider: false, staff: true }

test('the page and its .ics file: the event for whoever may see it, a 404 that names nothing for everyone else', async () => {
  const cases = [
    { event: bluebird, sees: seesBluebird, words: [titleWord, bodyWord], summary: `SUMMARY:${title}` },
    {
      event: officeHours,
      sees: seesOfficeHours,
      words: [officeHoursTitle, 'rate limits, webhooks'],
      summary: 'SUMMARY:API office',
    },
  ]
  const seen: string[] = []
  for (const { event, words, summary } of cases) {
    for (const who of walkers) {
      const page = await as[who].get(`/events/${event.id}`)
      const ics = await as[who].get(`/events/${event.id}.ics`)
      const file = ics.status === 200 && ics.headers.get('content-type')?.includes('text/calendar')
      seen.push(
        `${event.id} ${who}: page ${page.status} ${mentions(page, ...words)}, ` +
          `ics ${ics.status} ${mentions(ics, ...words)} ${file ? unfolded(ics.text).includes(summary) : '-'}`,
      )
    }
  }
  expect(seen).toEqual(
    cases.flatMap(({ event, sees }) =>
      walkers.map((who) =>
        sees[who]
          ? `${event.id} ${who}: page 200 true, ics 200 true true`
          : `${event.id} ${who}: page 404 false, ics 404 false -`,
      ),
    ),
  )
})

test('registration: the audience and staff register; an outsider is told the event does not exist', async () => {
  const outsider = await as.outsider.post(`/events/${bluebird.id}`, { intent: 'register' })
  expect(outsider.status).toBe(404)
  expect(mentions(outsider, titleWord, bodyWord)).toBe(false)
  for (const who of ['insider', 'staff'] as const) {
    const reply = await as[who].post(`/events/${bluebird.id}`, { intent: 'register' })
    expect(reply.status).toBe(302)
    expect(reply.location).toBe(`/events/${bluebird.id}?notice=registered`)
  }
  // The office hours are for high touch: Bob (low touch) cannot register, Nina (high touch) can.
  expect((await as.insider.post(`/events/${officeHours.id}`, { intent: 'register' })).status).toBe(404)
  expect((await as.outsider.post(`/events/${officeHours.id}`, { intent: 'register' })).status).toBe(302)
})

test("each member's calendar feed lists the events they registered for, every one of which they may see", async () => {
  // Registered above: Bob and staff for the Bluebird event, Nina for the office hours.
  const registered = { outsider: [false, true], insider: [true, false], staff: [true, false] }
  for (const who of ['outsider', 'insider', 'staff'] as const) {
    const mine = await as[who].get('/events?tab=mine')
    expect(mine.status).toBe(200)
    const token = /\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(mine.text)?.[1]
    expect(token, who).toBeTruthy()
    // The feed's address is the credential: fetched without the session, as a calendar app does.
    const feed = await fetch(`${app.origin}/calendar/${token}.ics`)
    const text = unfolded(await feed.text())
    expect(feed.status).toBe(200)
    const listed = [text.includes(titleWord), text.includes(officeHoursTitle)]
    expect([who, ...listed]).toEqual([who, ...registered[who]])
    expect([who, listed[0] && !seesBluebird[who], listed[1] && !seesOfficeHours[who]]).toEqual([who, false, false])
    expect([who, mentions(mine, titleWord)]).toEqual([who, registered[who][0]])
  }
})

test('the events list and the home page show each event exactly to those who may see its page; profiles and notifications to nobody', async () => {
  for (const who of walkers) {
    const list = await as[who].get('/events')
    const home = await as[who].get('/')
    expect(list.status).toBe(200)
    expect(home.status).toBe(200)
    expect([who, 'list', mentions(list, titleWord), mentions(list, officeHoursTitle)]).toEqual([
      who,
      'list',
      seesBluebird[who],
      seesOfficeHours[who],
    ])
    // The home page lists the three soonest upcoming events the reader may see: the Bluebird event
    // (in two days) comes first, the office hours (in six) are among the three for Nina and staff.
    expect([who, 'home', mentions(home, titleWord), mentions(home, officeHoursTitle)]).toEqual([
      who,
      'home',
      seesBluebird[who],
      seesOfficeHours[who],
    ])
    // Profiles list no events; the registered member's profile names none. Notifications name the event
    // only to those who registered for it (the confirmation), who may all see it.
    const profile = await as[who].get(`/users/${insiderId}`)
    expect([who, 'profile', mentions(profile, titleWord, bodyWord)]).toEqual([who, 'profile', false])
    const notifications = await as[who].get('/notifications')
    expect([who, 'notifications', mentions(notifications, titleWord, bodyWord)]).toEqual([
      who,
      'notifications',
      who === 'insider' || who === 'staff',
    ])
  }
})

test('search and its suggestions find a restricted event for its audience and staff, and for nobody else', async () => {
  for (const who of walkers) {
    // The query is the description's word, echoed on the page: the title's word shows only in a hit.
    const page = await as[who].get(`/search?q=${bodyWord}`)
    const suggest = await as[who].get(`/search/suggest?q=${bodyWord}`)
    const events = await as[who].get(`/search?q=${bodyWord}&type=event&upcoming=yes`)
    expect(page.status).toBe(200)
    expect(suggest.status).toBe(200)
    expect([who, mentions(page, titleWord), mentions(suggest, titleWord), mentions(events, titleWord)]).toEqual([
      who,
      seesBluebird[who],
      seesBluebird[who],
      seesBluebird[who],
    ])
    const officeHoursHits = await as[who].get('/search?q=pagination+webhooks&type=event')
    expect([who, mentions(officeHoursHits, officeHoursTitle)]).toEqual([who, seesOfficeHours[who]])
  }
})

test('the survey of the event is refused without naming it; attendance and results stay staff-only', async () => {
  for (const who of walkers) {
    for (const path of ['survey', 'results', 'attendance']) {
      const reply = await as[who].get(`/events/${bluebird.id}/${path}`)
      const allowed = who === 'staff' && path !== 'survey'
      expect([
        who,
        path,
        reply.status < 400 && !reply.location?.startsWith('/login'),
        mentions(reply, titleWord, bodyWord),
      ]).toEqual([who, path, allowed, allowed])
    }
  }
  // Outside the audience the survey is as unknown as the page; inside, it is not open to non-attendees.
  expect((await as.outsider.get(`/events/${bluebird.id}/survey`)).status).toBe(404)
  expect((await as.insider.get(`/events/${bluebird.id}/survey`)).status).toBe(403)
})

test('the reminder job mails the event only to those holding a place, who may all see it', async () => {
  const due = await sendDueReminders(db, new Date(bluebird.startsAt.getTime() - 20 * HOUR))
  expect(due.length).toBeGreaterThan(0)
  const mails = await db
    .select({ to: emailOutbox.toAddress, template: emailOutbox.template })
    .from(emailOutbox)
    .where(
      or(
        ilike(emailOutbox.subject, `%${titleWord}%`),
        ilike(emailOutbox.textBody, `%${titleWord}%`),
        ilike(emailOutbox.textBody, `%${bodyWord}%`),
      ),
    )
  // Bob and staff registered (each had the registration's confirmation); Nina, outside the audience,
  // was never mailed about it.
  expect(mails.map((mail) => [mail.to, mail.template]).sort()).toEqual(
    [
      [personaEmails.member, 'notification_event_registered'],
      [personaEmails.staff, 'notification_event_registered'],
      [personaEmails.member, 'event_reminder_24h'],
      [personaEmails.staff, 'event_reminder_24h'],
    ].sort(),
  )
})
