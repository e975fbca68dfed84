import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { defaultScoringSettings } from '#app/domain/scoring/settings.ts'
import { recomputeScores } from '#app/domain/scoring/snapshots.server.ts'
import { updateScoringSettings } from '#app/domain/scoring/update-settings.server.ts'
import { insertAccount, insertAdmin, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { insertAnswer, insertQuestion } from '#app/server/seed/factories/qa.ts'
import { questions } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import { getProfile } from './profiles.server.ts'

async function accept(question: { id: number }, answer: { id: number }) {
  await db.update(questions).set({ acceptedAnswerId: answer.id }).where(eq(questions.id, question.id))
}

test('an unknown user is not found', async () => {
  const outcome = await getProfile(db, { viewer: null, userId: 987_654 })
  expect(outcome).toMatchObject({ ok: false, status: 404, code: 'profile.not_found' })
})

test('a disabled user is not found, except by staff, who see them marked as disabled', async () => {
  const gone = await insertUser(db, { disabledAt: new Date() })
  const member = await insertUser(db)
  expect(await getProfile(db, { viewer: null, userId: gone.id })).toMatchObject({ ok: false, status: 404 })
  expect(await getProfile(db, { viewer: member, userId: gone.id })).toMatchObject({ ok: false, status: 404 })
  const outcome = await getProfile(db, { viewer: await insertStaff(db), userId: gone.id })
  expect(outcome).toMatchObject({ ok: true, value: { id: gone.id, disabled: true } })
})

test('everyone sees the name, level and counts; only staff see the account; points only the user and staff', async () => {
  const account = await insertAccount(db, { name: `Globex ${Date.now()}` })
  const user = await insertUser(db, { accountId: account.id, displayName: 'Aiko' })
  await recordActivity(db, { type: 'answer_accepted', user, subject: { type: 'answer', id: 1 } })
  await recordActivity(db, { type: 'question_asked', user, subject: { type: 'question', id: 2 } })

  const anonymous = await getProfile(db, { viewer: null, userId: user.id })
  expect(anonymous).toMatchObject({
    ok: true,
    value: { displayName: 'Aiko', role: 'member', isStaff: false, disabled: false, level: 'participant' },
  })
  if (!anonymous.ok) return
  expect(anonymous.value.accountName).toBeNull()
  expect(anonymous.value.points).toBeNull()

  const peer = await getProfile(db, { viewer: await insertUser(db, { accountId: account.id }), userId: user.id })
  expect(peer).toMatchObject({ ok: true, value: { accountName: null, points: null } })

  const own = await getProfile(db, { viewer: user, userId: user.id })
  expect(own).toMatchObject({
    ok: true,
    value: {
      accountName: null,
      points: {
        total: 12,
        byType: [
          { type: 'answer_accepted', points: 10 },
          { type: 'question_asked', points: 2 },
        ],
        progress: { next: 'contributor', remaining: 13 },
        halfLifeDays: 30,
      },
    },
  })

  const staff = await getProfile(db, { viewer: await insertStaff(db), userId: user.id })
  expect(staff).toMatchObject({ ok: true, value: { accountName: account.name, points: { total: 12 } } })
})

test('staff users are marked as staff', async () => {
  const admin = await insertAdmin(db)
  const outcome = await getProfile(db, { viewer: null, userId: admin.id })
  expect(outcome).toMatchObject({ ok: true, value: { role: 'admin', isStaff: true, level: 'observer' } })
})

test('counts and lists leave out deleted posts, and hidden ones for all but staff and the author', async () => {
  const author = await insertUser(db)
  const asker = await insertUser(db)
  const open = await insertQuestion(db, { author, title: 'How do I export to CSV?', score: 3 })
  await insertQuestion(db, { author, deletedAt: new Date() })
  const hidden = await insertQuestion(db, { author, hiddenAt: new Date() })

  const elsewhere = await insertQuestion(db, { author: asker, title: 'Where are the invoices?' })
  const accepted = await insertAnswer(db, elsewhere, { author, score: 5 })
  await accept(elsewhere, accepted)
  const plain = await insertAnswer(db, open, { author })
  await insertAnswer(db, open, { author, deletedAt: new Date() })
  await insertAnswer(db, open, { author, hiddenAt: new Date() })
  const onHiddenQuestion = await insertQuestion(db, { author: asker, hiddenAt: new Date() })
  await insertAnswer(db, onHiddenQuestion, { author })

  const member = await getProfile(db, { viewer: await insertUser(db), userId: author.id })
  expect(member).toMatchObject({ ok: true, value: { counts: { questions: 1, answers: 2, accepted: 1 } } })
  if (!member.ok) return
  expect(member.value.recentQuestions).toEqual([
    {
      id: open.id,
      title: 'How do I export to CSV?',
      score: 3,
      answerCount: 3,
      accepted: false,
      createdAt: open.createdAt,
    },
  ])
  expect(member.value.recentAnswers.map((answer) => answer.id).sort()).toEqual([accepted.id, plain.id].sort())
  expect(member.value.recentAnswers.find((answer) => answer.id === accepted.id)).toEqual({
    id: accepted.id,
    question: { id: elsewhere.id, title: 'Where are the invoices?' },
    score: 5,
    accepted: true,
    createdAt: accepted.createdAt,
  })

  const staff = await getProfile(db, { viewer: await insertStaff(db), userId: author.id })
  expect(staff).toMatchObject({ ok: true, value: { counts: { questions: 2, answers: 4, accepted: 1 } } })
  if (!staff.ok) return
  expect(staff.value.recentQuestions.map((question) => question.id)).toContain(hidden.id)

  // The author sees their own hidden posts, as on the question page, but not someone else's hidden question.
  const own = await getProfile(db, { viewer: author, userId: author.id })
  expect(own).toMatchObject({ ok: true, value: { counts: { questions: 2, answers: 3, accepted: 1 } } })
})

test('the recent lists hold the ten newest posts, newest first, and mark accepted questions', async () => {
  const author = await insertUser(db)
  const created = []
  for (let day = 1; day <= 12; day++) {
    const at = new Date(Date.UTC(2026, 2, day))
    const question = await insertQuestion(db, { author, createdAt: at })
    await insertAnswer(db, question, { author, createdAt: at })
    created.push(question)
  }
  const answer = await insertAnswer(db, created[11]!)
  await accept(created[11]!, answer)

  const outcome = await getProfile(db, { viewer: null, userId: author.id })
  expect(outcome.ok).toBe(true)
  if (!outcome.ok) return
  expect(outcome.value.counts).toEqual({ questions: 12, answers: 12, accepted: 0 })
  expect(outcome.value.recentQuestions.map((question) => question.id)).toEqual(
    created
      .slice(2)
      .reverse()
      .map((question) => question.id),
  )
  expect(outcome.value.recentQuestions[0]).toMatchObject({ accepted: true, answerCount: 2 })
  expect(outcome.value.recentAnswers).toHaveLength(10)
  expect(outcome.value.recentAnswers[0]?.question.id).toBe(created[11]!.id)
  expect(outcome.value.recentAnswers[0]?.accepted).toBe(false)
})

test('the profile uses the managers’ scoring settings and keeps the level the last snapshot gave', async () => {
  const member = await insertUser(db)
  for (let i = 0; i < 9; i++) {
    await recordActivity(db, {
      type: 'answer_posted',
      user: member,
      uniqueKey: `profile-standing:${member.id}:${i}`,
      occurredAt: new Date('2026-09-01T10:00:00Z'),
    })
  }
  // 27 points on the day: a contributor in that day's snapshot.
  await recomputeScores(db, { day: '2026-09-01' })
  // Four days on the answers are worth 24.6: under 25, but a contributor keeps the level above 22.5.
  const later = await getProfile(db, { viewer: member, userId: member.id, asOf: new Date('2026-09-05T12:00:00Z') })
  expect(later.ok && later.value).toMatchObject({ level: 'contributor', points: { total: 24.6 } })

  const manager = await insertUser(db, { role: 'manager' })
  const generous = { ...defaultScoringSettings, points: { ...defaultScoringSettings.points, answer_posted: 10 } }
  await updateScoringSettings(db, { actor: manager, settings: generous, now: new Date('2026-09-05T12:00:00Z') })
  const after = await getProfile(db, { viewer: member, userId: member.id, asOf: new Date('2026-09-05T12:00:00Z') })
  expect(after.ok && after.value).toMatchObject({ level: 'champion', points: { total: 82.1 } })
})
