import { parseWithZod } from '@conform-to/zod/v4'
import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { expect, test } from 'vitest'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { getProfile } from '#app/domain/qa/profiles.server.ts'
import { rateRules } from '#app/lib/rate-limit.server.ts'
import { insertAccount, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { avatars } from '#db/schema/editor.ts'
import { users } from '#db/schema/identity.ts'
import { db } from '#tests/db.ts'
import { avatarVersion } from './avatar.ts'
import { readAvatar } from './avatars.server.ts'
import { profileSettingsOf, removeAvatar, saveProfile } from './profile.server.ts'
import { BIO_MAX, type ProfileInput, ProfileSchema, TITLE_MAX } from './schemas.ts'

function formOf(values: Record<string, string>) {
  const form = new FormData()
  for (const [name, value] of Object.entries({ intent: 'preferences', locale: 'en', timeZone: 'UTC', ...values })) {
    form.set(name, value)
  }
  return form
}

function parse(values: Record<string, string>) {
  return parseWithZod(formOf({ displayName: 'Aiko Mori', ...values }), { schema: ProfileSchema })
}

function input(user: SessionUser, values: Partial<ProfileInput> = {}): ProfileInput {
  const base = { intent: 'preferences' as const, locale: 'en' as const, timeZone: 'UTC', title: '', bio: '' }
  return { ...base, displayName: user.displayName, hideCompany: false, ...values }
}

function errorsOf(submission: ReturnType<typeof parse>) {
  return submission.status === 'error' ? submission.error : null
}

const picture = () =>
  sharp({ create: { width: 120, height: 90, channels: 3, background: '#aa3377' } })
    .jpeg()
    .toBuffer()

test('the bio and title take up to their limits, in any script, and not a character more', () => {
  const bio = 'あ'.repeat(BIO_MAX)
  const title = 'T'.repeat(TITLE_MAX)
  expect(parse({ bio, title })).toMatchObject({ status: 'success', value: { bio, title, hideCompany: false } })
  expect(errorsOf(parse({ bio: `${bio}x` }))).toEqual({ bio: ['people.validation.bio_too_long'] })
  expect(errorsOf(parse({ title: `${title}x` }))).toEqual({ title: ['people.validation.title_too_long'] })
})

test('the title is one line, the bio keeps its lines; NUL characters are dropped; empty is fine', () => {
  expect(parse({ title: ' IT\r\nadministrator ', bio: 'Line one\r\nLine two\u0000' })).toMatchObject({
    status: 'success',
    value: { title: 'IT administrator', bio: 'Line one\nLine two' },
  })
  expect(parse({ hideCompany: 'on' })).toMatchObject({
    status: 'success',
    value: { title: '', bio: '', hideCompany: true },
  })
})

test('saving the profile stores title, bio, the company choice and a new picture, and ticks the first step', async () => {
  const user = await insertUser(db)
  const outcome = await saveProfile(db, {
    user,
    input: input(user, { title: 'IT administrator', bio: 'I run our rollout.', hideCompany: true }),
    avatar: await picture(),
  })
  expect(outcome).toEqual({ ok: true, value: { avatarChanged: true } })
  const settings = await profileSettingsOf(db, user.id)
  expect(settings).toMatchObject({ title: 'IT administrator', bio: 'I run our rollout.', hideCompany: true })
  expect(settings.avatarUpdatedAt).toBeInstanceOf(Date)

  const stored = await readAvatar(db, user.id)
  expect(stored).toMatchObject({ contentType: 'image/webp', version: avatarVersion(settings.avatarUpdatedAt!) })
  expect(await sharp(stored!.image).metadata()).toMatchObject({ format: 'webp', width: 256, height: 256 })
  const steps = await db.select().from(activityEvents).where(eq(activityEvents.userId, user.id))
  expect(steps.map((row) => row.type)).toEqual(['profile_completed'])

  // Saving again without a picture keeps the one there is.
  await saveProfile(db, { user, input: input(user, { bio: 'Changed.' }) })
  expect(await profileSettingsOf(db, user.id)).toMatchObject({
    bio: 'Changed.',
    avatarUpdatedAt: settings.avatarUpdatedAt,
  })
})

test('a refused picture saves nothing else either, and the old picture stays', async () => {
  const user = await insertUser(db)
  await saveProfile(db, { user, input: input(user, { bio: 'Before' }), avatar: await picture() })
  const before = await profileSettingsOf(db, user.id)
  const html = new TextEncoder().encode('<html><body>not a picture</body></html>')
  const refused = await saveProfile(db, { user, input: input(user, { bio: 'After' }), avatar: html })
  expect(refused).toMatchObject({ ok: false, status: 400, code: 'people.avatar.not_image', field: 'avatar' })
  expect(await profileSettingsOf(db, user.id)).toEqual(before)
})

test('removing the picture brings the initials back; the avatar is gone from the route', async () => {
  const user = await insertUser(db)
  await saveProfile(db, { user, input: input(user), avatar: await picture() })
  expect(await removeAvatar(db, { user })).toEqual({ ok: true, value: { removed: true } })
  expect((await profileSettingsOf(db, user.id)).avatarUpdatedAt).toBeNull()
  expect(await readAvatar(db, user.id)).toBeNull()
  expect(await db.select().from(avatars).where(eq(avatars.userId, user.id))).toEqual([])
  expect(await removeAvatar(db, { user })).toEqual({ ok: true, value: { removed: false } })
})

test('a disabled member’s picture is not served', async () => {
  const user = await insertUser(db)
  await saveProfile(db, { user, input: input(user), avatar: await picture() })
  await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id))
  expect(await readAvatar(db, user.id)).toBeNull()
})

test('picture changes are paced: past the hourly allowance a new one is refused with the wait', async () => {
  const user = await insertUser(db)
  for (let i = 0; i < rateRules.avatarChangesPerUser.limit; i++) await removeAvatar(db, { user })
  const refused = await saveProfile(db, { user, input: input(user, { bio: 'Kept?' }), avatar: await picture() })
  expect(refused).toMatchObject({ ok: false, status: 429, code: 'people.avatar.too_fast', field: 'avatar' })
  expect(refused.ok ? null : refused.params?.minutes).toBeGreaterThan(0)
  expect(await profileSettingsOf(db, user.id)).toMatchObject({ bio: '', avatarUpdatedAt: null })
  // The rest of the profile still saves without a picture.
  expect(await saveProfile(db, { user, input: input(user, { bio: 'Saved' }) })).toMatchObject({ ok: true })
})

test('an unknown time zone is refused on its field', async () => {
  const user = await insertUser(db)
  expect(await saveProfile(db, { user, input: input(user, { timeZone: 'Mars/Olympus' }) })).toMatchObject({
    ok: false,
    field: 'timeZone',
  })
})

test('the company is the account’s name for everyone, unless hidden; staff still see it, marked', async () => {
  const account = await insertAccount(db, { name: `Globex ${Date.now()}` })
  const member = await insertUser(db, { accountId: account.id })
  const peer = await insertUser(db)
  const staff = await insertStaff(db)

  for (const viewer of [null, peer, member]) {
    const shown = await getProfile(db, { viewer, userId: member.id })
    expect(shown).toMatchObject({ ok: true, value: { company: account.name, companyHidden: false } })
  }

  await saveProfile(db, { user: member, input: input(member, { hideCompany: true, title: 'CFO', bio: 'Numbers.' }) })
  for (const viewer of [null, peer, member]) {
    const hidden = await getProfile(db, { viewer, userId: member.id })
    expect(hidden).toMatchObject({
      ok: true,
      value: { company: null, companyHidden: false, accountName: null, title: 'CFO', bio: 'Numbers.' },
    })
    // Nowhere in what the page gets, not even in another field.
    expect(JSON.stringify(hidden)).not.toContain(account.name)
  }
  expect(await getProfile(db, { viewer: staff, userId: member.id })).toMatchObject({
    ok: true,
    value: { company: null, companyHidden: true, accountName: account.name },
  })

  // Staff belong to no account: no company, whoever looks.
  expect(await getProfile(db, { viewer: null, userId: staff.id })).toMatchObject({
    ok: true,
    value: { company: null, companyHidden: false },
  })
})
