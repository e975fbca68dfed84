import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { expect, test } from 'vitest'
import { moderatePost } from '#app/domain/qa/moderation.server.ts'
import { issueOneTimeKey, ONE_TIME_KEY_FIELD } from '#app/lib/one-time-key.server.ts'
import { insertStaff, insertUser } from '#app/server/seed/factories/identity.ts'
import { uploadRefs } from '#db/schema/editor.ts'
import { questions } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import { routeContext, settle } from '#tests/route-harness.ts'
import { action as ask } from '../questions/new.tsx'
import { action as create } from './create.ts'
import { loader as file } from './file.ts'

type User = Awaited<ReturnType<typeof insertUser>>

function post(user: User | null, form: FormData, path = '/uploads') {
  const request = new Request(`http://localhost${path}`, { method: 'POST', body: form })
  return { request, context: routeContext(user), params: {} } as never
}

async function upload(user: User | null, fileToSend: File) {
  const form = new FormData()
  form.append('upload', fileToSend)
  return settle(() => create(post(user, form)))
}

function get(user: User | null, url: string, headers: Record<string, string> = {}, locale: 'en' | 'ja' = 'en') {
  const { pathname } = new URL(url, 'http://localhost')
  const [, , uploadId, fileName] = pathname.split('/')
  const request = new Request(`http://localhost${url}`, { headers })
  return settle(() => file({ request, params: { uploadId, fileName }, context: routeContext(user, locale) } as never))
}

const png = (width = 2000) =>
  sharp({ create: { width, height: width / 2, channels: 3, background: '#36c' } })
    .png()
    .toBuffer()

test('POST /uploads answers the upload as JSON; the file is served with its type, nosniff, a sandbox and a private long cache', async () => {
  const member = await insertUser(db)
  const answer = await upload(member, new File([new Uint8Array(await png())], 'chart.png', { type: 'text/html' }))
  expect(answer.status).toBe(201)
  const body = answer.body as { url: string; markdown: string; kind: string }
  expect(body).toMatchObject({
    kind: 'image',
    markdown: expect.stringMatching(/^!\[chart\]\(\/uploads\/[\w-]{22}\/chart\.png\)$/),
  })

  const served = await get(member, body.url)
  expect(served.status).toBe(200)
  expect(served.headers.get('content-type')).toBe('image/png')
  expect(served.headers.get('x-content-type-options')).toBe('nosniff')
  expect(served.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
  expect(served.headers.get('content-security-policy')).toContain('sandbox')
  expect(served.headers.get('content-disposition')).toMatch(/^inline; filename="chart.png"/)
  expect((await sharp(served.bytes!).metadata()).width).toBe(1600)
  const full = await get(member, `${body.url}?size=full`)
  expect((await sharp(full.bytes!).metadata()).width).toBe(2000)

  const etag = served.headers.get('etag')!
  const again = await get(member, body.url, { 'If-None-Match': etag })
  expect(again.status).toBe(304)
  expect(again.bytes?.byteLength).toBe(0)
})

test('every other file is a download; a refused one is a translated JSON error', async () => {
  const member = await insertUser(db)
  const sent = await upload(member, new File(['id,name\n1,Acme\n'], 'accounts.csv'))
  const url = (sent.body as { url: string }).url
  const served = await get(member, url)
  expect(served.headers.get('content-disposition')).toMatch(/^attachment; filename="accounts.csv"/)
  expect(served.headers.get('content-type')).toBe('text/csv; charset=utf-8')

  const html = await upload(member, new File(['<html><body>hi</body></html>'], 'page.png', { type: 'image/png' }))
  expect(html.status).toBe(415)
  expect(html.body).toMatchObject({
    error: { code: 'uploads.type_not_allowed', message: expect.stringContaining('page.png') },
  })
  expect((await upload(null, new File(['x'], 'a.txt'))).status).toBe(401)
  expect((await settle(() => create(post(member, new FormData())))).status).toBe(400)
})

test('without JavaScript, a file chosen on the ask form is stored, put in the text and published with it', async () => {
  const member = await insertUser(db, { createdAt: new Date(Date.now() - 5 * 86_400_000) })
  const form = new FormData()
  form.append('title', 'Where is the export button?')
  form.append('body', 'I cannot find it, see the screenshot.')
  form.append('tags', '')
  form.append('intent', 'ask')
  form.append(ONE_TIME_KEY_FIELD, await issueOneTimeKey(db, member))
  form.append('upload', new File([new Uint8Array(await png(400))], 'screen.png'))
  const answer = await settle(() => ask(post(member, form, '/questions/new')))
  expect(answer.status).toBe(302)
  const id = Number(/\/questions\/(\d+)/.exec(answer.location ?? '')?.[1])
  const [question] = await db.select().from(questions).where(eq(questions.id, id))
  expect(question!.bodyMd).toMatch(
    /^I cannot find it, see the screenshot\.\n\n!\[screen\]\(\/uploads\/[\w-]{22}\/screen\.png\)$/,
  )
  expect(question!.bodyHtml).toMatch(/<img alt="screen" src="\/uploads\/[\w-]{22}\/screen\.png"/)
  expect(await db.select().from(uploadRefs).where(eq(uploadRefs.subjectId, id))).toMatchObject([
    { subjectType: 'question' },
  ])

  // Hidden by staff: the file answers 404 to another member, exactly as a missing one, in their language.
  const url = /\((\/uploads\/[^)]+)\)/.exec(question!.bodyMd)![1]!
  const reader = await insertUser(db)
  expect((await get(reader, url)).status).toBe(200)
  await moderatePost(db, { actor: await insertStaff(db), targetType: 'question', targetId: id, action: 'hide' })
  const hidden = await get(reader, url, {}, 'ja')
  expect(hidden.status).toBe(404)
  expect(hidden.text).toBe('このファイルは存在しないか、表示する権限がありません。')
  const missing = await get(reader, '/uploads/AAAAAAAAAAAAAAAAAAAAAA/screen.png', {}, 'ja')
  expect(missing).toMatchObject({ status: 404, text: hidden.text })
  expect((await get(member, url)).status).toBe(200)
})

test('a refused file on a form keeps everything typed and says why beside the text', async () => {
  const member = await insertUser(db)
  const form = new FormData()
  form.append('title', 'Typed title')
  form.append('body', 'Typed body that must come back.')
  form.append('intent', 'preview')
  form.append('upload', new File(['<!doctype html><script>x</script>'], 'x.png'))
  const answer = await settle(() => ask(post(member, form, '/questions/new')))
  expect(answer.status).toBe(415)
  const result = (answer.body as { result: { initialValue: Record<string, string>; error: Record<string, string[]> } })
    .result
  expect(result.initialValue).toMatchObject({ title: 'Typed title', body: 'Typed body that must come back.' })
  expect(result.error.body?.[0]).toContain('x.png')
})
