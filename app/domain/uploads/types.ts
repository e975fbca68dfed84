import { z } from 'zod'
import { messageWith } from '#app/lib/schema-text.ts'

// What the browser and the server share about uploads: the kinds of file the app knows, the settings
// and their bounds, the file input's name, and how an upload's address and markdown are written.

/** The file input of every form with a markdown field; its id is `<textarea id>-upload`. */
export const UPLOAD_FIELD = 'upload'

/** Every kind of file the app can take, as admins tick them. Images are re-encoded; the others are
 *  stored as sent and only ever served as downloads. HTML is never taken, whatever the settings. */
export const uploadTypes = ['jpeg', 'png', 'gif', 'webp', 'avif', 'pdf', 'text', 'csv', 'zip', 'office', 'svg'] as const
export type UploadType = (typeof uploadTypes)[number]

export const imageTypes: readonly UploadType[] = ['jpeg', 'png', 'gif', 'webp', 'avif']

/** What a new install allows: every known type but SVG (a drawing that can carry script; even as a
 *  download it is off until an admin turns it on). */
export const defaultAllowedTypes: UploadType[] = uploadTypes.filter((type) => type !== 'svg')

export const MB = 1024 * 1024

/** Bounds of the admin's settings. The largest file is further capped by UPLOAD_FILE_MAX_BYTES. */
export const settingsBounds = {
  maxFileMb: { min: 0.1, max: 100 },
  quotaMb: { min: 1, max: 100_000 },
  perHour: { min: 1, max: 1000 },
} as const

export const UploadSettingsSchema = z.object({
  /** The largest file a member may attach, in bytes. */
  maxFileBytes: z.number().int().positive(),
  allowedTypes: z.array(z.enum(uploadTypes)),
  /** What one member's uploads may add up to, in bytes (staff have no quota). */
  quotaBytes: z.number().int().positive(),
  /** Uploads one member may make per hour (staff have no limit). */
  perHour: z.number().int().positive(),
})
export type UploadSettings = z.infer<typeof UploadSettingsSchema>

export const defaultUploadSettings: UploadSettings = {
  maxFileBytes: 8 * MB,
  allowedTypes: defaultAllowedTypes,
  quotaBytes: 200 * MB,
  perHour: 30,
}

const range = (key: 'maxFileMb' | 'quotaMb' | 'perHour') =>
  messageWith('uploads.admin.validation.range', settingsBounds[key])

/** The admin form (`/admin/uploads`): sizes in megabytes, the types as ticked boxes. */
export const UploadSettingsFormSchema = z.object({
  maxFileMb: z
    .number({ message: 'uploads.admin.validation.number' })
    .min(settingsBounds.maxFileMb.min, range('maxFileMb'))
    .max(settingsBounds.maxFileMb.max, range('maxFileMb')),
  allowedTypes: z.array(z.enum(uploadTypes)).default([]),
  quotaMb: z
    .number({ message: 'uploads.admin.validation.number' })
    .int('uploads.admin.validation.whole')
    .min(settingsBounds.quotaMb.min, range('quotaMb'))
    .max(settingsBounds.quotaMb.max, range('quotaMb')),
  perHour: z
    .number({ message: 'uploads.admin.validation.number' })
    .int('uploads.admin.validation.whole')
    .min(settingsBounds.perHour.min, range('perHour'))
    .max(settingsBounds.perHour.max, range('perHour')),
})
export type UploadSettingsForm = z.infer<typeof UploadSettingsFormSchema>

/** An upload's id: base64url of 16 random bytes. */
export const UPLOAD_ID = /^[A-Za-z0-9_-]{22}$/

/** Where an upload is served. The name is only for people (and the download's name); the id finds it. */
export function uploadPath(upload: { id: string; fileName: string }): string {
  return `/uploads/${upload.id}/${encodeURIComponent(upload.fileName)}`
}

/** The markdown that shows an upload in a post: an image for images, a link for other files. */
export function uploadMarkdown(upload: { id: string; fileName: string; kind: 'image' | 'file' }): string {
  const path = uploadPath(upload)
  const label = upload.fileName.replace(/[[\]\\]/g, '')
  if (upload.kind === 'image') return `![${label.replace(/\.[^.]*$/, '') || label}](${path})`
  return `[${label}](${path})`
}

/** Sizes as people read them: `8 MB`, `0.5 MB`, below a tenth of a megabyte `12 KB` (en-US digits,
 *  decision 029). */
export function megabytes(bytes: number): string {
  if (bytes < MB / 10) return `${Math.ceil(bytes / 1024)} KB`
  const mb = bytes / MB
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`
}
