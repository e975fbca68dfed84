import { z } from 'zod'
import { PreferencesSchema } from '#app/domain/identity/schemas.ts'
import { withoutNul } from '#app/lib/schema-text.ts'

// The profile form of the settings page: the preferences (name, language, time zone) and what others
// see of the member (title, bio, whether the company shows). The picture travels as a file beside it
// and is checked by its bytes (avatars.server.ts), not here.

export const BIO_MAX = 300
export const TITLE_MAX = 80

/** The name of the profile form's file input. */
export const AVATAR_FIELD = 'avatar'

/** Text of a profile field as stored: NUL characters dropped, then `tidy`; empty when absent (conform
 *  sends an empty field as absent). */
function profileText(tidy: (value: string) => string, schema: z.ZodDefault<z.ZodString>) {
  return z.preprocess((value) => tidy(typeof value === 'string' ? withoutNul(value) : ''), schema)
}

export const ProfileSchema = PreferencesSchema.extend({
  // One line: a pasted line break becomes a space.
  title: profileText(
    (value) => value.replace(/\s+/g, ' ').trim(),
    z.string().max(TITLE_MAX, 'people.validation.title_too_long').default(''),
  ),
  bio: profileText(
    (value) => value.replace(/\r\n?/g, '\n').trim(),
    z.string().max(BIO_MAX, 'people.validation.bio_too_long').default(''),
  ),
  hideCompany: z.boolean().optional().default(false),
})
export type ProfileInput = z.infer<typeof ProfileSchema>
