import type { Db } from '#db/client.server.ts'
import { readCookie } from './cookies.ts'
import { hitRateLimit, type RateRule } from './rate-limit.server.ts'
import { secureCookies } from './security.server.ts'
import { keyedHash, randomId, signValue, verifySigned } from './signing.server.ts'

export const VISITOR_COOKIE = 'ct_vid'
const PURPOSE = 'visitor'
const YEAR_SECONDS = 365 * 24 * 60 * 60

/** New visitor ids one address is given a day. Past it, a client that drops its cookie each time is
 *  counted as the address, once: rotating cookies does not buy views or "Was this helpful?" answers. */
export const newVisitorsPerAddress: RateRule = { limit: 20, windowSeconds: 24 * 60 * 60 }

export type Reader = {
  /** `u:<user id>` for members, `v:<visitor id>` for visitors, `a:<address hash>` for an address that
   *  has used up its new visitor ids. */
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

/** Who is reading, for "once per reader" counts and feedback: a confirmed member by their user id,
 *  anyone else by a visitor id the server issued and signed (kept in a first-party cookie; the id
 *  identifies a browser, not a person). An unsigned, foreign or tampered cookie is no id: the reader
 *  gets a new one, and an address gets only so many new ones a day before its readers count as the
 *  address itself. A member whose address is unconfirmed reads as a visitor. */
export async function readerOf(
  db: Db,
  request: Request,
  user: { id: number; emailVerified: boolean } | null,
  ip = '',
): Promise<Reader> {
  if (user?.emailVerified) return { key: `u:${user.id}`, userId: user.id, setCookie: null, crawler: false }
  const crawler = isCrawler(request.headers.get('user-agent') ?? '')
  const id = await verifySigned(db, PURPOSE, readCookie(request.headers.get('cookie'), VISITOR_COOKIE))
  if (id) return { key: `v:${id}`, userId: null, setCookie: null, crawler }
  const day = new Date().toISOString().slice(0, 10)
  const addressKey = `a:${await keyedHash(db, 'visitor-address', `${day}|${ip}`)}`
  if (crawler) return { key: addressKey, userId: null, setCookie: null, crawler }
  const allowance = await hitRateLimit(db, `visitor:new:${ip}`, newVisitorsPerAddress)
  if (!allowance.allowed) return { key: addressKey, userId: null, setCookie: null, crawler }
  const fresh = randomId()
  const secure = secureCookies() ? '; Secure' : ''
  return {
    key: `v:${fresh}`,
    userId: null,
    setCookie: `${VISITOR_COOKIE}=${await signValue(db, PURPOSE, fresh)}; Path=/; Max-Age=${YEAR_SECONDS}; HttpOnly; SameSite=Lax${secure}`,
    crawler,
  }
}
