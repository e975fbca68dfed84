import { randomUUID } from 'node:crypto'
import { expect, test } from 'vitest'
import { insertQuestion, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { db } from '#tests/db.ts'
import { routeContext, settle } from '#tests/route-harness.ts'
import { loader as userSuggest } from '../users/suggest.ts'
import { loader as tagSuggest } from './tag-suggest.ts'
import { action as manageAction, loader as manageLoader } from './tags-manage.tsx'

// The editor's JSON endpoints and the staff tag page, called as React Router calls them
// (docs/decisions/042).

function get(path: string) {
  return { request: new Request(`http://localhost${path}`), params: {}, unstable_pattern: '' }
}

function post(path: string, fields: Record<string, string>) {
  const request = new Request(`http://localhost${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  })
  return { request, params: {}, unstable_pattern: '' }
}

test('/users/suggest answers signed-in members only, with at most 8 people, and refuses an overlong query', async () => {
  const w = randomUUID().slice(0, 6)
  const alice = await insertUser(db, { displayName: `Alice${w} Tanaka` })
  for (let i = 0; i < 9; i++) await insertUser(db, { displayName: `Alice${w} ${i}` })
  const member = await insertUser(db)

  const visitor = await settle(() =>
    userSuggest({ ...get(`/users/suggest?q=Alice${w}`), context: routeContext(null) } as never),
  )
  expect(visitor.status).toBe(401)
  expect(visitor.body).toEqual({ users: [] })

  const found = await settle(() =>
    userSuggest({ ...get(`/users/suggest?q=alice${w}%20ta`), context: routeContext(member) } as never),
  )
  expect(found.status).toBe(200)
  expect(found.headers.get('Cache-Control')).toContain('no-store')
  expect(found.body).toEqual({ users: [{ id: alice.id, name: `Alice${w} Tanaka` }] })

  const many = await settle(() =>
    userSuggest({ ...get(`/users/suggest?q=alice${w}`), context: routeContext(member) } as never),
  )
  expect((many.body as { users: unknown[] }).users).toHaveLength(8)

  const empty = await settle(() => userSuggest({ ...get('/users/suggest'), context: routeContext(member) } as never))
  expect(empty).toMatchObject({ status: 200, body: { users: [] } })
  const long = await settle(() =>
    userSuggest({ ...get(`/users/suggest?q=${'a'.repeat(161)}`), context: routeContext(member) } as never),
  )
  expect(long).toMatchObject({ status: 400, body: { users: [] } })
})

test('/tags/suggest is public, gives counts, and refuses an overlong query', async () => {
  const w = `s${randomUUID().slice(0, 6)}`
  await insertQuestion(db, { tags: [`${w}-api`] })
  await insertQuestion(db, { tags: [`${w}-api`, `${w}-apps`] })

  const found = await settle(() =>
    tagSuggest({ ...get(`/tags/suggest?q=${w}-ap`), context: routeContext(null) } as never),
  )
  expect(found.status).toBe(200)
  expect(found.body).toEqual({
    tags: [
      { name: `${w}-api`, questions: 2 },
      { name: `${w}-apps`, questions: 1 },
    ],
  })
  const long = await settle(() =>
    tagSuggest({ ...get(`/tags/suggest?q=${'x'.repeat(129)}`), context: routeContext(null) } as never),
  )
  expect(long).toMatchObject({ status: 400, body: { tags: [] } })
})

test('/tags/manage: members are refused; a bad merge comes back with its message and what was typed', async () => {
  const w = `m${randomUUID().slice(0, 6)}`
  await insertQuestion(db, { tags: [`${w}-a`, `${w}-b`] })
  const member = await insertUser(db)
  const staff = await insertStaff(db)

  const refused = await settle(() => manageLoader({ ...get('/tags/manage'), context: routeContext(member) } as never))
  expect(refused.status).toBe(403)

  const bad = await settle(() =>
    manageAction({
      ...post('/tags/manage', { intent: 'merge', from: `${w}-nope`, into: `${w}-b` }),
      context: routeContext(staff, 'ja'),
    } as never),
  )
  expect(bad.status).toBe(404)
  expect(bad.body).toMatchObject({
    intent: 'merge',
    result: {
      initialValue: { from: `${w}-nope`, into: `${w}-b` },
      error: { from: [`「${w}-nope」というタグはありません。タグの一覧で綴りを確認してください。`] },
    },
  })

  const merged = await settle(() =>
    manageAction({
      ...post('/tags/manage', { intent: 'merge', from: `${w}-a`, into: `${w}-b` }),
      context: routeContext(staff),
    } as never),
  )
  expect(merged).toMatchObject({ status: 302, location: `/tags/manage?done=merged&from=${w}-a&to=${w}-b&questions=1` })
  const page = await settle(() =>
    manageLoader({ ...get(merged.location ?? ''), context: routeContext(staff) } as never),
  )
  expect(page.body).toMatchObject({ done: { kind: 'merged', from: `${w}-a`, to: `${w}-b`, count: 1 } })
})
