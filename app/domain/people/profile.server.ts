import { eq } from 'drizzle-orm'
import { recordProfileCompleted } from '#app/domain/identity/onboarding.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { isTimeZone } from '#app/lib/format.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { hitRateLimit, rateRules, waitParams } from '#app/lib/rate-limit.server.ts'
import type { Db } from '#db/client.server.ts'
import { avatars } from '#db/schema/editor.ts'
import { users } from '#db/schema/identity.ts'
import { processAvatar } from './avatars.server.ts'
import type { ProfileInput } from './schemas.ts'

export type ProfileSettings = {
  title: string
  bio: string
  hideCompany: boolean
  avatarUpdatedAt: Date | null
}

/** What the settings page's profile form starts from. */
export async function profileSettingsOf(db: Db, userId: number): Promise<ProfileSettings> {
  const [row] = await db
    .select({
      title: users.title,
      bio: users.bio,
      hideCompany: users.hideCompany,
      avatarUpdatedAt: users.avatarUpdatedAt,
    })
    .from(users)
    .where(eq(users.id, userId))
  return row ?? { title: '', bio: '', hideCompany: false, avatarUpdatedAt: null }
}

/** Counts one change of picture against the member's hourly allowance; a refusal is a 429 with the
 *  wait, on the picture's field. */
async function paceAvatarChange(db: Db, user: SessionUser) {
  const pace = await hitRateLimit(db, `avatar:${user.id}`, rateRules.avatarChangesPerUser)
  if (pace.allowed) return null
  return fail(429, 'people.avatar.too_fast', {
    field: 'avatar',
    params: waitParams(pace.retryAfterSeconds, 'minutes'),
  })
}

/** Saves the member's profile: preferences (name, language, time zone), title, bio, whether the
 *  company shows, and a new picture when one is sent. The picture is checked and re-encoded before
 *  anything is written (a refused picture saves nothing, so the form comes back as typed); the rest
 *  is one transaction, which also ticks the "complete your profile" first step. */
export async function saveProfile(
  db: Db,
  { user, input, avatar = null }: { user: SessionUser; input: ProfileInput; avatar?: Uint8Array | null },
): Promise<Outcome<{ avatarChanged: boolean }>> {
  if (!isTimeZone(input.timeZone)) return fail(400, 'validation.time_zone_invalid', { field: 'timeZone' })
  let image: Buffer | null = null
  if (avatar) {
    const refused = await paceAvatarChange(db, user)
    if (refused) return refused
    const processed = await processAvatar(avatar)
    if (!processed.ok) return processed
    image = processed.value.image
  }
  const now = new Date()
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        displayName: input.displayName,
        locale: input.locale,
        timeZone: input.timeZone,
        title: input.title,
        bio: input.bio,
        hideCompany: input.hideCompany,
        ...(image ? { avatarUpdatedAt: now } : {}),
        updatedAt: now,
      })
      .where(eq(users.id, user.id))
    if (image) {
      await tx
        .insert(avatars)
        .values({ userId: user.id, image, contentType: 'image/webp', updatedAt: now })
        .onConflictDoUpdate({ target: avatars.userId, set: { image, contentType: 'image/webp', updatedAt: now } })
    }
    // Saving the profile is a first step (docs/decisions/039); the ledger keeps it once.
    await recordProfileCompleted(tx, user)
  })
  return ok({ avatarChanged: image !== null })
}

/** Removes the member's picture: their initials show again. Removing none is a success that
 *  changes nothing; it counts against the same allowance as uploads. */
export async function removeAvatar(db: Db, { user }: { user: SessionUser }): Promise<Outcome<{ removed: boolean }>> {
  const refused = await paceAvatarChange(db, user)
  if (refused) return refused
  return db.transaction(async (tx) => {
    const removed = await tx.delete(avatars).where(eq(avatars.userId, user.id)).returning({ userId: avatars.userId })
    await tx.update(users).set({ avatarUpdatedAt: null, updatedAt: new Date() }).where(eq(users.id, user.id))
    return ok({ removed: removed.length > 0 })
  })
}
