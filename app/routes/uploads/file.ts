import { findUpload, uploadBytes } from '#app/domain/uploads/read.server.ts'
import { translator } from '#app/lib/i18n.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import { maySeeUpload } from '#app/server/upload-access.server.ts'
import type { Route } from './+types/file'

/** A file nobody may read here answers exactly like one that does not exist. */
function notFound(context: Route.LoaderArgs['context']) {
  return new Response(translator(context.get(localeContext))('uploads.not_found'), {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}

/** `filename*` of a Content-Disposition header (RFC 6266), with an ASCII fallback. */
function disposition(type: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

/** GET /uploads/:uploadId/:fileName — an image or file from a post, to whoever may see a post that
 *  uses it (app/server/upload-access.server.ts). The web-sized copy unless `?size=full`. Headers: the
 *  stored type with `nosniff`; only images inline, every other file a download; a sandbox policy so
 *  nothing in the file can run even if opened directly; `private` long caching (an upload never
 *  changes, but a post can be hidden, and a shared cache must not keep serving it; decision 041). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const db = getDb(context)
  const upload = await findUpload(db, params.uploadId)
  if (!upload || !(await maySeeUpload(db, getOptionalUser(context), upload))) return notFound(context)

  const full = new URL(request.url).searchParams.get('size') === 'full'
  const variant = full || !upload.hasWeb ? 'full' : 'web'
  const etag = `"${upload.id}-${variant}"`
  const headers = new Headers({
    ETag: etag,
    'Cache-Control': 'private, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Disposition': disposition(upload.kind === 'image' ? 'inline' : 'attachment', upload.fileName),
    Vary: 'Cookie',
  })
  const ifNoneMatch = request.headers.get('if-none-match')
  if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return new Response(null, { status: 304, headers })
  }
  const served = await uploadBytes(db, upload, { full })
  if (!served) return notFound(context)
  headers.set('Content-Type', served.contentType)
  headers.set('Content-Length', String(served.bytes.byteLength))
  // The driver's buffer is backed by a plain ArrayBuffer; the cast only says so to the DOM types.
  return new Response(served.bytes as Uint8Array<ArrayBuffer>, { headers })
}
