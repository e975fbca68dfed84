// Whether an error means the database is out of reach (restarting, failing over, out of connections),
// as opposed to a query that is wrong. The request path answers 503 (app/server/unavailable.server.ts);
// jobs log one line and retry (app/lib/jobs.server.ts).

/** Socket errors: nothing listens, or the connection was cut. */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])
/** postgres.js's own codes for a connection that closed, ended or never opened in time. */
const driverCodes = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT'])
/** SQLSTATEs of a server going away or not taking connections: class 08 (connection exception),
 *  57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections. */
const sqlStates = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300'])

/** True when the error (or one it wraps: drizzle puts the driver's error in `cause`; a failed
 *  connection to several addresses is an AggregateError) says the database is out of reach, as
 *  opposed to a query that is wrong. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown }
  if (typeof code === 'string' && (socketCodes.has(code) || driverCodes.has(code) || sqlStates.has(code))) return true
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true
  return isDatabaseUnavailable(cause, depth + 1)
}
