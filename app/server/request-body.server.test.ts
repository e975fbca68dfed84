import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseWithZod } from '@conform-to/zod/v4'
import { expect, test } from 'vitest'
import { z } from 'zod'
import { AttendanceMarksSchema, EventSchema } from '#app/domain/events/schemas.ts'
import { SignupSchema } from '#app/domain/identity/schemas.ts'
import { ScoringSettingsFormSchema } from '#app/domain/scoring/settings-form.ts'
import { BodyError, fieldsOf, parseFormBody } from './request-body.server.ts'

function formRequest(body: string | FormData | Uint8Array<ArrayBuffer>, contentType?: string): Request {
  const headers: Record<string, string> = {}
  if (contentType) headers['content-type'] = contentType
  else if (typeof body === 'string') headers['content-type'] = 'application/x-www-form-urlencoded'
  return new Request('http://app.test/form', { method: 'POST', body, headers })
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await promise
  } catch (error) {
    if (error instanceof BodyError) return { status: error.status, code: error.code }
    throw error
  }
  throw new Error('the body was accepted')
}

test('a schema names its fields as conform sends them', () => {
  expect(fieldsOf(SignupSchema).sort()).toEqual(['displayName', 'email', 'password', 'redirectTo', 'timeZone'])
  expect(fieldsOf(AttendanceMarksSchema).sort()).toEqual(['marks[].status', 'marks[].userId'])
  const event = fieldsOf(EventSchema)
  expect(event).toEqual(expect.arrayContaining(['title', 'body', 'hostIds', 'hostIds[]', 'audienceTiers']))
  const scoring = fieldsOf(ScoringSettingsFormSchema)
  expect(scoring).toEqual(expect.arrayContaining(['points.answer_posted', 'tiers.rates[].currency']))
  expect(scoring.every((name) => !name.includes('undefined'))).toBe(true)
})

test('only declared names reach the parser, whatever else is sent', async () => {
  const fields = fieldsOf(SignupSchema)
  const form = await parseFormBody(
    formRequest('email=a%40b.example&a[9999999]=1&a.b.c=2&__proto__=x&constructor=y&displayName=Ann'),
    { fields },
  )
  expect([...form.keys()]).toEqual(['email', 'displayName'])
  expect(form.get('email')).toBe('a@b.example')
})

test('an index is accepted only where the form declares one, and only a small one', async () => {
  const fields = fieldsOf(AttendanceMarksSchema)
  const form = await parseFormBody(
    formRequest('marks[0].userId=3&marks[0].status=attended&marks[9999999].userId=4&marks[01].userId=5&marks.x=1'),
    { fields },
  )
  expect([...form.keys()]).toEqual(['marks[0].userId', 'marks[0].status'])
})

test('more fields than the cap is refused before any of them is used', async () => {
  const body = Array.from({ length: 20_000 }, () => 'email=a').join('&')
  expect(await refusal(parseFormBody(formRequest(body), { fields: ['email'] }))).toEqual({
    status: 413,
    code: 'errors.too_many_fields',
  })
  const many = Array.from({ length: 150 }, (_, i) => `marks[${i}].userId=${i + 1}`).join('&')
  const form = await parseFormBody(formRequest(many), { fields: fieldsOf(AttendanceMarksSchema) })
  expect(form.getAll('marks[149].userId')).toEqual(['150'])
})

test('a body over the cap is refused as it streams, whatever its Content-Length says', async () => {
  const big = new Uint8Array(1024 * 1024 + 1).fill(97)
  expect(
    await refusal(parseFormBody(formRequest(big, 'application/x-www-form-urlencoded'), { fields: ['a'] })),
  ).toEqual({ status: 413, code: 'errors.body_too_large' })
  // A stream of unknown length: counted on the bytes read.
  let sent = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += 64 * 1024
      controller.enqueue(new Uint8Array(64 * 1024).fill(97))
      if (sent > 8 * 1024 * 1024) controller.close()
    },
  })
  const request = new Request('http://app.test/form', {
    method: 'POST',
    body: stream,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    duplex: 'half',
  } as RequestInit)
  expect((await refusal(parseFormBody(request, { fields: ['a'] }))).status).toBe(413)
  expect(sent).toBeLessThan(2 * 1024 * 1024)
})

test('JSON, text and a multipart body without a boundary or cut short are refused, not parsed', async () => {
  expect(await refusal(parseFormBody(formRequest('{"a":1}', 'application/json'), { fields: ['a'] }))).toEqual({
    status: 415,
    code: 'errors.unsupported_media_type',
  })
  expect((await refusal(parseFormBody(formRequest('a=1', 'multipart/form-data'), { fields: ['a'] }))).status).toBe(400)
  const truncated = '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue-without-end'
  expect(
    (await refusal(parseFormBody(formRequest(truncated, 'multipart/form-data; boundary=XyZ'), { fields: ['a'] })))
      .status,
  ).toBe(400)
  // An empty body without a type is an empty form (a button-only POST).
  expect([
    ...(await parseFormBody(new Request('http://app.test/', { method: 'POST' }), { fields: ['a'] })).keys(),
  ]).toEqual([])
})

test('multipart forms keep their declared fields; files only on an upload route', async () => {
  const sent = new FormData()
  sent.append('csv', 'email,name')
  sent.append('other', 'x')
  sent.append('file', new File(['a,b\n1,2\n'], 'list.csv', { type: 'text/csv' }))
  const upload = await parseFormBody(new Request('http://app.test/', { method: 'POST', body: sent }), {
    fields: ['csv', 'file'],
    upload: true,
  })
  expect(upload.get('csv')).toBe('email,name')
  expect(upload.get('other')).toBeNull()
  const file = upload.get('file')
  expect(file).toBeInstanceOf(File)
  expect(await (file as File).text()).toBe('a,b\n1,2\n')
  const plain = await parseFormBody(new Request('http://app.test/', { method: 'POST', body: sent }), {
    fields: ['csv', 'file'],
  })
  expect(plain.get('file')).toBeNull()
})

test('Japanese text, plus signs and percent signs arrive as typed', async () => {
  const body = new URLSearchParams({ title: 'ヘルススコアの計算 + 100% 😀', body: 'a&b=c' }).toString()
  const form = await parseFormBody(formRequest(body), { fields: ['title', 'body'] })
  expect(form.get('title')).toBe('ヘルススコアの計算 + 100% 😀')
  expect(form.get('body')).toBe('a&b=c')
})

test('parsing the largest allowed attendance form stays cheap', async () => {
  const fields = fieldsOf(AttendanceMarksSchema)
  const pairs = Array.from({ length: 10_000 }, (_, i) => `marks[${i}].userId=${i + 1}&marks[${i}].status=attended`)
  const started = performance.now()
  const form = await parseFormBody(formRequest(pairs.join('&')), { fields, maxFields: 20_010 })
  const submission = parseWithZod(form, { schema: AttendanceMarksSchema })
  const ms = performance.now() - started
  expect(submission.status).toBe('success')
  expect(ms).toBeLessThan(1000)
})

test('a schema with a discriminated union names every branch', () => {
  const schema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('a'), one: z.string() }),
    z.object({ kind: z.literal('b'), two: z.array(z.object({ x: z.string() })) }),
  ])
  expect(fieldsOf(schema).sort()).toEqual(['kind', 'one', 'two[].x'])
})

test('routes read their bodies only through the bounded readers', () => {
  const offenders: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.tsx?$/.test(entry.name) && !entry.name.includes('.test.')) {
        const source = readFileSync(path, 'utf8')
        if (/request\.(formData|json|text|arrayBuffer|blob)\(/.test(source)) offenders.push(path)
      }
    }
  }
  walk('app')
  expect(offenders).toEqual([])
})

test('a value far past its schema’s longest is cut before it is validated and shown again', async () => {
  const fields = fieldsOf(z.object({ echoTitle: z.string().max(150), echoNote: z.string() }))
  const typedPastLimit = 'あ'.repeat(90_000)
  const body = new URLSearchParams({
    echoTitle: 'x'.repeat(600_000),
    echoNote: 'y'.repeat(300_000),
  }).toString()
  const form = await parseFormBody(formRequest(body), { fields })
  // A tenth of a megabyte at most for a 150-character title: still too long for the schema, and more
  // than anyone types, never the whole body echoed.
  expect(String(form.get('echoTitle')).length).toBe(100_000)
  expect(String(form.get('echoNote')).length).toBe(200_000)
  // What a person typed a little past the limit comes back whole, to be shortened.
  const typed = await parseFormBody(formRequest(new URLSearchParams({ echoTitle: typedPastLimit }).toString()), {
    fields,
  })
  expect(typed.get('echoTitle')).toBe(typedPastLimit)
  const multipart = new FormData()
  multipart.set('echoTitle', 'z'.repeat(500_000))
  const parsed = await parseFormBody(formRequest(multipart), { fields })
  expect(String(parsed.get('echoTitle')).length).toBe(100_000)
})
