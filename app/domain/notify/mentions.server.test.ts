import { randomUUID } from 'node:crypto'
import { expect, test } from 'vitest'
import { insertUser } from '#app/server/seed/factories/index.ts'
import { db } from '#tests/db.ts'
import { findMentionedUsers } from './mentions.server.ts'

function tag() {
  return randomUUID().slice(0, 6)
}

test('the longest candidate that names a user wins, case-insensitively, names with spaces included', async () => {
  const t = tag()
  const short = await insertUser(db, { displayName: `Ann${t}` })
  const long = await insertUser(db, { displayName: `Ann${t} Lee` })
  expect(await findMentionedUsers(db, `Thanks @ann${t} lee, and @ANN${t}!`)).toEqual([long.id, short.id])
})

test('a Japanese name followed by an honorific is found', async () => {
  const t = tag()
  const yamada = await insertUser(db, { displayName: `山田 太郎${t}` })
  expect(await findMentionedUsers(db, `@山田 太郎${t}さん、ありがとうございます。`)).toEqual([yamada.id])
})

test('each user is returned once however often mentioned; unknown names find nobody', async () => {
  const t = tag()
  const bob = await insertUser(db, { displayName: `Bob${t}` })
  expect(await findMentionedUsers(db, `@Bob${t} @bob${t} @Nobody${t}`)).toEqual([bob.id])
  expect(await findMentionedUsers(db, 'no mentions here, only mail@example.com')).toEqual([])
})

test('a name shared by two users is ambiguous: neither is found, and no shorter name is tried', async () => {
  const t = tag()
  await insertUser(db, { displayName: `Kim${t} Park` })
  await insertUser(db, { displayName: `Kim${t} Park` })
  await insertUser(db, { displayName: `Kim${t}` })
  expect(await findMentionedUsers(db, `@Kim${t} Park`)).toEqual([])
})

test('disabled users are not found and do not make a name ambiguous', async () => {
  const t = tag()
  await insertUser(db, { displayName: `Lee${t}`, disabledAt: new Date() })
  const active = await insertUser(db, { displayName: `Lee${t}` })
  expect(await findMentionedUsers(db, `@Lee${t}`)).toEqual([active.id])
  await insertUser(db, { displayName: `Gone${t}`, disabledAt: new Date() })
  expect(await findMentionedUsers(db, `@Gone${t}`)).toEqual([])
})

test('stored names are compared after the same NFKC normalisation as the text', async () => {
  const t = tag()
  const wide = await insertUser(db, { displayName: `ＭＩＫＡ${t}` })
  expect(await findMentionedUsers(db, `hi @mika${t}`)).toEqual([wide.id])
})
