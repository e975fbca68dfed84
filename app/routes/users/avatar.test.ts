import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { expect, test } from 'vitest'
import { avatarPath } from '#app/domain/people/avatar.ts'
import { profileSettingsOf, saveProfile } from '#app/domain/people/profile.server.ts'
import { insertUser } from '#app/server/seed/factories/index.ts'
import { users } from '#db/schema/identity.ts'
import { db } from '#tests/db.ts'
import { routeContext, settle } from '#tests/route-harness.ts'
import { loader } from './avatar.ts'

function avatarAt(path: string) {
  const [, , userId, , version] = path.split('/')
  return settle(() => loader({ params: { userId, version }, context: routeContext(null) } as never))
}

async function memberWithPicture() {
  const user = await insertUser(db)
  const photo = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#884422' } })
    .jpeg()
    .toBuffer()
  const input = { intent: 'preferences', displayName: user.displayName, locale: 'en', timeZone: 'UTC' } as const
  await saveProfile(db, { user, input: { ...input, title: '', bio: '', hideCompany: false }, avatar: photo })
  const { avatarUpdatedAt } = await profileSettingsOf(db, user.id)
  return { user, path: avatarPath(user.id, avatarUpdatedAt)! }
}

test('a picture is served as WebP, not sniffable, cached for a year under its version', async () => {
  const { path } = await memberWithPicture()
  const reply = await avatarAt(path)
  expect(reply.status).toBe(200)
  expect(reply.headers.get('content-type')).toBe('image/webp')
  expect(reply.headers.get('x-content-type-options')).toBe('nosniff')
  expect(reply.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  expect(reply.headers.get('set-cookie')).toBeNull()
  expect(Number(reply.headers.get('content-length'))).toBe(reply.bytes!.byteLength)
  expect(await sharp(Buffer.from(reply.bytes!)).metadata()).toMatchObject({ format: 'webp', width: 256, height: 256 })
})

test('an old version redirects to the current picture, uncached', async () => {
  const { user, path } = await memberWithPicture()
  const reply = await avatarAt(`/users/${user.id}/avatar/1`)
  expect(reply.status).toBe(302)
  expect(reply.location).toBe(path)
  expect(reply.headers.get('cache-control')).toBe('no-store')
})

test('no picture, an unknown member, a disabled member or a malformed address: 404, uncached', async () => {
  const without = await insertUser(db)
  const { user: disabled, path } = await memberWithPicture()
  await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, disabled.id))
  for (const address of [
    `/users/${without.id}/avatar/1700000000000`,
    '/users/987654321/avatar/1700000000000',
    path,
    '/users/abc/avatar/1',
    '/users/0/avatar/1',
    `/users/${without.id}/avatar/..%2f`,
    `/users/${without.id}/avatar/99999999999999999999`,
  ]) {
    const reply = await avatarAt(address)
    expect(reply.status, address).toBe(404)
    expect(reply.headers.get('cache-control')).toBe('no-store')
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(reply.text).toBe('This member has no picture.')
  }
})
