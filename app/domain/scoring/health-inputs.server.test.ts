import { expect, test } from 'vitest'
import { type ActivityType, recordActivity } from '#app/domain/activity/ledger.server.ts'
import { insertAccount, insertEvent, insertUser } from '#app/server/seed/factories/index.ts'
import { eventSurveys } from '#db/schema/events.ts'
import { db } from '#tests/db.ts'
import type { AccountHealthInput } from './health.ts'
import { accountHealthInputs } from './health-inputs.server.ts'
import type { MemberEngagement } from './member-engagement.server.ts'
import { defaultScoringSettings, type ScoringSettings } from './settings.ts'

// The inputs of account health from a small ledger whose every row is known, so each figure can be
// worked out by hand. Windows counted in working days skip Japan's national holidays and the default
// periods (Golden Week is 04-29..05-06); the comments give the windows each figure is read from.

let sequence = 0

async function record(user: { id: number; accountId: number | null }, type: ActivityType, at: string, times = 1) {
  for (let i = 0; i < times; i++) {
    await recordActivity(db, {
      type,
      user,
      uniqueKey: `health-inputs-test:${++sequence}`,
      subject: { type: 'test', id: sequence },
      occurredAt: new Date(at),
    })
  }
}

function account(overrides: Parameters<typeof insertAccount>[1]) {
  return insertAccount(db, { createdAt: new Date('2025-01-01T00:00:00Z'), contractStart: '2025-01-01', ...overrides })
}

function member(accountId: number, displayName: string, createdAt = '2025-01-01T00:00:00Z') {
  return insertUser(db, { accountId, displayName, createdAt: new Date(createdAt) })
}

async function survey(user: { id: number }, nps: number, at: string) {
  const event = await insertEvent(db, { startsAt: new Date('2026-01-10T10:00:00Z') })
  await db.insert(eventSurveys).values({ eventId: event.id, userId: user.id, rating: 4, nps, createdAt: new Date(at) })
}

async function inputsOn(
  day: string,
  settings: ScoringSettings = defaultScoringSettings,
  members: ReadonlyMap<number, MemberEngagement> = new Map(),
): Promise<Map<number, AccountHealthInput>> {
  const inputs = await accountHealthInputs(db, { asOf: new Date(`${day}T12:00:00Z`), settings, members })
  return new Map(inputs.map((input) => [input.accountId, input]))
}

/** json_agg gives no order: key contributors by name. */
function byName(contributors: AccountHealthInput['keyContributors'] | undefined) {
  return [...(contributors ?? [])].sort((a, b) => a.name.localeCompare(b.name))
}

test('every input figure of a known ledger on 10 Jul 2026, young and old accounts alike', async () => {
  // The day's windows (no holiday from 16 May on; Golden Week and 20 Mar lie in the older ones):
  //   trend weeks, newest first: 07-04..07-10, 06-27..07-03, 06-20..06-26, 06-13..06-19, 06-06..06-12,
  //     05-30..06-05, 05-23..05-29, 05-16..05-22
  //   breadth: from 06-13; the same 28 working days 60 working days earlier: 04-06..05-11
  //   champions: silent since 06-13 (28 working days); baseline 03-06..06-12 (90 working days)
  //   calendar days: support load, deflections and events after 04-12 00:00 (90 days); ticket surge
  //     from 06-11 (30 days) against 03-13..06-10 (the 90 before); surveys after 2026-01-12 (180 days)
  const day = '2026-07-10'
  const kappa = await account({ name: 'Kappa', seats: 10, arrMinor: 10_000_000 })
  const aiko = await member(kappa.id, 'Aiko Sato')
  const ken = await member(kappa.id, 'Ken Mori')
  const taro = await member(kappa.id, '山田太郎')
  const uma = await member(kappa.id, 'Uma')
  const hana = await member(kappa.id, 'Hana')

  // Aiko carried the account and has been silent since 20 May: 8 + 18 + 10 = 36 contribution points.
  await record(aiko, 'event_attended', '2026-04-11T12:00:00Z') // before the 90-day events window
  await record(aiko, 'answer_posted', '2026-04-15T10:00:00Z', 6)
  await record(aiko, 'answer_accepted', '2026-05-20T10:00:00Z')
  // Ken: 15 points in the baseline, active since.
  await record(ken, 'answer_posted', '2026-06-01T10:00:00Z', 5)
  await record(ken, 'event_attended', '2026-06-15T10:00:00Z')
  await record(ken, 'comment_posted', '2026-07-08T10:00:00Z')
  await record(ken, 'answer_posted', '2026-07-12T10:00:00Z') // after the day: counts nowhere
  // Taro: 2 points of votes (under a quarter of the account's), the tickets, and active this week.
  await record(taro, 'ticket_deflected', '2026-04-01T10:00:00Z') // before the 90-day window
  await record(taro, 'vote_cast', '2026-06-05T10:00:00Z', 4)
  await record(taro, 'ticket_filed', '2026-06-20T10:00:00Z', 2)
  await record(taro, 'ticket_deflected', '2026-06-25T10:00:00Z', 2)
  await record(taro, 'ticket_filed', '2026-07-01T10:00:00Z', 3)
  await record(taro, 'visit_day', '2026-07-09T10:00:00Z')
  // Uma read in the first days and in April: visits are activity, never contributions.
  await record(uma, 'visit_day', '2025-01-03T10:00:00Z')
  await record(uma, 'visit_day', '2026-04-20T10:00:00Z')
  // Hana filed a ticket before the support window (in the surge baseline) and one inside both.
  await record(hana, 'ticket_filed', '2026-04-10T10:00:00Z')
  await record(hana, 'ticket_filed', '2026-05-05T10:00:00Z')

  await survey(aiko, 9, '2026-07-10T12:00:00Z') // half a day before the end of the day
  await survey(ken, 3, '2026-06-10T00:00:00Z') // 31 days
  await survey(taro, 10, '2026-01-01T00:00:00Z') // 191 days: too old
  await survey(hana, 0, '2026-07-11T00:00:00Z') // the next day: not yet

  // The carrier of a quiet account, alone: silent since 15 Apr, and nobody else active.
  const solo = await account({ name: 'Solo', seats: 2, arrMinor: 10_000_000, touchTierOverride: 'low' })
  const sam = await member(solo.id, 'Sam')
  await record(sam, 'answer_posted', '2026-04-15T10:00:00Z', 6)

  // Young (61 days on the day): its milestones count up to day 45, 25 Jun.
  const newco = await account({
    name: 'Newco',
    seats: 10,
    arrMinor: null,
    createdAt: new Date('2026-05-11T00:00:00Z'),
    contractStart: '2026-05-11',
  })
  const n1 = await member(newco.id, 'N1', '2026-05-12T09:00:00Z')
  await member(newco.id, 'N2', '2026-06-20T09:00:00Z')
  await member(newco.id, 'N3', '2026-06-30T09:00:00Z') // joined after day 45
  await member(newco.id, 'N4', '2026-05-01T09:00:00Z') // invited before the contract started
  await record(n1, 'visit_day', '2026-05-12T10:00:00Z')
  await record(n1, 'visit_day', '2026-05-13T10:00:00Z')
  await record(n1, 'comment_posted', '2026-05-13T11:00:00Z')
  await record(n1, 'comment_posted', '2026-05-20T10:00:00Z')
  await record(n1, 'visit_day', '2026-06-24T10:00:00Z')
  await record(n1, 'question_asked', '2026-06-26T10:00:00Z') // after day 45: no milestone
  await record(n1, 'visit_day', '2026-06-27T10:00:00Z')

  // Younger still (21 days): its milestones count up to the day.
  const sprout = await account({
    name: 'Sprout',
    seats: 5,
    arrMinor: null,
    createdAt: new Date('2026-06-20T00:00:00Z'),
    contractStart: '2026-06-20',
  })
  const s1 = await member(sprout.id, 'S1', '2026-06-20T09:00:00Z')
  await record(s1, 'event_attended', '2026-06-22T10:00:00Z')
  await record(s1, 'visit_day', '2026-06-23T10:00:00Z')
  await record(s1, 'visit_day', '2026-07-10T10:00:00Z')

  // Churned before the day: left out. Churning later: still an account on the day.
  const gone = await account({ name: 'Gone', churnedAt: new Date('2026-07-01T00:00:00Z') })
  const leaving = await account({ name: 'Leaving', churnedAt: new Date('2026-08-01T00:00:00Z') })

  const engagement = new Map<number, MemberEngagement>([
    [aiko.id, { points: 30.04, level: 'contributor', byType: {}, accountId: kappa.id }],
    [ken.id, { points: 80.06, level: 'champion', byType: {}, accountId: kappa.id }],
    [taro.id, { points: 0, level: 'observer', byType: {}, accountId: kappa.id }],
    [n1.id, { points: 5, level: 'participant', byType: {}, accountId: newco.id }],
    // Staff belong to no account.
    [(await insertUser(db, { role: 'staff' })).id, { points: 50, level: 'champion', byType: {}, accountId: null }],
  ])
  const inputs = await inputsOn(day, defaultScoringSettings, engagement)
  expect(inputs.has(gone.id)).toBe(false)
  expect(inputs.has(leaving.id)).toBe(true)

  const k = inputs.get(kappa.id)!
  expect({ ...k, keyContributors: byName(k.keyContributors), npsAnswers: undefined }).toEqual({
    accountId: kappa.id,
    accountName: 'Kappa',
    tier: 'high',
    seats: 10,
    // 365 days of 2025 and 191 of 2026 up to the end of 10 Jul.
    ageDays: 556,
    engagementPoints: 110.1,
    champions: 1,
    // Raw points, no caps or decay: Ken's comment and Taro's visit; nothing (tickets, deflections);
    // Ken's event; Ken's answers and Taro's votes; Aiko's accepted answer.
    activityWeeks: [2, 0, 0, 8, 0, 17, 0, 10],
    // Ken and Taro; Aiko, Uma and Hana then (Taro's April deflection is before 6 Apr).
    activeMembers: 2,
    activeMembersBefore: 3,
    // Aiko 36, Ken 15, Taro 2 (Uma's visits are not contributions).
    contributionPoints: 53,
    keyContributors: [
      { name: 'Aiko Sato', points: 36, silentDays: 51 },
      { name: 'Ken Mori', points: 15, silentDays: 2 },
    ],
    // Taro, who is not a key contributor, is active this week.
    othersActive: true,
    // The tickets of 5 May, 20 Jun and 1 Jul; 10 Apr is before the window.
    tickets: 6,
    deflections: 2,
    // Active after 12 Apr: Aiko, Ken, Taro, Uma, Hana.
    supportMembers: 5,
    surgeTickets: 5,
    surgeBaselineTickets: 2,
    surgeMembers: 2,
    surgeBaselineMembers: 5,
    eventsAttended: 1,
    npsAnswers: undefined,
    // Uma's visit on 3 Jan 2025.
    firstDaysActivity: 1,
    // No milestones for an account past the onboarding window.
    membersJoined: 0,
    onboardingActiveDays: 0,
    onboardingContributed: false,
    // Taro's visit on 9 Jul.
    daysSinceLastActivity: 1,
  })
  expect([...k.npsAnswers].sort((a, b) => a.ageDays - b.ageDays)).toEqual([
    { score: 9, ageDays: 0.5 },
    { score: 3, ageDays: 31 },
  ])

  const quiet = inputs.get(solo.id)!
  expect(quiet).toMatchObject({
    tier: 'low',
    contributionPoints: 18,
    // 86 calendar days since 15 Apr, less the 8 of Golden Week.
    keyContributors: [{ name: 'Sam', points: 18, silentDays: 78 }],
    othersActive: false,
    daysSinceLastActivity: 78,
    activeMembers: 0,
    activeMembersBefore: 1,
    engagementPoints: 0,
    champions: 0,
    npsAnswers: [],
  })

  expect(inputs.get(newco.id)).toMatchObject({
    tier: 'tech',
    ageDays: 61,
    // Before day 14 (25 May): the visits of 12 and 13 May, the comments of 13 and 20 May.
    firstDaysActivity: 4,
    // N1, N2 and N4; N3 joined after day 45.
    membersJoined: 3,
    // 12, 13 and 20 May and 24 Jun; not 27 Jun.
    onboardingActiveDays: 4,
    // The first question came on 26 Jun, after day 45.
    onboardingContributed: false,
    engagementPoints: 5,
    // The two comments of May are its whole baseline (key contributors are listed whatever the total;
    // the champions measure wants `minPoints` before it judges).
    contributionPoints: 2,
    keyContributors: [{ name: 'N1', points: 2, silentDays: 13 }],
    daysSinceLastActivity: 13,
  })
  expect(inputs.get(sprout.id)).toMatchObject({
    ageDays: 21,
    firstDaysActivity: 2,
    membersJoined: 1,
    onboardingActiveDays: 3,
    onboardingContributed: true,
    eventsAttended: 1,
    daysSinceLastActivity: 0,
  })
})

test('activity absent over Golden Week is not silence, and the working-day windows stretch over it', async () => {
  // 7 May 2026 is the first working day after Golden Week (29 Apr – 6 May).
  const day = '2026-05-07'
  const golden = await account({ name: 'Golden', seats: 4, arrMinor: 10_000_000 })
  const g1 = await member(golden.id, 'Gin')
  const g2 = await member(golden.id, 'Goro')
  const g3 = await member(golden.id, 'Gaku')
  await record(g1, 'answer_posted', '2026-03-10T10:00:00Z', 5)
  await record(g3, 'visit_day', '2026-04-01T10:00:00Z')
  await record(g2, 'visit_day', '2026-04-03T10:00:00Z')
  await record(g1, 'answer_posted', '2026-04-28T10:00:00Z')

  const withHolidays = (await inputsOn(day)).get(golden.id)!
  // One working day (7 May) since 28 Apr, for the account and for its key contributor.
  expect(withHolidays.daysSinceLastActivity).toBe(1)
  expect(withHolidays.keyContributors).toEqual([{ name: 'Gin', points: 15, silentDays: 1 }])
  // The last 28 working days reach back to 2 Apr: Goro's visit of 3 Apr counts, Gaku's of 1 Apr not.
  expect(withHolidays.activeMembers).toBe(2)
  // The newest week of seven working days is 23–28 Apr and 7 May: it holds the answer of 28 Apr;
  // Goro's visit is in the week of 2–8 Apr, Gaku's in the week of 26 Mar – 1 Apr, and the eight weeks
  // reach back to 4 Mar (20 Mar is a holiday too), so the answers of 10 Mar are in the oldest.
  expect(withHolidays.activityWeeks).toEqual([3, 0, 0, 1, 1, 0, 0, 15])

  // Without the calendar the same ledger reads as nine quiet days and a collapse of the last week.
  const noHolidays: ScoringSettings = {
    ...defaultScoringSettings,
    health: { ...defaultScoringSettings.health, holidays: { japan: false, periods: [] } },
  }
  const calendar = (await inputsOn(day, noHolidays)).get(golden.id)!
  expect(calendar.daysSinceLastActivity).toBe(9)
  expect(calendar.keyContributors).toEqual([{ name: 'Gin', points: 15, silentDays: 9 }])
  expect(calendar.activeMembers).toBe(1)
  // Eight calendar weeks reach back to 13 Mar only.
  expect(calendar.activityWeeks).toEqual([0, 3, 0, 0, 1, 1, 0, 0])
})
