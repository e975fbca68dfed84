import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { env } from './env.server.ts'

// Values the server hands to a browser and must recognise later as its own (an anonymous visitor's
// id, a device that signed in before, a contact-form attempt): HMAC-SHA256 with the app's secret,
// per purpose, so a value signed for one use is worthless for another. The secret is APP_SECRET when
// set (every process of an installation must share it); otherwise one is made on first start and kept
// in the database, so `npm start` needs no configuration and several processes on one database agree.

const SETTING_KEY = 'app.signing_secret'
let cached: Buffer | undefined

/** The signing secret, loaded once per process. */
export async function signingSecret(db: Db): Promise<Buffer> {
  if (cached) return cached
  const configured = env().APP_SECRET
  if (configured) {
    cached = Buffer.from(configured, 'utf8')
    return cached
  }
  const fresh = randomBytes(32).toString('base64url')
  await db.execute(sql`
    insert into app_settings (key, value) values (${SETTING_KEY}, ${JSON.stringify(fresh)}::jsonb)
    on conflict (key) do nothing`)
  const [row] = rowsOf<{ value: unknown }>(
    await db.execute(sql`select value from app_settings where key = ${SETTING_KEY}`),
  )
  if (typeof row?.value !== 'string') throw new Error('the signing secret could not be stored')
  cached = Buffer.from(row.value, 'utf8')
  return cached
}

function mac(secret: Buffer, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}\n${value}`).digest('base64url').slice(0, 32)
}

/** `value.signature`, for `purpose`. The value must not contain a dot. */
export async function signValue(db: Db, purpose: string, value: string): Promise<string> {
  return `${value}.${mac(await signingSecret(db), purpose, value)}`
}

/** The value of a string made by `signValue` for `purpose`, or null when it is anything else. */
export async function verifySigned(db: Db, purpose: string, signed: string | null | undefined): Promise<string | null> {
  if (!signed || signed.length > 512) return null
  const dot = signed.lastIndexOf('.')
  if (dot <= 0) return null
  const value = signed.slice(0, dot)
  const given = Buffer.from(signed.slice(dot + 1))
  const expected = Buffer.from(mac(await signingSecret(db), purpose, value))
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null
}

/** A keyed hash of `value` for `purpose`: stable, and says nothing of the value to whoever lacks the
 *  secret (an address made into an id). */
export async function keyedHash(db: Db, purpose: string, value: string): Promise<string> {
  return mac(await signingSecret(db), purpose, value).slice(0, 22)
}

/** A random id for a signed value: 128 bits, URL-safe. */
export function randomId(): string {
  return randomBytes(16).toString('base64url')
}
