/** Why a webhook try failed, as stored on the delivery and its attempt (`last_error`, `error`) and shown
 *  to staff in their language. Only these words are stored: never a receiver's body, a socket message
 *  (which can name internal addresses) or a URL (which can carry credentials). An HTTP answer's status
 *  is in the status-code column beside it. */
export const deliveryErrorKinds = [
  'http_status',
  'redirect',
  'timeout',
  'connection_refused',
  'refused_address',
  'invalid_url',
  'dns',
  'tls',
  'reset',
  'no_secret',
  'other',
] as const
export type DeliveryErrorKind = (typeof deliveryErrorKinds)[number]

function isKind(value: string): value is DeliveryErrorKind {
  return (deliveryErrorKinds as readonly string[]).includes(value)
}

/** Rows written before the kinds held free text: the receiver's first 300 characters after
 *  "HTTP <status>:", or fetch's socket message. Each is read back as a kind by the way it begins, and
 *  never shown as written. */
const legacyPatterns: [RegExp, DeliveryErrorKind][] = [
  [/^No answer within/, 'timeout'],
  [/^No signing secret/, 'no_secret'],
  [/ECONNREFUSED/, 'connection_refused'],
  [/ENOTFOUND|EAI_AGAIN/, 'dns'],
  [/ECONNRESET|EPIPE|socket hang up|other side closed/i, 'reset'],
  [/certificate|CERT_|UNABLE_TO_VERIFY|\bTLS\b|\bSSL\b/i, 'tls'],
]

/** The kind of a stored error (null when there is none) and the status that goes with it. */
export function deliveryErrorKind(
  stored: string | null | undefined,
  statusCode: number | null | undefined = null,
): DeliveryErrorKind | null {
  if (!stored) return null
  if (isKind(stored)) return stored
  const http = /^HTTP (\d{3})\b/.exec(stored)
  const status = statusCode ?? (http ? Number(http[1]) : null)
  if (http || status !== null) return status !== null && status >= 300 && status < 400 ? 'redirect' : 'http_status'
  return legacyPatterns.find(([pattern]) => pattern.test(stored))?.[1] ?? 'other'
}

/** The catalogue key and parameters of a stored error, for `t(key, params)`; null when there is none. */
export function deliveryErrorMessage(
  stored: string | null | undefined,
  statusCode: number | null | undefined,
): { key: string; params: { status: string } } | null {
  const kind = deliveryErrorKind(stored, statusCode)
  if (!kind) return null
  const status = statusCode ?? Number(/^HTTP (\d{3})\b/.exec(stored ?? '')?.[1] ?? Number.NaN)
  return {
    key: `support_helpdesk.deliveries.errors.${kind}`,
    params: { status: Number.isFinite(status) ? String(status) : '' },
  }
}
