import { randomBytes } from 'node:crypto'
import { readCookie } from './cookies.ts'
import { secureCookies } from './security.server.ts'

export const VISITOR_COOKIE = 'ct_vid'
const YEAR_SECONDS = 365 * 24 * 60 * 60

export type Reader = {
  /** `u:<user id>` for members, `v:<visitor id>` for visitors. */
  key: string
  userId: number | null
  /** A Set-Cookie value when the visitor id is new and must be given to the browser. */
  setCookie: string | null
}

/** Who is reading, for "once per reader" counts and feedback: the signed-in user, or a random visitor
 *  id kept in a first-party cookie (created on first need). The id identifies a browser, not a person. */
export function readerOf(request: Request, user: { id: number } | null): Reader {
  if (user) return { key: `u:${user.id}`, userId: user.id, setCookie: null }
  const existing = readCookie(request.headers.get('cookie'), VISITOR_COOKIE)
  if (existing && /^[A-Za-z0-9_-]{16,64}$/.test(existing))
    return { key: `v:${existing}`, userId: null, setCookie: null }
  const id = randomBytes(16).toString('base64url')
  const secure = secureCookies() ? '; Secure' : ''
  return {
    key: `v:${id}`,
    userId: null,
    setCookie: `${VISITOR_COOKIE}=${id}; Path=/; Max-Age=${YEAR_SECONDS}; HttpOnly; SameSite=Lax${secure}`,
  }
}
