import { z } from 'zod'

/** A non-negative whole number, where 0 or `off` turns the feature off. */
function countOrOff(fallback: number) {
  return z.union([z.literal('off').transform(() => 0), z.coerce.number().int().nonnegative()]).default(fallback)
}

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().positive().default(3000),
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().default('data/pglite'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Community <community@localhost>'),
  /** The public address used in links inside emails; defaults to http://localhost:PORT. */
  APP_URL: z.string().url().optional(),
  MEILI_URL: z.string().url().optional(),
  MEILI_KEY: z.string().optional(),
  /** Set when a reverse proxy sits in front: the client IP is then read from X-Forwarded-For. */
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Turn rate limits off only for load tests; they are on everywhere else. */
  RATE_LIMITS: z
    .enum(['on', 'off'])
    .default('on')
    .transform((v) => v === 'on'),
  /** The pause a member waits between two questions or answers (comments: half of it), in seconds;
   *  `off` or 0 for none. Staff are never paced. The end-to-end suite turns it off: its demo members
   *  post in quick turns, and the pace has its own tests (docs/decisions/030-posting-pace-setting.md). */
  POSTING_INTERVAL_SECONDS: countOrOff(10),
  /** Load shedding (docs/decisions/018-overload-shedding.md): new requests get 503 + Retry-After while
   *  the event loop runs more than this many milliseconds late (p99 over the last ~500 ms), and past a
   *  cap on requests in flight that adapts to the load. `off` leaves only the fixed MAX_IN_FLIGHT. */
  OVERLOAD_DELAY_MS: countOrOff(200),
  /** The most requests in flight at once, whatever the load; `off` for no ceiling. */
  MAX_IN_FLIGHT: countOrOff(256),
  /** The largest request body of any route, counted as it streams in (forms, the API). */
  FORM_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(1024 * 1024),
  /** The largest body of a route that takes a CSV upload (account and ticket imports, attendance). */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(10 * 1024 * 1024),
  /** The hard cap on one file attached to a post (docs/decisions/041-uploads.md): admins set the
   *  largest file at /admin/uploads up to this; the forms that take a file accept a body this much
   *  larger than FORM_MAX_BYTES. */
  UPLOAD_FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(10 * 1024 * 1024),
  /** Lets webhooks reach loopback, private (RFC 1918), unique-local and shared addresses: for
   *  receivers on the same network as an on-premises install, and the tests' receivers on 127.0.0.1.
   *  Off, only public addresses are allowed (docs/decisions/020-outbound-requests.md). */
  WEBHOOKS_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** The key that signs what the server hands to browsers (visitor ids, device cookies, contact-form
   *  attempts). Unset, one is made on first start and kept in the database (app/lib/signing.server.ts). */
  APP_SECRET: z.string().min(32, 'APP_SECRET must be at least 32 characters').optional(),
  /** Seed demo data into an empty database on start (npm start turns it on): `true` the whole demo,
   *  `core` without the portfolio's year of history (the demo people and their five accounts only,
   *  seeded in a few seconds, for test servers). */
  DEMO_SEED: z
    .enum(['true', 'false', '1', '0', 'core'])
    .default('false')
    .transform((v) => (v === 'core' ? ('core' as const) : v === 'true' || v === '1' ? ('full' as const) : false)),
})

export type Env = Omit<z.infer<typeof EnvSchema>, 'APP_URL'> & { APP_URL: string }

let cached: Env | undefined

/** The process environment, checked once. A bad value stops the process with a readable message. */
export function env(): Env {
  if (cached) return cached
  const parsed = EnvSchema.safeParse(process.env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')
    throw new Error(`Invalid environment:\n${problems}`)
  }
  cached = { ...parsed.data, APP_URL: parsed.data.APP_URL ?? `http://localhost:${parsed.data.PORT}` }
  return cached
}
