import { eq, inArray } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { writeSetting } from '#app/lib/settings.server.ts'
import { insertAccount, insertAdmin, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { auditLog } from '#db/schema/identity.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { npsSurveys, surveyOptOuts } from '#db/schema/retention.ts'
import { db } from '#tests/db.ts'
import {
  answerNpsSurvey,
  commentNpsSurvey,
  npsJobs,
  openNpsSurvey,
  readNpsSettings,
  sendDueSurveys,
  setSurveyEmails,
  surveyEmailsEnabled,
  surveyToken,
  unsubscribeFromSurveys,
  unsubscribeToken,
  updateNpsSettings,
} from './nps.server.ts'
import { defaultNpsSettings, NPS_SETTING_KEY, type NpsSettings, quarterOf } from './nps-schemas.ts'

const DAY = 24 * 60 * 60 * 1000

async function useSettings(overrides: Partial<NpsSettings> = {}) {
  const admin = await insertAdmin(db)
  await writeSetting(db, {
    key: NPS_SETTING_KEY,
    value: { ...defaultNpsSettings, enabled: true, ...overrides },
    actorId: admin.id,
  })
}

function daysBefore(now: Date, days: number) {
  return new Date(now.getTime() - days * DAY)
}

async function surveysOf(userIds: number[]) {
  if (userIds.length === 0) return []
  return db.select().from(npsSurveys).where(inArray(npsSurveys.userId, userIds)).orderBy(npsSurveys.id)
}

/** A member of `account` who joined `joinedDaysAgo` before `now`. */
function member(account: { id: number }, now: Date, overrides: Parameters<typeof insertUser>[1] = {}) {
  return insertUser(db, { accountId: account.id, createdAt: daysBefore(now, 100), ...overrides })
}

test('the send picks exactly the members who are due, once a quarter, in their language with the RFC 8058 headers', async () => {
  const now = new Date('2031-02-10T02:00:00Z')
  await useSettings({ cadenceMonths: 6, firstAfterDays: 30, productName: 'Acme Cloud' })
  const account = await insertAccount(db)
  const churned = await insertAccount(db, { churnedAt: daysBefore(now, 5) })
  const hana = await member(account, now, { locale: 'ja', displayName: 'Hana' })
  const sam = await member(account, now, { displayName: 'Sam' })
  const surveyedLongAgo = await member(account, now)
  const notDue = [
    await member(account, now, { emailVerifiedAt: null }),
    await member(account, now, { disabledAt: daysBefore(now, 1) }),
    await member(churned, now),
    await insertStaff(db, { accountId: account.id, createdAt: daysBefore(now, 100) }),
    await insertUser(db, { accountId: null, createdAt: daysBefore(now, 100) }),
  ]
  const newcomer = await member(account, now, { createdAt: daysBefore(now, 10) })
  const optedOut = await member(account, now)
  await db.insert(surveyOptOuts).values({ userId: optedOut.id })
  const surveyedRecently = await member(account, now)
  // Four months ago (inside the 6-month cadence), and seven months ago (outside it).
  await db.insert(npsSurveys).values([
    { userId: surveyedRecently.id, accountId: account.id, quarter: '2030Q4', sentAt: daysBefore(now, 120) },
    { userId: surveyedLongAgo.id, accountId: account.id, quarter: '2030Q3', sentAt: daysBefore(now, 210) },
  ])

  const first = await sendDueSurveys(db, now)
  const mine = [hana, sam, surveyedLongAgo, ...notDue, newcomer, optedOut, surveyedRecently].map((user) => user.id)
  const sent = (await surveysOf(mine)).filter((survey) => survey.quarter === quarterOf(now))
  expect(sent.map((survey) => survey.userId).sort()).toEqual([hana.id, sam.id, surveyedLongAgo.id].sort())
  expect(sent.every((survey) => survey.accountId === account.id && survey.score === null)).toBe(true)
  expect(first.surveyIds).toEqual(expect.arrayContaining(sent.map((survey) => survey.id)))
  expect(first.emailIds).toHaveLength(first.surveyIds.length)

  const [japanese] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, hana.email))
  expect(japanese).toMatchObject({ template: 'nps_survey', status: 'pending' })
  expect(japanese!.subject).toContain('Acme Cloud')
  expect(japanese!.textBody).toContain('Hana 様')
  expect(japanese!.textBody).toContain('Acme Cloud を同僚に勧める可能性は')
  const links = [...japanese!.textBody.matchAll(/https?:\/\/\S+\/surveys\/nps\/(\S+)\/(\d+)/g)]
  expect(links.map((link) => Number(link[2]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  const hanaSurvey = sent.find((survey) => survey.userId === hana.id)!
  expect(links[0]![1]).toBe(await surveyToken(db, hanaSurvey.id))
  const unsubscribe = `/surveys/unsubscribe/${await unsubscribeToken(db, hana.id)}`
  expect(japanese!.textBody).toContain(unsubscribe)
  expect(japanese!.headers).toEqual({
    'List-Unsubscribe': expect.stringMatching(new RegExp(`^<https?://[^>]+${unsubscribe.replaceAll('.', '\\.')}>$`)),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  })
  const [english] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, sam.email))
  expect(english!.textBody).toContain('How likely are you to recommend Acme Cloud to a colleague?')

  // The same day again, and a month later in the same quarter: nobody is asked twice; the newcomer has
  // now been a member for 40 days and is asked.
  const again = await sendDueSurveys(db, now)
  const later = await sendDueSurveys(db, new Date(now.getTime() + 30 * DAY))
  const all = await surveysOf(mine)
  expect(all.length).toBe(sent.length + 3)
  expect(all.at(-1)).toMatchObject({ userId: newcomer.id, quarter: '2031Q1' })
  expect([...again.surveyIds, ...later.surveyIds].filter((id) => sent.some((survey) => survey.id === id))).toEqual([])
  // A new quarter inside the cadence: still nobody; past the cadence: the same members again.
  await sendDueSurveys(db, new Date('2031-05-10T02:00:00Z'))
  expect((await surveysOf([hana.id])).length).toBe(1)
  await sendDueSurveys(db, new Date('2031-08-11T02:00:00Z'))
  expect((await surveysOf([hana.id])).map((survey) => survey.quarter)).toEqual(['2031Q1', '2031Q3'])
})

test('two sends at the same moment ask each member once: one survey row and one email each', async () => {
  const now = new Date('2032-03-03T02:00:00Z')
  await useSettings({ cadenceMonths: 3, firstAfterDays: 0 })
  const account = await insertAccount(db)
  const people = await Promise.all([member(account, now), member(account, now), member(account, now)])
  const runs = await Promise.all([sendDueSurveys(db, now), sendDueSurveys(db, now)])
  const rows = await surveysOf(people.map((person) => person.id))
  expect(rows.filter((row) => row.quarter === '2032Q1')).toHaveLength(3)
  const ids = new Set(rows.map((row) => row.id))
  const claimed = runs.flatMap((run) => run.surveyIds).filter((id) => ids.has(id))
  expect(claimed.sort()).toEqual([...ids].sort())
  const mails = await db
    .select({ to: emailOutbox.toAddress })
    .from(emailOutbox)
    .where(
      inArray(
        emailOutbox.toAddress,
        people.map((person) => person.email),
      ),
    )
  expect(mails.map((mail) => mail.to).sort()).toEqual(people.map((person) => person.email).sort())
})

test('tiers and recent activity narrow who receives it; a switched-off survey sends nothing', async () => {
  const now = new Date('2033-06-01T02:00:00Z')
  const high = await insertAccount(db, { arrMinor: 9_000_000 })
  const tech = await insertAccount(db, { arrMinor: 100_000 })
  const lowByHand = await insertAccount(db, { arrMinor: 100_000, touchTierOverride: 'low' })
  const inHigh = await member(high, now)
  const quietInHigh = await member(high, now)
  const inTech = await member(tech, now)
  const inLow = await member(lowByHand, now)
  await recordActivity(db, { type: 'visit_day', user: inHigh, occurredAt: daysBefore(now, 20) })
  await recordActivity(db, { type: 'visit_day', user: inLow, occurredAt: daysBefore(now, 120) })
  const mine = [inHigh, quietInHigh, inTech, inLow].map((user) => user.id)

  await useSettings({ enabled: false, firstAfterDays: 0 })
  expect(await sendDueSurveys(db, now)).toEqual({ surveyIds: [], emailIds: [] })

  await useSettings({ audience: 'tiers', tiers: ['high', 'low'], activeOnly: true, firstAfterDays: 0 })
  await sendDueSurveys(db, now)
  expect((await surveysOf(mine)).map((row) => row.userId)).toEqual([inHigh.id])

  await useSettings({ audience: 'tiers', tiers: ['high', 'low'], activeOnly: false, firstAfterDays: 0 })
  await sendDueSurveys(db, now)
  expect((await surveysOf(mine)).map((row) => row.userId).sort()).toEqual([inHigh.id, quietInHigh.id, inLow.id].sort())
})

test('one click records the answer, another changes it; a comment follows; forged, foreign and old links are refused', async () => {
  const now = new Date('2034-01-20T02:00:00Z')
  await useSettings({ firstAfterDays: 0, productName: '' })
  const account = await insertAccount(db)
  const person = await member(account, now)
  const other = await member(account, now)
  await sendDueSurveys(db, now)
  const [mine] = await surveysOf([person.id])
  const [theirs] = await surveysOf([other.id])
  const token = await surveyToken(db, mine!.id)

  expect(await openNpsSurvey(db, { token, now })).toEqual({
    ok: true,
    value: { score: null, comment: null, productName: '' },
  })
  expect(await commentNpsSurvey(db, { token, comment: 'Too early', now })).toMatchObject({
    ok: false,
    status: 409,
    code: 'nps.answer_first',
  })
  const answered = await answerNpsSurvey(db, { token, score: 4, now: new Date(now.getTime() + DAY) })
  expect(answered).toEqual({ ok: true, value: { score: 4, comment: null, productName: '' } })
  const changedAt = new Date(now.getTime() + 3 * DAY)
  await answerNpsSurvey(db, { token, score: 9, now: changedAt })
  // The same score again moves nothing.
  await answerNpsSurvey(db, { token, score: 9, now: new Date(now.getTime() + 5 * DAY) })
  expect(await commentNpsSurvey(db, { token, comment: '  Great support team.  ', now })).toMatchObject({
    ok: true,
    value: { score: 9, comment: 'Great support team.' },
  })
  const [row] = await surveysOf([person.id])
  expect(row).toMatchObject({ score: 9, comment: 'Great support team.', answeredAt: changedAt })
  expect(await commentNpsSurvey(db, { token, comment: 'x'.repeat(2001), now })).toMatchObject({
    status: 400,
    code: 'nps.validation.comment_too_long',
    field: 'comment',
  })
  expect(await answerNpsSurvey(db, { token, score: 11, now })).toMatchObject({ status: 400, code: 'nps.invalid_score' })

  // Forged: another survey's id with this signature, a changed signature, the bare id, garbage.
  const forged = [
    `${theirs!.id}.${token.split('.')[1]}`,
    `${token.slice(0, -2)}${token.endsWith('xx') ? 'yy' : 'xx'}`,
    String(mine!.id),
    '..',
    '',
  ]
  for (const bad of forged) {
    expect(await answerNpsSurvey(db, { token: bad, score: 0, now })).toMatchObject({
      ok: false,
      status: 404,
      code: 'nps.invalid_link',
    })
  }
  // Foreign: the member's unsubscribe token names a user id, signed for another purpose.
  expect(await openNpsSurvey(db, { token: await unsubscribeToken(db, mine!.id), now })).toMatchObject({ status: 404 })
  // Past 60 days: closed, and the answer stays as it was.
  expect(await answerNpsSurvey(db, { token, score: 0, now: new Date(now.getTime() + 61 * DAY) })).toMatchObject({
    ok: false,
    status: 410,
    code: 'nps.expired',
  })
  expect((await surveysOf([person.id]))[0]!.score).toBe(9)
  expect((await surveysOf([other.id]))[0]!.score).toBeNull()
})

test('unsubscribing is idempotent and honoured by the next send; the member can turn surveys back on', async () => {
  const now = new Date('2035-02-01T02:00:00Z')
  await useSettings({ firstAfterDays: 0, cadenceMonths: 3 })
  const account = await insertAccount(db)
  const person = await member(account, now)
  const token = await unsubscribeToken(db, person.id)

  expect(await unsubscribeFromSurveys(db, { token: `${token}x` })).toMatchObject({ status: 404 })
  expect(await unsubscribeFromSurveys(db, { token: await surveyToken(db, person.id) })).toMatchObject({ status: 404 })
  expect(await unsubscribeFromSurveys(db, { token })).toEqual({ ok: true, value: null })
  expect(await unsubscribeFromSurveys(db, { token })).toEqual({ ok: true, value: null })
  expect(await surveyEmailsEnabled(db, person.id)).toBe(false)
  await sendDueSurveys(db, now)
  expect(await surveysOf([person.id])).toEqual([])

  await setSurveyEmails(db, { user: person, enabled: true })
  expect(await surveyEmailsEnabled(db, person.id)).toBe(true)
  await sendDueSurveys(db, now)
  expect(await surveysOf([person.id])).toHaveLength(1)
  await setSurveyEmails(db, { user: person, enabled: false })
  await setSurveyEmails(db, { user: person, enabled: false })
  expect(await surveyEmailsEnabled(db, person.id)).toBe(false)
})

test('managers change the settings, audited; staff and members may not; the daily job is registered', async () => {
  const manager = await insertUser(db, { role: 'manager' })
  const staff = await insertStaff(db)
  const settings: NpsSettings = {
    ...defaultNpsSettings,
    enabled: true,
    cadenceMonths: 12,
    audience: 'tiers',
    tiers: ['high'],
  }
  expect(await updateNpsSettings(db, { actor: staff, settings })).toMatchObject({ status: 403 })
  expect(await updateNpsSettings(db, { actor: manager, settings })).toEqual({ ok: true, value: { changed: true } })
  expect(await updateNpsSettings(db, { actor: manager, settings })).toEqual({ ok: true, value: { changed: false } })
  expect(await readNpsSettings(db)).toEqual(settings)
  const entries = await db.select().from(auditLog).where(eq(auditLog.action, 'retention.nps_settings_changed'))
  expect(entries.filter((entry) => entry.actorUserId === manager.id)).toHaveLength(1)
  expect(npsJobs.map((job) => [job.name, job.cron])).toEqual([['retention.nps_send', '30 1 * * *']])
})
