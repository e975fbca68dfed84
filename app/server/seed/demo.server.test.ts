import { count, eq, isNotNull } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { getQuestionPage, listQuestions } from '#app/domain/qa/questions.server.ts'
import { memberEngagement } from '#app/domain/scoring/member-engagement.server.ts'
import { questions } from '#db/schema/qa.ts'
import { accountScores } from '#db/schema/scoring.ts'
import { db } from '#tests/db.ts'
import { seedDemo, seedDemoIfEmpty } from './demo.server.ts'
import { DEMO_SNAPSHOT_DAYS } from './demo-activity.server.ts'

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

  // Five weeks of daily health snapshots, the latest today, with more than one band among the accounts.
  const days = await db.selectDistinct({ day: accountScores.asOf }).from(accountScores)
  expect(days).toHaveLength(DEMO_SNAPSHOT_DAYS)
  const today = await db
    .select()
    .from(accountScores)
    .where(eq(accountScores.asOf, new Date().toISOString().slice(0, 10)))
  expect(today).toHaveLength(5)
  expect(new Set(today.map((row) => row.level)).size).toBeGreaterThan(1)
}, 90_000)
