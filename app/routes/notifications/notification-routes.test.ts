import { expect, test } from 'vitest'
import { preferencesOf, unsubscribeToken } from '#app/domain/notify/preferences.server.ts'
import { insertUser } from '#app/server/seed/factories/index.ts'
import { db } from '#tests/db.ts'
import { routeContext, settle } from '#tests/route-harness.ts'
import { action as settingsAction, loader as settingsLoader } from '../settings/notifications.tsx'
import { action as unsubscribeAction, loader as unsubscribeLoader } from './unsubscribe.tsx'

function request(path: string, fields?: Record<string, string>) {
  if (!fields) return new Request(`http://localhost${path}`)
  return new Request(`http://localhost${path}`, { method: 'POST', body: new URLSearchParams(fields) })
}

function unsubscribe(token: string, method: 'GET' | 'POST', locale: 'en' | 'ja' = 'en') {
  const path = `/unsubscribe/${token}`
  const args = {
    request: method === 'GET' ? request(path) : request(path, { 'List-Unsubscribe': 'One-Click' }),
    params: { token },
    context: routeContext(null, locale),
  } as never
  return settle(() => (method === 'GET' ? unsubscribeLoader(args) : unsubscribeAction(args)))
}

test('an unsubscribe link works signed out: GET shows what stops and changes nothing, POST stops it', async () => {
  const member = await insertUser(db)
  const token = await unsubscribeToken(db, member.id, 'support_updated')
  const shown = await unsubscribe(token, 'GET')
  expect(shown).toMatchObject({
    status: 200,
    body: { invalid: null, view: { scope: 'support_updated', alreadyOff: false } },
  })
  expect((await preferencesOf(db, member.id)).support_updated).toBe('email')

  expect(await unsubscribe(token, 'POST')).toMatchObject({ status: 200, body: { done: true } })
  expect((await preferencesOf(db, member.id)).support_updated).toBe('in_app')
  // Mail clients may post again: still fine, nothing more changes.
  expect(await unsubscribe(token, 'POST')).toMatchObject({ status: 200, body: { done: true } })
  expect(await unsubscribe(token, 'GET')).toMatchObject({ body: { view: { alreadyOff: true } } })
})

test('a forged, truncated or unknown-kind token is a translated 404, changing nothing', async () => {
  const member = await insertUser(db)
  const token = await unsubscribeToken(db, member.id, 'answer')
  const forged = `${member.id}-answer.${'x'.repeat(32)}`
  for (const bad of [forged, token.slice(0, -3), `${member.id}-answer`, 'nonsense', 'a'.repeat(600)]) {
    const got = await unsubscribe(bad, 'POST', 'ja')
    expect(got.status).toBe(404)
    expect(got.body).toMatchObject({ done: false, invalid: expect.stringContaining('配信停止リンクは無効です') })
    expect((await unsubscribe(bad, 'GET')).status).toBe(404)
  }
  expect((await preferencesOf(db, member.id)).answer).toBe('email')
})

test('the settings page saves each kind’s channel, refuses a channel a kind does not offer, and needs sign-in', async () => {
  const member = await insertUser(db)
  const context = routeContext(member)
  const loaded = await settle(() =>
    settingsLoader({ request: request('/settings/notifications'), params: {}, context } as never),
  )
  expect(loaded.body).toMatchObject({ preferences: { answer: 'email', event_registered: 'email' }, saved: null })

  const saved = await settle(() =>
    settingsAction({
      request: request('/settings/notifications', { answer: 'digest', support_updated: 'none', mention: 'in_app' }),
      params: {},
      context,
    } as never),
  )
  expect(saved).toMatchObject({ status: 302, location: '/settings/notifications?saved=yes' })
  expect(await preferencesOf(db, member.id)).toMatchObject({
    answer: 'digest',
    mention: 'in_app',
    support_updated: 'none',
    comment: 'email',
  })

  for (const fields of <Record<string, string>[]>[
    { answer: 'sometimes' },
    { answer: 'x'.repeat(5000) },
    { support_received: 'EMAIL' },
  ]) {
    const refused = await settle(() =>
      settingsAction({ request: request('/settings/notifications', fields), params: {}, context } as never),
    )
    expect(refused.status).toBe(400)
  }
  expect((await preferencesOf(db, member.id)).answer).toBe('digest')
  // A kind that always comes by email is no field of the form: sent anyway, it is not read.
  const ignored = await settle(() =>
    settingsAction({
      request: request('/settings/notifications', { event_cancelled: 'none' }),
      params: {},
      context,
    } as never),
  )
  expect(ignored.location).toBe('/settings/notifications?saved=unchanged')
  expect((await preferencesOf(db, member.id)).event_cancelled).toBe('email')

  const visitor = await settle(() =>
    settingsLoader({ request: request('/settings/notifications'), params: {}, context: routeContext(null) } as never),
  )
  expect(visitor.status).toBe(302)
  expect(visitor.location).toMatch(/^\/login/)
})
