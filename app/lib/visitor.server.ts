import { createHash, randomBytes } from 'node:crypto'
import { readCookie } from './cookies.ts'
import { secureCookies } from './security.server.ts'

export const VISITOR_COOKIE = 'ct_vid'
const YEAR_SECONDS = 365 * 24 * 60 * 60
// Mixed into visitor ids made from an address, so an id cannot be traced back to the address.
const salt = randomBytes(16).toString('hex')

export type Reader = {
  /** `u:<user id>` for members, `v:<visitor id>` for visitors. */
  key: string
  userId: number | null
  /** A Set-Cookie value when the visitor id is new and must be given to the browser. */
  setCookie: string | null
  /** A crawler or preview bot, by its user agent: its reads are not counted. */
  crawler: boolean
}

/** Crawlers, link previews and headless browsers announce themselves in the user agent. */
export function isCrawler(userAgent: string): boolean {
  return /bot|crawl|spider|slurp|preview|headless/i.test(userAgent)
}

/** Who is reading, for "once per reader" counts and feedback: the signed-in user, or a visitor id kept
 *  in a first-party cookie. A visitor without the cookie gets an id derived from the day, their address
 *  and browser (salted, so it reveals neither), and that id becomes their cookie: a client that never
 *  keeps cookies still counts once a day, not once per request. The id identifies a browser, not a
 *  person. */
export function readerOf(request: Request, user: { id: number } | null, ip = ''): Reader {
  const userAgent = request.headers.get('user-agent') ?? ''
  if (user) return { key: `u:${user.id}`, userId: user.id, setCookie: null, crawler: false }
  const existing = readCookie(request.headers.get('cookie'), VISITOR_COOKIE)
  const crawler = isCrawler(userAgent)
  if (existing && /^[A-Za-z0-9_-]{16,64}$/.test(existing))
    return { key: `v:${existing}`, userId: null, setCookie: null, crawler }
  const day = new Date().toISOString().slice(0, 10)
  const id = createHash('sha256').update(`${salt}|${day}|${ip}|${userAgent}`).digest('base64url').slice(0, 22)
  const secure = secureCookies() ? '; Secure' : ''
  return {
    key: `v:${id}`,
    userId: null,
    setCookie: `${VISITOR_COOKIE}=${id}; Path=/; Max-Age=${YEAR_SECONDS}; HttpOnly; SameSite=Lax${secure}`,
    crawler,
  }
}
