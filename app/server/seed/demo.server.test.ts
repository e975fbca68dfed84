import { count, eq, isNotNull, isNull } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { getQuestionPage, listQuestions } from '#app/domain/qa/questions.server.ts'
import { memberEngagement } from '#app/domain/scoring/member-engagement.server.ts'
import { accountOutcomes, accounts } from '#db/schema/identity.ts'
import { questions } from '#db/schema/qa.ts'
import { accountScores } from '#db/schema/scoring.ts'
import { db } from '#tests/db.ts'
import { seedDemo, seedDemoIfEmpty } from './demo.server.ts'
import { DEMO_SNAPSHOT_DAYS } from './demo-activity.server.ts'
import { demoSnapshotDays } from './demo-portfolio.server.ts'

test('the demo seed fills an empty database once, with answered and open threads in both languages', async () => {
  const logins = await seedDemo(db)
  expect(logins.map((l) => l.email)).toContain('alice@acme.example')
  expect(await seedDemoIfEmpty(db)).toBeNull()

  const list = await listQuestions(db, {})
  expect(list.total).toBe(8)
  const [answered] = await db.select({ n: count() }).from(questions).where(isNotNull(questions.acceptedAnswerId))
  expect(answered!.n).toBe(4)
  const japanese = list.questions.find((q) => q.title.startsWith('SAML'))!
  const page = await getQuestionPage(db, { viewer: null, questionId: japanese.id })
  expect(page.ok && page.value.answers[0]).toMatchObject({ accepted: true, score: 2 })

  // The ledger rows behind the threads give the demo members levels.
  const levels = await memberEngagement(db, {})
  expect([...levels.values()].some((member) => member.level !== 'observer')).toBe(true)

  // A year of weekly health snapshots, then five weeks of daily ones, the latest today, with more than
  // one band among the accounts; churned accounts are no longer scored.
  const todayDay = new Date().toISOString().slice(0, 10)
  const days = await db.selectDistinct({ day: accountScores.asOf }).from(accountScores)
  expect(days).toHaveLength(demoSnapshotDays(todayDay, DEMO_SNAPSHOT_DAYS).length)
  const today = await db.select().from(accountScores).where(eq(accountScores.asOf, todayDay))
  const [active] = await db.select({ n: count() }).from(accounts).where(isNull(accounts.churnedAt))
  expect(today).toHaveLength(active!.n)
  expect(new Set(today.map((row) => row.level))).toEqual(new Set(['GOOD', 'NORMAL', 'BAD']))

  // A year of outcomes: churns and contractions to check the health levels against, and every row's
  // ARR before is the ARR after of the account's row before it.
  const outcomes = await db
    .select()
    .from(accountOutcomes)
    .orderBy(accountOutcomes.accountId, accountOutcomes.effectiveOn)
  expect(outcomes.filter((o) => o.kind === 'churn').length).toBeGreaterThanOrEqual(8)
  expect(outcomes.filter((o) => o.kind === 'contraction').length).toBeGreaterThanOrEqual(4)
  for (const [i, row] of outcomes.entries()) {
    const before = outcomes[i - 1]
    expect(row.arrBeforeMinor).toBe(before?.accountId === row.accountId ? before.arrAfterMinor : 0)
  }
  const current = await db.select({ id: accounts.id, arr: accounts.arrMinor }).from(accounts)
  for (const account of current) {
    const last = outcomes.filter((o) => o.accountId === account.id).at(-1)
    expect(last?.arrAfterMinor, `account ${account.id}`).toBe(account.arr)
  }
}, 240_000)
