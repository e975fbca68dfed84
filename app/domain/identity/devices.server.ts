import { createHash } from 'node:crypto'
import { randomId, signValue, verifySigned } from '#app/lib/signing.server.ts'
import type { Db } from '#db/client.server.ts'

// Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that signed
// in to an account gets a signed cookie naming that account. Its later attempts are limited on their
// own, so a stranger guessing the account's password from elsewhere locks out only strangers.

export const DEVICE_COOKIE = 'ct_device'
const PURPOSE = 'device'
const YEAR_SECONDS = 365 * 24 * 60 * 60

function emailTag(email: string): string {
  return createHash('sha256').update(email.toLowerCase()).digest('base64url').slice(0, 16)
}

/** A new device token for a browser that just signed in as `email`. */
export function issueDeviceToken(db: Db, email: string): Promise<string> {
  return signValue(db, PURPOSE, `${randomId()}~${emailTag(email)}`)
}

/** The device's id when the token is one this server signed for `email`; null otherwise. */
export async function deviceIdFor(db: Db, token: string | null | undefined, email: string): Promise<string | null> {
  const value = await verifySigned(db, PURPOSE, token)
  if (!value) return null
  const [id, tag] = value.split('~')
  return id && tag === emailTag(email) ? id : null
}

/** The Set-Cookie value of a device token: a year, this site only, never readable by scripts. */
export function deviceCookie(token: string, secure: boolean): string {
  return `${DEVICE_COOKIE}=${token}; Path=/login; Max-Age=${YEAR_SECONDS}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}
