import { and, eq, isNull } from 'drizzle-orm'
import sharp from 'sharp'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { avatars } from '#db/schema/editor.ts'
import { users } from '#db/schema/identity.ts'
import { AVATAR_SIDE, avatarVersion } from './avatar.ts'

// A member's picture is made from whatever they upload, and whatever they upload is treated as hostile:
// the bytes are capped before anything reads them, the type comes from the bytes (never the file name
// or the browser's claim), the pixel count is capped before decoding (a small file can declare a huge
// image), decoding is bounded in time, and the result is a new image (rotated upright by its EXIF
// orientation, cut to a centred square, re-encoded as WebP) that carries none of the original's
// metadata: no GPS position, camera or embedded profile survives.

/** The largest picture accepted, in bytes. Below the settings page's body cap (UPLOAD_MAX_BYTES), so
 *  a file too large is told apart from a body too large and the rest of the form is kept. */
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024

/** The most pixels a picture may declare: a 48-megapixel phone photo passes, a decompression bomb
 *  (a few kilobytes declaring 30,000 × 30,000) does not. */
export const AVATAR_MAX_PIXELS = 50_000_000

/** Seconds the re-encoding may take before it is abandoned. */
const PROCESS_TIMEOUT_SECONDS = 10

export const AVATAR_CONTENT_TYPE = 'image/webp'

type SniffedType = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif'

/** The image type the bytes begin with, or null: JPEG, PNG, GIF, WebP and AVIF only. SVG, HTML and
 *  anything else named .png are refused here, before any decoder sees them. */
export function sniffImageType(bytes: Uint8Array): SniffedType | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))
  if (bytes.length < 12) return null
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png'
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp'
  if (ascii(4, 8) === 'ftyp') {
    // The major brand, then the compatible brands, up to the end of the ftyp box.
    const boxEnd = Math.min(bytes.length, new DataView(bytes.buffer, bytes.byteOffset).getUint32(0))
    for (let at = 8; at + 4 <= boxEnd; at += 4) {
      if (at === 12) continue // the minor version
      const brand = ascii(at, at + 4)
      if (brand === 'avif' || brand === 'avis') return 'avif'
    }
  }
  return null
}

/** What sharp calls each accepted type once it has read the header. */
const SHARP_FORMAT: Record<SniffedType, string> = { jpeg: 'jpeg', png: 'png', gif: 'gif', webp: 'webp', avif: 'heif' }

export type ProcessedAvatar = { image: Buffer; contentType: typeof AVATAR_CONTENT_TYPE }

/** Turns an uploaded file into the stored avatar: a 256 px square WebP without metadata. Refusals are
 *  400s on the `avatar` field: not an image of an accepted type, too large in bytes or pixels, or not
 *  readable. Animated images keep their first frame. */
export async function processAvatar(bytes: Uint8Array): Promise<Outcome<ProcessedAvatar>> {
  const refuse = (code: string, params?: Record<string, string | number>) =>
    fail(400, `people.avatar.${code}`, { field: 'avatar', params })
  if (bytes.byteLength > AVATAR_MAX_BYTES) return refuse('too_large', { mb: AVATAR_MAX_BYTES / 1024 / 1024 })
  const type = sniffImageType(bytes)
  if (!type) return refuse('not_image')
  const options = { limitInputPixels: AVATAR_MAX_PIXELS, failOn: 'error', animated: false } as const
  try {
    const metadata = await sharp(bytes, options).metadata()
    if (metadata.format !== SHARP_FORMAT[type]) return refuse('not_image')
    const { width = 0, height = 0 } = metadata
    if (width * height > AVATAR_MAX_PIXELS) return refuse('too_many_pixels')
    const image = await sharp(bytes, options)
      .rotate()
      .resize(AVATAR_SIDE, AVATAR_SIDE, { fit: 'cover', position: 'centre' })
      .webp({ quality: 82 })
      .timeout({ seconds: PROCESS_TIMEOUT_SECONDS })
      .toBuffer()
    return ok({ image, contentType: AVATAR_CONTENT_TYPE })
  } catch (error) {
    // sharp says so in words only: the pixel limit is the one refusal worth telling apart.
    if (error instanceof Error && /pixel limit/i.test(error.message)) return refuse('too_many_pixels')
    return refuse('unreadable')
  }
}

export type StoredAvatar = { image: Buffer; contentType: string; version: string }

/** A member's stored picture for the avatar route: null when they have none or are disabled (a
 *  disabled member's picture is not served, as their profile is not). */
export async function readAvatar(db: Db, userId: number): Promise<StoredAvatar | null> {
  const [row] = await db
    .select({ image: avatars.image, contentType: avatars.contentType, updatedAt: users.avatarUpdatedAt })
    .from(avatars)
    .innerJoin(users, eq(users.id, avatars.userId))
    .where(and(eq(avatars.userId, userId), isNull(users.disabledAt)))
  if (!row?.updatedAt) return null
  return { image: row.image, contentType: row.contentType, version: avatarVersion(row.updatedAt) }
}
