import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { drafts } from '#db/schema/editor.ts'
import { users } from '#db/schema/identity.ts'
import { db } from '#tests/db.ts'
import { type AppServer, Visitor } from './app-server.ts'
import { escapeHtml, issuedSubmissionKey } from './forms.ts'
import { type DemoObjects, personaEmails, startWithPersonas } from './personas.ts'

// Drafts over HTTP (docs/decisions/040): /drafts, where the editor's script saves while a member types,
// answers JSON, refuses bad input with a translated message and never a 500; the ask page restores a
// draft, its "Save draft" and "Discard draft" buttons work without JavaScript, and asking deletes it.

let app: AppServer
let member: Visitor
let objects: DemoObjects
let memberId: number

beforeAll(async () => {
  const started = await startWithPersonas({ RATE_LIMITS: 'off' })
  app = started.app
  member = started.visitors.member
  objects = started.objects
  const [bob] = await db.select({ id: users.id }).from(users).where(eq(users.email, personaEmails.member))
  memberId = bob!.id
})

afterAll(async () => {
  await app?.stop()
})

async function draftOf(userId: number, formKey: string) {
  const [row] = await db
    .select()
    .from(drafts)
    .where(and(eq(drafts.userId, userId), eq(drafts.formKey, formKey)))
  return row ?? null
}

function json(reply: { text: string }) {
  return JSON.parse(reply.text) as { savedAt?: string | null; error?: string; field?: string | null }
}

test('/drafts saves and discards a member’s draft and answers JSON', async () => {
  const saved = await member.post('/drafts', {
    formKey: 'question:new',
    intent: 'save',
    title: 'How do I export?',
    body: 'Half written 日本語',
    role: 'admin',
  })
  expect(saved.status).toBe(200)
  expect(saved.headers.get('content-type')).toContain('application/json')
  expect(json(saved).savedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
  expect((await draftOf(memberId, 'question:new'))?.fields).toEqual({
    title: 'How do I export?',
    body: 'Half written 日本語',
    tags: '',
  })
  const answer = await member.post('/drafts', { formKey: `answer:${objects.questionId}`, intent: 'save', body: 'x' })
  expect(json(answer).savedAt).toBeTruthy()

  const discarded = await member.post('/drafts', { formKey: `answer:${objects.questionId}`, intent: 'discard' })
  expect(discarded.status).toBe(200)
  expect(await draftOf(memberId, `answer:${objects.questionId}`)).toBeNull()
})

test('/drafts refuses bad input with a translated message, never a 500', async () => {
  const cases: [Record<string, string | string[]>, number, string][] = [
    [{}, 400, 'This request could not be understood.'],
    [{ formKey: 'question:new', intent: 'publish' }, 400, 'This request could not be understood.'],
    [{ formKey: 'question:new' }, 400, 'This request could not be understood.'],
    [{ formKey: 'users:1', intent: 'save', body: 'x' }, 400, 'This form keeps no drafts.'],
    [{ formKey: ['question:new', 'answer:1'], intent: 'save', body: 'x' }, 200, ''],
    [{ formKey: 'answer:999999999', intent: 'save', body: 'x' }, 404, ''],
    [{ formKey: 'article:new', intent: 'save', title: 'x' }, 403, 'You do not have permission to do this.'],
    [{ formKey: 'event:new', intent: 'save', title: 'x' }, 403, 'You do not have permission to do this.'],
    [{ formKey: 'question:new', intent: 'save', body: 'x'.repeat(30_001) }, 400, 'longer than this form takes'],
    [{ formKey: 'x'.repeat(5000), intent: 'discard' }, 400, 'This form keeps no drafts.'],
  ]
  for (const [form, status, message] of cases) {
    const reply = await member.post('/drafts', form)
    expect(reply.status, JSON.stringify(form).slice(0, 80)).toBe(status)
    if (status >= 400) expect(json(reply).error).toContain(message)
  }
  // The over-long field is named, for the script to point at.
  const long = await member.post('/drafts', { formKey: 'question:new', intent: 'save', title: 't'.repeat(151) })
  expect(json(long).field).toBe('title')
  // In the member's language (Yui reads Japanese).
  const yui = await new Visitor(app).signIn('yui@sakura-tech.example')
  const ja = await yui.post('/drafts', { formKey: 'users:1', intent: 'save' })
  expect(json(ja).error).toBe('このフォームは下書きを保存できません。')

  // Bodies the door or the parser refuses are JSON too: the page being typed on must not be replaced.
  const fields = new URLSearchParams({ formKey: 'question:new', intent: 'save' })
  for (let i = 0; i < 7000; i++) fields.append('hostIds', String(i))
  const many = await member.post('/drafts', fields)
  expect(many.status).toBe(413)
  expect(json(many).error).toBeTruthy()
  const malformed = await fetch(new URL('/drafts', app.origin), {
    method: 'POST',
    body: '--x\r\nbroken',
    headers: {
      cookie: `ct_session=${member.sessionToken}`,
      origin: app.origin,
      'sec-fetch-site': 'same-origin',
      'content-type': 'multipart/form-data',
    },
  })
  expect(malformed.status).toBe(400)
  expect(((await malformed.json()) as { error?: string }).error).toBeTruthy()

  // A visitor (a session that ended while typing) is told, not redirected; a GET is not served.
  const visitor = await new Visitor(app).post('/drafts', { formKey: 'question:new', intent: 'save', body: 'x' })
  expect(visitor.status).toBe(401)
  expect(json(visitor).error).toContain('signed out')
  expect((await member.get('/drafts')).status).toBe(405)
  // Another site cannot write a member's draft.
  const forged = await member.post(
    '/drafts',
    { formKey: 'question:new', intent: 'save', body: 'from elsewhere' },
    { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
  )
  expect(forged.status).toBe(403)
  expect((await draftOf(memberId, 'question:new'))?.fields.body).not.toBe('from elsewhere')
})

test('without JavaScript the ask form saves, restores, discards and, once asked, forgets its draft', async () => {
  const title = `Where is the CSV export? ${Date.now()}`
  const saved = await member.post('/questions/new', { intent: 'save_draft', title, body: 'Half <b>written</b>' })
  expect(saved.status).toBe(200)
  expect(saved.text).toContain('Draft saved at')
  expect(saved.text).toContain(escapeHtml(title))
  expect(saved.text).toContain(escapeHtml('Half <b>written</b>'))

  // Coming back (here, or on another device) restores it, with the notice and a Discard button.
  const page = await member.get('/questions/new')
  expect(page.text).toContain('Restored your draft from')
  expect(page.text).toContain(escapeHtml(title))
  expect(page.text).toContain('value="discard_draft"')

  const discarded = await member.post('/questions/new', { intent: 'discard_draft', title, body: 'Half written' })
  expect(discarded.status).toBe(200)
  expect(discarded.text).toContain('Draft discarded.')
  expect(discarded.text).not.toContain(escapeHtml(title))
  expect(await draftOf(memberId, 'question:new')).toBeNull()

  // Asking deletes the draft with the question.
  await member.post('/questions/new', { intent: 'save_draft', title, body: 'Half written' })
  expect(await draftOf(memberId, 'question:new')).not.toBeNull()
  const submissionKey = await issuedSubmissionKey(member, '/questions/new')
  const asked = await member.post('/questions/new', {
    intent: 'ask',
    title,
    body: 'I need the monthly report as a spreadsheet. Where is the export?',
    submissionKey,
  })
  expect(asked.status).toBe(302)
  expect(await draftOf(memberId, 'question:new')).toBeNull()
})
