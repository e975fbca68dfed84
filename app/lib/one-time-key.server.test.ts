import { expect, test } from 'vitest'
import { insertUser } from '#app/server/seed/factories/identity.ts'
import { db } from '#tests/db.ts'
import {
  claimOneTimeKey,
  issueOneTimeKey,
  ONE_TIME_KEY_FIELD,
  type OneTimeKey,
  sendOnce,
  settleOneTimeKey,
} from './one-time-key.server.ts'
import { ok } from './outcome.ts'

/** A create as the domain writes one: claims the key, makes its row, records where it is. */
function create(made: string[]) {
  return (once: OneTimeKey) =>
    db.transaction(async (tx) => {
      const used = await claimOneTimeKey(tx, once)
      if (used) return used
      made.push(once.key)
      await settleOneTimeKey(tx, once, `/made/${made.length}`)
      return ok(made.length)
    })
}

test('sendOnce runs a create once per key: no key is an expired form, a replay answers where the first went', async () => {
  const member = await insertUser(db)
  const made: string[] = []
  const form = new FormData()
  expect(await sendOnce(db, member, form, create(made))).toMatchObject({ ok: false, code: 'errors.form_expired' })

  form.set(ONE_TIME_KEY_FIELD, await issueOneTimeKey(db, member))
  expect(await sendOnce(db, member, form, create(made))).toEqual({ ok: true, value: 1 })
  expect(await sendOnce(db, member, form, create(made))).toEqual({ replayed: '/made/1' })
  expect(made).toHaveLength(1)

  // Another member's key, and a forged one, are expired forms: nothing is made.
  const other = await insertUser(db)
  expect(await sendOnce(db, other, form, create(made))).toMatchObject({ ok: false, code: 'errors.form_expired' })
  form.set(ONE_TIME_KEY_FIELD, `${form.get(ONE_TIME_KEY_FIELD)}x`)
  expect(await sendOnce(db, member, form, create(made))).toMatchObject({ ok: false, code: 'errors.form_expired' })
  expect(made).toHaveLength(1)
})
