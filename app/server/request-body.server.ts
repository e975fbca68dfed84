import { unescape as lenientUnescape } from 'node:querystring'
import busboy from 'busboy'
import { data, type RouterContextProvider } from 'react-router'
import type { z } from 'zod'
import { fileHardCap, readUploadSettings } from '#app/domain/uploads/settings.server.ts'
import { type StoredUpload, storeUpload } from '#app/domain/uploads/store.server.ts'
import { megabytes, UPLOAD_FIELD } from '#app/domain/uploads/types.ts'
import { decodeCsvBytes } from '#app/lib/csv.server.ts'
import { env } from '#app/lib/env.server.ts'
import { translator } from '#app/lib/i18n.ts'
import { type Failure, fail, type Outcome } from '#app/lib/outcome.ts'
import { getOptionalUser } from './auth.server.ts'
import { getDb, localeContext } from './context.ts'

// Work per request is bounded before any parsing: the body is read no further than its cap, counted on
// the bytes actually streamed (a Content-Length can lie, chunked bodies have none); a form is parsed by
// a streaming parser with a cap on its fields; and only the names the form declares reach the schema
// parser (conform), whose cost grows with repeated names and which builds real arrays for bracket
// indexes (`a[9999999]`). The Node server applies the same byte caps at the door for every route
// (request-door.server.ts); this module is what a route uses to read its own form.

/** The largest form body a route reads, and the one every route gets at the door. */
export function formMaxBytes(): number {
  return env().FORM_MAX_BYTES
}

/** The largest body of a route that takes a CSV upload. */
export function uploadMaxBytes(): number {
  return env().UPLOAD_MAX_BYTES
}

/** The largest body of a form that takes attached files (a markdown field's file input, the upload
 *  route): the form itself plus the hard cap on one file (UPLOAD_FILE_MAX_BYTES). */
export function attachMaxBytes(): number {
  return formMaxBytes() + fileHardCap()
}

/** Fields a form may carry unless its route says otherwise. The longest forms of the app (scoring
 *  settings, attendance) set their own cap. */
export const DEFAULT_MAX_FIELDS = 200

/** The longest value a form field keeps. No field of the app takes more than 100,000 characters, so a
 *  longer value fails its schema whatever is cut; cutting it keeps the form shown again (with what was
 *  typed, as far as any field could hold it) from echoing a megabyte back twice. */
export const MAX_VALUE_CHARS = 200_000

/** The longest value any schema read by `fieldsOf` allows per field name (zod's `.max()` on a string),
 *  over every schema seen so far: a route's own schemas are always among them, since its module (and
 *  its `fieldsOf` call) loads before its action runs. */
const schemaMaxChars = new Map<string, number>()

/** What a form shown again keeps of any value, however short the field's limit: far more than anyone
 *  types into one field, so a refused form gives back everything that was typed. */
const ECHO_FLOOR = 100_000

/** How much of a value is kept: at least ECHO_FLOOR, or twice the field's longest valid value and some
 *  (so a value cut is still too long for its schema), never more than MAX_VALUE_CHARS. A megabyte sent
 *  as a 200-character title costs a tenth of a megabyte to validate and show again. */
function valueCap(name: string): number {
  const max = schemaMaxChars.get(name)
  return max === undefined ? MAX_VALUE_CHARS : Math.min(MAX_VALUE_CHARS, Math.max(ECHO_FLOOR, max * 2 + 1_000))
}

function keptValue(name: string, value: string, upload: boolean | undefined): string {
  if (upload) return value
  const cap = valueCap(name)
  return value.length <= cap ? value : cut(value, cap)
}

/** A refused body: the status and the catalogue key of its message. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
  ) {
    super(code)
    this.name = 'BodyError'
  }
}

/** The whole body, or a BodyError (413) as soon as more than `maxBytes` have streamed in. */
export async function readBody(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyError(413, 'errors.body_too_large')
  if (!request.body) return Buffer.alloc(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>
    try {
      chunk = await reader.read()
    } catch {
      throw new BodyError(400, 'errors.malformed_body')
    }
    if (chunk.done) break
    size += chunk.value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => {})
      throw new BodyError(413, 'errors.body_too_large')
    }
    chunks.push(chunk.value)
  }
  return Buffer.concat(chunks)
}

export type FormLimits = {
  /** The names the form sends, from `fieldsOf(schema)` or written out; `[]` stands for an index
   *  (`marks[].status`). Any other name is dropped before parsing. */
  fields: readonly string[]
  /** At most this many fields, repeats and undeclared names included (default 200). */
  maxFields?: number
  /** A route that takes a CSV file: the upload cap instead of the form cap, and file parts kept. */
  upload?: boolean
  /** A form with a markdown field: files sent in its `upload` input are stored as the signed-in
   *  member's uploads and their markdown is appended to the field `to` (see `attachUploads`), so a
   *  form works the same with a file chosen, without JavaScript, as with one pasted. */
  attach?: { to: string }
}

type Matcher = { names: Set<string>; patterns: RegExp[] }
const matchers = new WeakMap<readonly string[], Matcher>()

function matcherOf(fields: readonly string[]): Matcher {
  let matcher = matchers.get(fields)
  if (!matcher) {
    const names = new Set<string>()
    const patterns: RegExp[] = []
    for (const field of fields) {
      if (!field.includes('[]')) names.add(field)
      else {
        const source = field
          .split('[]')
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('\\[(?:0|[1-9]\\d{0,4})\\]')
        patterns.push(new RegExp(`^${source}$`))
      }
    }
    matcher = { names, patterns }
    matchers.set(fields, matcher)
  }
  return matcher
}

function isDeclared(matcher: Matcher, name: string): boolean {
  return matcher.names.has(name) || matcher.patterns.some((pattern) => pattern.test(name))
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data']

/** Files one form may carry (CSV imports, or files attached to a markdown field). */
const MAX_FILES = 5

/** Names of attached files that went over the hard cap, per parsed form. */
const oversizedFiles = new WeakMap<FormData, string[]>()

/** Parses a form body within its limits: only declared names come back, at most `maxFields` fields,
 *  files only for an upload route. */
export async function parseFormBody(request: Request, limits: FormLimits): Promise<FormData> {
  const maxBytes = limits.upload ? uploadMaxBytes() : limits.attach ? attachMaxBytes() : formMaxBytes()
  const maxFields = limits.maxFields ?? DEFAULT_MAX_FIELDS
  const takesFiles = limits.upload || !!limits.attach
  const contentType = request.headers.get('content-type') ?? ''
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase()
  const body = await readBody(request, maxBytes)
  const form = new FormData()
  if (body.length === 0 && !FORM_TYPES.includes(mediaType)) return form
  if (!FORM_TYPES.includes(mediaType)) throw new BodyError(415, 'errors.unsupported_media_type')
  const matcher = matcherOf(limits.fields)
  if (mediaType === FORM_TYPES[0]) return parseUrlEncoded(body.toString('utf8'), matcher, maxFields, limits.upload)

  await new Promise<void>((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        defParamCharset: 'utf8',
        limits: {
          fields: maxFields,
          files: takesFiles ? MAX_FILES : 0,
          parts: maxFields + MAX_FILES,
          fieldNameSize: 200,
          fieldSize: limits.attach ? formMaxBytes() : maxBytes,
          fileSize: limits.attach ? fileHardCap() : maxBytes,
          headerPairs: 20,
        },
      })
    } catch {
      // A multipart type without a boundary, or one busboy cannot read.
      reject(new BodyError(400, 'errors.malformed_body'))
      return
    }
    const oversized: string[] = []
    oversizedFiles.set(form, oversized)
    let failed: BodyError | null = null
    const fail = (error: BodyError) => {
      failed ??= error
    }
    const pendingFiles: Promise<void>[] = []
    parser.on('field', (name, value, info) => {
      if (info.nameTruncated || !isDeclared(matcher, name)) return
      form.append(name, keptValue(name, value, limits.upload))
    })
    parser.on('file', (name, stream, info) => {
      const attached = !!limits.attach && name === UPLOAD_FIELD
      if (!(attached || (limits.upload && isDeclared(matcher, name)))) {
        stream.resume()
        return
      }
      const chunks: Buffer[] = []
      pendingFiles.push(
        new Promise<void>((done) => {
          stream.on('data', (chunk: Buffer) => chunks.push(chunk))
          stream.on('limit', () => {
            // An attached file over the hard cap is refused on its own, keeping the rest of the form.
            if (attached) {
              oversized.push(info.filename)
              chunks.length = 0
              stream.resume()
            } else fail(new BodyError(413, 'errors.body_too_large'))
          })
          stream.on('close', () => {
            if (attached && oversized.includes(info.filename)) return done()
            // A file input left empty still sends a part, with no file name.
            if (info.filename)
              form.append(
                name,
                new File([new Uint8Array(Buffer.concat(chunks))], info.filename, { type: info.mimeType }),
              )
            done()
          })
        }),
      )
    })
    parser.on('fieldsLimit', () => fail(new BodyError(413, 'errors.too_many_fields')))
    parser.on('partsLimit', () => fail(new BodyError(413, 'errors.too_many_fields')))
    // A file sent to a form that takes none is dropped unread; an upload form takes a few.
    parser.on('filesLimit', () => {
      if (takesFiles) fail(new BodyError(413, 'errors.too_many_fields'))
    })
    parser.on('error', () => reject(failed ?? new BodyError(400, 'errors.malformed_body')))
    parser.on('close', () => {
      void Promise.all(pendingFiles).then(() => (failed ? reject(failed) : resolve()))
    })
    parser.end(body)
  })
  return form
}

/** A URL-encoded form, pair by pair with native string search: a name is decoded (and a value only when
 *  its name is declared), so megabytes of junk cost a scan. busboy's urlencoded parser reads byte by
 *  byte in JavaScript, about ten times slower on a megabyte; its multipart parser is used as is. */
function parseUrlEncoded(text: string, matcher: Matcher, maxFields: number, upload = false): FormData {
  const form = new FormData()
  let fields = 0
  let start = 0
  while (start <= text.length) {
    let end = text.indexOf('&', start)
    if (end === -1) end = text.length
    if (end > start) {
      if (++fields > maxFields) throw new BodyError(413, 'errors.too_many_fields')
      const eq = text.indexOf('=', start)
      const nameEnd = eq === -1 || eq > end ? end : eq
      // A name longer than any declared one (with its escapes) is not one of them.
      if (nameEnd - start <= 600) {
        const name = decodePart(text.slice(start, nameEnd))
        if (isDeclared(matcher, name)) {
          const value = nameEnd === end ? '' : decodePart(text.slice(nameEnd + 1, end))
          form.append(name, keptValue(name, value, upload))
        }
      }
    }
    start = end + 1
  }
  return form
}

/** `+` is a space in a form; a malformed escape is kept as typed, as browsers and URLSearchParams do. */
function decodePart(part: string): string {
  return lenientUnescape(part.includes('+') ? part.replaceAll('+', ' ') : part)
}

/** The first `max` UTF-16 units of `text`, never ending in half a surrogate pair. */
function cut(text: string, max: number): string {
  const code = text.charCodeAt(max - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)
}

type RouteArgs = { request: Request; context: Readonly<RouterContextProvider> }

/** The route's form, bounded (see `parseFormBody`); a refused body becomes the app's translated error
 *  page with its status (413, 415 or 400). Routes read their forms only through this. With `attach`,
 *  files chosen in the form's file input are stored and their markdown added to the text before the
 *  route sees it (`attachUploads`); a refused file is `attachmentRefusal(form)`. */
export async function readForm(args: RouteArgs, limits: FormLimits): Promise<FormData> {
  let form: FormData
  try {
    form = await parseFormBody(args.request, limits)
  } catch (error) {
    if (!(error instanceof BodyError)) throw error
    const message = translator(args.context.get(localeContext))(error.code, {
      size: megabytes(limits.upload ? uploadMaxBytes() : limits.attach ? attachMaxBytes() : formMaxBytes()),
    })
    throw data({ message }, { status: error.status })
  }
  if (limits.attach) await attachUploads(args, form, limits.attach.to)
  return form
}

/** What happened to the files attached to a form: those stored (in order), and the refusal that
 *  stopped the rest, if any, set next to the text field. */
export type Attachments = { stored: StoredUpload[]; refusal: Failure | null }

const attachments = new WeakMap<FormData, Attachments>()

/** Stores each file of the form's `upload` input as the signed-in member's upload (limits, types,
 *  quota and re-encoding: `storeUpload`) and appends its markdown to the field `to`, on a line of its
 *  own after what was typed. The file parts leave the form. Without a signed-in member, files are
 *  dropped (every form that takes them asks for a member anyway). */
export async function attachUploads(args: RouteArgs, form: FormData, to: string): Promise<Attachments> {
  const files = form.getAll(UPLOAD_FIELD).filter((value): value is File => value instanceof File)
  const oversized = oversizedFiles.get(form) ?? []
  form.delete(UPLOAD_FIELD)
  const result: Attachments = { stored: [], refusal: null }
  attachments.set(form, result)
  const user = getOptionalUser(args.context)
  if (!user || (!files.length && !oversized.length)) return result
  const db = getDb(args.context)
  if (oversized.length) {
    const settings = await readUploadSettings(db)
    result.refusal = fail(413, 'uploads.too_large', { field: to, params: { size: megabytes(settings.maxFileBytes) } })
    return result
  }
  let text = String(form.get(to) ?? '')
  for (const file of files) {
    const outcome = await storeUpload(db, { user, name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })
    if (!outcome.ok) {
      result.refusal = { ...outcome, field: to }
      break
    }
    result.stored.push(outcome.value)
    text = text.trim() ? `${text.replace(/\s+$/, '')}\n\n${outcome.value.markdown}` : outcome.value.markdown
  }
  if (result.stored.length) form.set(to, text)
  return result
}

/** The files of the upload route (POST /uploads, JavaScript's paste, drop and "Attach file"), read
 *  and stored as a form's attachments; a refused body (over the cap, not multipart) is a refusal too. */
export async function readAttachments(args: RouteArgs): Promise<Attachments> {
  let form: FormData
  try {
    form = await parseFormBody(args.request, { fields: [], attach: { to: 'markdown' } })
  } catch (error) {
    if (!(error instanceof BodyError)) throw error
    return { stored: [], refusal: fail(error.status, error.code, { params: { size: megabytes(attachMaxBytes()) } }) }
  }
  return attachUploads(args, form, 'markdown')
}

/** The refusal of a file attached to this form (too large, a type not allowed, over the quota…), to
 *  answer with `failureResponse` so the message sits next to the text and everything typed is kept. */
export function attachmentRefusal(form: FormData): Failure | null {
  return attachments.get(form)?.refusal ?? null
}

/** The files attached to this form and stored, in order. */
export function attachedUploads(form: FormData): StoredUpload[] {
  return attachments.get(form)?.stored ?? []
}

/** What a CSV import page sends: a file, or text pasted. */
const CSV_FIELDS = ['file', 'csv']

export type CsvUpload =
  /** `csv` is the file's text (decoded, BOM and Shift_JIS handled) or what was pasted; `pasted` is what
   *  the text box held, which the page shows again whatever happens. */
  | { ok: true; csv: string; pasted: string }
  | { ok: false; reason: 'too_large' | 'nothing'; status: 413 | 400; pasted: string }

/** The CSV of an import page (a file, else the pasted text), at most `maxBytes`: a body far over the
 *  limit is refused before it is read (the form's own overhead is small), a file or text over it
 *  before it is parsed. */
export async function readCsvUpload(args: RouteArgs, maxBytes: number): Promise<CsvUpload> {
  const tooLarge = (pasted: string) => ({
    ok: false as const,
    reason: 'too_large' as const,
    status: 413 as const,
    pasted,
  })
  if (Number(args.request.headers.get('content-length') ?? 0) > maxBytes * 2 + 64 * 1024) return tooLarge('')
  const formData = await readForm(args, { fields: CSV_FIELDS, upload: true })
  const file = formData.get('file')
  const text = formData.get('csv')
  const pasted = typeof text === 'string' ? text : ''
  let csv = pasted
  if (file instanceof File && file.size > 0) {
    if (file.size > maxBytes) return tooLarge(pasted)
    csv = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()))
  }
  if (csv.length > maxBytes) return tooLarge(pasted)
  if (!csv.trim()) return { ok: false, reason: 'nothing', status: 400, pasted }
  return { ok: true, csv, pasted }
}

/** A message of an import page (a catalogue code and its values), translated by the page. */
export type ImportMessage = { code: string; params?: Record<string, string | number> }

/** The action of a CSV import page: reads the upload (`readCsvUpload`), runs the import on it, and
 *  answers the page with the report or the error, and always the pasted text, so nothing typed is
 *  lost. `status` may answer a report with another status (a file whose bad rows imported nothing). */
export async function csvImportAction<R>(
  args: RouteArgs,
  options: {
    maxBytes: number
    tooLarge: ImportMessage
    nothing: ImportMessage
    run: (csv: string) => Promise<Outcome<R>>
    status?: (report: R) => number
  },
) {
  const answer = (error: ImportMessage | null, csv: string, report: R | null, status: number) =>
    data({ error, csv, report }, { status })
  const upload = await readCsvUpload(args, options.maxBytes)
  if (!upload.ok) {
    const error = upload.reason === 'too_large' ? options.tooLarge : options.nothing
    return answer(error, upload.pasted, null, upload.status)
  }
  const outcome = await options.run(upload.csv)
  if (!outcome.ok) return answer({ code: outcome.code, params: outcome.params }, upload.pasted, null, outcome.status)
  return answer(null, upload.pasted, outcome.value, options.status?.(outcome.value) ?? 200)
}

/* ------------------------------------------------------------------------------------------------ */
/* Field names from a zod schema                                                                     */

type Def = { type: string; [key: string]: unknown }

function defOf(schema: unknown): Def | null {
  const def = (schema as { _zod?: { def?: Def } } | null)?._zod?.def
  return def && typeof def.type === 'string' ? def : null
}

/** Zod types that only wrap another (`def.innerType`) and name no fields of their own. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional'])

/** The field names a form built on these schemas sends, in conform's naming: `a.b` for nested
 *  objects, `list[].b` for lists of objects, `list` and `list[]` for lists of values. Unions and
 *  intersections contribute every branch; a preprocessed or transformed field is named by where it
 *  sits, whatever its value. */
export function fieldsOf(...schemas: z.ZodType[]): string[] {
  const names = new Set<string>()
  const walk = (schema: unknown, name: string, depth: number) => {
    const def = defOf(schema)
    if (!def || depth > 12) {
      if (name) names.add(name)
      return
    }
    if (WRAPPERS.has(String(def.type))) return walk(def.innerType, name, depth + 1)
    switch (def.type) {
      case 'object': {
        const shape = def.shape as Record<string, unknown>
        for (const [key, child] of Object.entries(shape)) walk(child, name ? `${name}.${key}` : key, depth + 1)
        return
      }
      case 'array': {
        const element = defOf(def.element)
        if (element && isComposite(def.element)) walk(def.element, `${name}[]`, depth + 1)
        else {
          names.add(name)
          names.add(`${name}[]`)
        }
        return
      }
      case 'pipe': {
        // A preprocess is a pipe from a transform, whose input says nothing: the output does.
        const input = defOf(def.in)
        walk(input && input.type !== 'transform' ? def.in : def.out, name, depth + 1)
        return
      }
      case 'union':
        for (const option of def.options as unknown[]) walk(option, name, depth + 1)
        return
      case 'intersection':
        walk(def.left, name, depth + 1)
        walk(def.right, name, depth + 1)
        return
      case 'lazy':
        walk((def.getter as () => unknown)(), name, depth + 1)
        return
      default:
        if (name) {
          names.add(name)
          const max = (schema as { _zod?: { bag?: { maximum?: unknown } } })._zod?.bag?.maximum
          if (def.type === 'string' && typeof max === 'number') {
            schemaMaxChars.set(name, Math.max(schemaMaxChars.get(name) ?? 0, max))
          } else schemaMaxChars.set(name, MAX_VALUE_CHARS)
        }
    }
  }
  for (const schema of schemas) walk(schema, '', 0)
  return [...names]
}

/** Whether a schema holds named parts (an object somewhere inside its wrappers). */
function isComposite(schema: unknown, depth = 0): boolean {
  const def = defOf(schema)
  if (!def || depth > 12) return false
  if (WRAPPERS.has(String(def.type))) return isComposite(def.innerType, depth + 1)
  switch (def.type) {
    case 'object':
      return true
    case 'pipe':
      return isComposite(def.in, depth + 1) || isComposite(def.out, depth + 1)
    case 'union':
      return (def.options as unknown[]).some((option) => isComposite(option, depth + 1))
    default:
      return false
  }
}
