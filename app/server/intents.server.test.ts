import { RouterContextProvider } from 'react-router'
import { expect, test } from 'vitest'
import { translator } from '#app/lib/i18n.ts'
import { localeContext } from './context.ts'
import { dispatchIntent, unknownIntent } from './intents.server.ts'

function form(fields: Record<string, string>): FormData {
  const formData = new FormData()
  for (const [name, value] of Object.entries(fields)) formData.set(name, value)
  return formData
}

const handlers = {
  vote: async ({ intent, page }: { intent: string; page: number }) => `${intent} on ${page}`,
  lock: ({ intent }: { intent: string }) => `${intent}ed`,
  unlock: ({ intent }: { intent: string }) => `${intent}ed`,
}
const otherwise = ({ intent }: { intent: string }) => `unknown "${intent}"`

test('the form’s intent picks its handler, which gets the route’s values and the intent', async () => {
  expect(await dispatchIntent({ formData: form({ intent: 'vote' }), page: 3 }, handlers, otherwise)).toBe('vote on 3')
  // One handler may serve two intents and tell them apart.
  expect(await dispatchIntent({ formData: form({ intent: 'lock' }), page: 1 }, handlers, otherwise)).toBe('locked')
  expect(await dispatchIntent({ formData: form({ intent: 'unlock' }), page: 1 }, handlers, otherwise)).toBe('unlocked')
})

test('an unknown intent, none at all, or a name every object has goes to the fallback', async () => {
  for (const intent of ['bogus', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    expect(await dispatchIntent({ formData: form({ intent }), page: 1 }, handlers, otherwise)).toBe(
      `unknown "${intent}"`,
    )
  }
  expect(await dispatchIntent({ formData: form({}), page: 1 }, handlers, otherwise)).toBe('unknown ""')
})

test('unknownIntent refuses with the translated 400 error page', () => {
  const context = new RouterContextProvider()
  context.set(localeContext, 'ja')
  let thrown: unknown
  try {
    unknownIntent({ context })
  } catch (error) {
    thrown = error
  }
  expect(thrown).toMatchObject({
    data: { message: translator('ja')('errors.bad_request') },
    init: { status: 400 },
  })
})
