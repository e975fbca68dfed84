import { and, count, eq, sql } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { askQuestion } from '#app/domain/qa/questions.server.ts'
import { QuestionSchema } from '#app/domain/qa/schemas.ts'
import { issueOneTimeKey, ONE_TIME_KEY_FIELD, readOneTimeKey, sendOnce } from '#app/lib/one-time-key.server.ts'
import { insertStaff, insertUser } from '#app/server/seed/factories/identity.ts'
import { insertQuestion } from '#app/server/seed/factories/qa.ts'
import { drafts, uploadRefs, uploads } from '#db/schema/editor.ts'
import { db } from '#tests/db.ts'
import { discardDraft, loadDraft, purgeStaleDrafts, saveDraft } from './drafts.server.ts'
import { DRAFTS_PER_USER, draftKey } from './forms.ts'

/** What a form sent, as the /drafts endpoint and the pages hand it over. */
function sent(values: Record<string, string | string[]>) {
  return (name: string) => {
    const value = values[name]
    return value === undefined ? [] : Array.isArray(value) ? value : [value]
  }
}

async function rowsOf(userId: number) {
  return db.select().from(drafts).where(eq(drafts.userId, userId))
}

test('a draft is saved, read back as the form left it, replaced by the next save and discarded', async () => {
  const user = await insertUser(db)
  const formKey = draftKey('question')
  const first = await saveDraft(db, { user, formKey, input: sent({ title: 'Export to CSV?', body: 'I need' }) })
  expect(first).toMatchObject({ ok: true, value: { savedAt: expect.any(String) } })
  expect(await loadDraft(db, { user, formKey })).toMatchObject({
    formKey,
    values: { title: 'Export to CSV?', body: 'I need', tags: '' },
  })

  await saveDraft(db, { user, formKey, input: sent({ title: 'Export to CSV?', body: 'I need the monthly report' }) })
  expect(await rowsOf(user.id)).toHaveLength(1)
  expect((await loadDraft(db, { user, formKey }))?.values.body).toBe('I need the monthly report')

  // Another member has no draft of the same form: drafts are per member.
  expect(await loadDraft(db, { user: await insertUser(db), formKey })).toBeNull()

  expect(await discardDraft(db, { user, formKey })).toEqual({ ok: true, value: undefined })
  expect(await loadDraft(db, { user, formKey })).toBeNull()
})

test('two saves at once leave one row, holding one of the two texts', async () => {
  const user = await insertUser(db)
  const formKey = draftKey('question')
  const [a, b] = await Promise.all([
    saveDraft(db, { user, formKey, input: sent({ body: 'first text' }) }),
    saveDraft(db, { user, formKey, input: sent({ body: 'second text' }) }),
  ])
  expect(a.ok && b.ok).toBe(true)
  const rows = await rowsOf(user.id)
  expect(rows).toHaveLength(1)
  expect(['first text', 'second text']).toContain(rows[0]!.fields.body)
})

test('only keys of known forms the member may fill are taken', async () => {
  const member = await insertUser(db)
  const staff = await insertStaff(db)
  const input = sent({ title: 'A title', body: 'Some text' })
  for (const formKey of ['', 'question', 'question:1', 'answer:0', 'answer:-1', 'answer:abc', 'article:7', 'x:new']) {
    expect(await saveDraft(db, { user: member, formKey, input })).toMatchObject({
      ok: false,
      status: 400,
      code: 'drafts.errors.unknown_form',
    })
  }
  // An answer to another member's question: fine, the draft is this member's own.
  const open = await insertQuestion(db)
  expect((await saveDraft(db, { user: member, formKey: draftKey('answer', open.id), input })).ok).toBe(true)
  // A question the member cannot see (deleted, or hidden and someone else's), or that does not exist.
  const deleted = await insertQuestion(db, { deletedAt: new Date() })
  const hidden = await insertQuestion(db, { hiddenAt: new Date() })
  for (const id of [deleted.id, hidden.id, 999_999_999]) {
    expect(await saveDraft(db, { user: member, formKey: draftKey('answer', id), input })).toMatchObject({
      ok: false,
      status: 404,
    })
  }
  // A locked question takes no answers from members, so no drafts of one either; staff still answer.
  const locked = await insertQuestion(db, { lockedAt: new Date() })
  expect(await saveDraft(db, { user: member, formKey: draftKey('answer', locked.id), input })).toMatchObject({
    ok: false,
    status: 409,
  })
  expect((await saveDraft(db, { user: staff, formKey: draftKey('answer', locked.id), input })).ok).toBe(true)
  // Articles and events are staff's to create.
  for (const formKey of [draftKey('article'), draftKey('event')]) {
    expect(await saveDraft(db, { user: member, formKey, input })).toMatchObject({ ok: false, status: 403 })
    expect((await saveDraft(db, { user: staff, formKey, input })).ok).toBe(true)
  }
  expect(await rowsOf(member.id)).toHaveLength(1)
})

test('a draft keeps only its form’s fields, each within its bound, and text PostgreSQL can store', async () => {
  const user = await insertUser(db)
  const formKey = draftKey('question')
  await saveDraft(db, {
    user,
    formKey,
    input: sent({ title: 'Nul\u0000 and \ud800 lone', body: 'ok 🎉 日本語', role: 'admin', userId: '1' }),
  })
  const [row] = await rowsOf(user.id)
  expect(row!.fields).toEqual({ title: 'Nul and \ufffd lone', body: 'ok 🎉 日本語', tags: '' })

  const tooLong = await saveDraft(db, { user, formKey, input: sent({ title: 'Fine', body: 'x'.repeat(30_001) }) })
  expect(tooLong).toMatchObject({ ok: false, status: 400, code: 'drafts.errors.too_long', field: 'body' })
  expect((await rowsOf(user.id))[0]!.fields.body).toBe('ok 🎉 日本語')
  // The longest body the form takes is kept whole.
  expect((await saveDraft(db, { user, formKey, input: sent({ body: 'y'.repeat(30_000) }) })).ok).toBe(true)

  // An event's list fields come back as lists; a value with a newline in it is not one of them.
  const staff = await insertStaff(db)
  await saveDraft(db, {
    user: staff,
    formKey: draftKey('event'),
    input: sent({ title: 'Office hours', hostIds: ['3', '5', 'x\ny'], audienceTiers: [], onboarding: 'on' }),
  })
  expect((await loadDraft(db, { user: staff, formKey: draftKey('event') }))?.values).toMatchObject({
    title: 'Office hours',
    hostIds: ['3', '5'],
    audienceTiers: [],
    onboarding: 'on',
  })
})

test('a draft with nothing written in it is no draft', async () => {
  const user = await insertUser(db)
  const formKey = draftKey('question')
  await saveDraft(db, { user, formKey, input: sent({ title: 'Something' }) })
  expect(await saveDraft(db, { user, formKey, input: sent({ title: '  ', body: '\n' }) })).toEqual({
    ok: true,
    value: { savedAt: null },
  })
  expect(await rowsOf(user.id)).toHaveLength(0)
  // An event form untouched but for its choices (kind, zone, dates) is empty too.
  const staff = await insertStaff(db)
  const event = await saveDraft(db, {
    user: staff,
    formKey: draftKey('event'),
    input: sent({ kind: 'workshop', timeZone: 'Asia/Tokyo' }),
  })
  expect(event).toEqual({ ok: true, value: { savedAt: null } })
})

test('a member keeps at most DRAFTS_PER_USER drafts, none older than 90 days', async () => {
  const user = await insertUser(db)
  const day = 86_400_000
  await db.insert(drafts).values([
    { userId: user.id, formKey: 'answer:1', fields: { body: 'ancient' }, updatedAt: new Date(Date.now() - 91 * day) },
    ...Array.from({ length: DRAFTS_PER_USER + 4 }, (_, i) => ({
      userId: user.id,
      formKey: `answer:${i + 2}`,
      fields: { body: `draft ${i}` },
      updatedAt: new Date(Date.now() - (i + 1) * 60_000),
    })),
  ])
  await saveDraft(db, { user, formKey: draftKey('question'), input: sent({ body: 'the newest' }) })
  const rows = await rowsOf(user.id)
  expect(rows).toHaveLength(DRAFTS_PER_USER)
  const keys = new Set(rows.map((row) => row.formKey))
  expect(keys.has('question:new')).toBe(true)
  expect(keys.has('answer:2')).toBe(true)
  expect(keys.has('answer:1')).toBe(false)
  expect(keys.has(`answer:${DRAFTS_PER_USER + 5}`)).toBe(false)
})

test('publishing the form deletes its draft in the same transaction; a late autosave does not bring it back', async () => {
  const user = await insertUser(db)
  const formKey = draftKey('question')
  const form = new FormData()
  form.set(ONE_TIME_KEY_FIELD, await issueOneTimeKey(db, user))
  await saveDraft(db, { user, formKey, input: sent({ title: 'How do I export?', body: 'Half written' }) })
  await saveDraft(db, {
    user,
    formKey: draftKey('answer', (await insertQuestion(db)).id),
    input: sent({ body: 'Kept' }),
  })

  const input = QuestionSchema.parse({ title: 'How do I export a report?', body: 'I need it as a spreadsheet.' })
  const outcome = await sendOnce(db, user, form, (once) => askQuestion(db, { user, input, once }), { draft: formKey })
  expect(outcome).toMatchObject({ ok: true })
  expect(await loadDraft(db, { user, formKey })).toBeNull()
  // Only that form's draft went.
  expect(await rowsOf(user.id)).toHaveLength(1)

  // An autosave sent with the page's key before the publish, arriving after it, keeps nothing.
  const once = await readOneTimeKey(db, user, form)
  const late = await saveDraft(db, { user, formKey, input: sent({ body: 'Half written, more' }), once })
  expect(late).toEqual({ ok: true, value: { savedAt: null, published: true } })
  expect(await loadDraft(db, { user, formKey })).toBeNull()
})

test('a publish that fails keeps the draft', async () => {
  const user = await insertUser(db)
  const formKey = draftKey('question')
  await saveDraft(db, { user, formKey, input: sent({ body: 'Still here' }) })
  const form = new FormData()
  form.set(ONE_TIME_KEY_FIELD, 'forged')
  const input = QuestionSchema.parse({ title: 'How do I export a report?', body: 'I need it as a spreadsheet.' })
  const outcome = await sendOnce(db, user, form, (once) => askQuestion(db, { user, input, once }), { draft: formKey })
  expect(outcome).toMatchObject({ ok: false, code: 'errors.form_expired' })
  expect((await loadDraft(db, { user, formKey }))?.values.body).toBe('Still here')
})

test('uploads named in a draft are recorded as the draft’s, so the orphan job keeps them', async () => {
  const user = await insertUser(db)
  const id = `d${Date.now().toString(36)}`.padEnd(22, 'x').slice(0, 22)
  await db.insert(uploads).values({
    id,
    ownerId: user.id,
    kind: 'file',
    fileName: 'log.txt',
    contentType: 'text/plain',
    byteSize: 3,
    sha256: 'abc',
    data: Buffer.from('log'),
  })
  await saveDraft(db, {
    user,
    formKey: draftKey('question'),
    input: sent({ body: `See [log.txt](/uploads/${id}/log.txt)` }),
  })
  const refs = await db
    .select({ n: count() })
    .from(uploadRefs)
    .where(and(eq(uploadRefs.uploadId, id), eq(uploadRefs.subjectType, 'draft'), eq(uploadRefs.subjectId, user.id)))
  expect(refs[0]!.n).toBe(1)
})

test('drafts untouched for 90 days are purged', async () => {
  const user = await insertUser(db)
  await db.insert(drafts).values([
    {
      userId: user.id,
      formKey: 'question:new',
      fields: { body: 'old' },
      updatedAt: new Date(Date.now() - 91 * 86_400_000),
    },
    { userId: user.id, formKey: 'answer:5', fields: { body: 'recent' } },
  ])
  expect(await purgeStaleDrafts(db)).toBeGreaterThanOrEqual(1)
  expect((await rowsOf(user.id)).map((row) => row.formKey)).toEqual(['answer:5'])
  await db.execute(sql`delete from drafts where user_id = ${user.id}`)
})
