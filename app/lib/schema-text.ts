import { z } from 'zod'

/** PostgreSQL text cannot hold NUL characters, and they carry no meaning in anything a person types:
 *  they are dropped from text before it is validated or stored. */
export function withoutNul(value: string): string {
  return value.replaceAll('\u0000', '')
}

/** A schema for text, with NUL characters dropped first (see `withoutNul`). */
export function nulFree<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' ? withoutNul(value) : value), schema)
}

/** A validation message that carries the values its text needs, as `key?min=0&max=10`: schemas hold
 *  only strings, and the bounds a person must keep to belong in the message ("Enter a number from 0
 *  to 10."). Numbers are written with grouping (1,000,000), the same in both languages. */
export function messageWith(key: string, params: Record<string, string | number>): string {
  const values = Object.entries(params).map(([name, value]): [string, string] => [
    name,
    typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 6 }) : value,
  ])
  return `${key}?${new URLSearchParams(values)}`
}

/** The key and values of a message made by `messageWith` (a plain key has no values). */
export function messageParts(message: string): { key: string; params: Record<string, string> } {
  const at = message.indexOf('?')
  if (at === -1) return { key: message, params: {} }
  return { key: message.slice(0, at), params: Object.fromEntries(new URLSearchParams(message.slice(at + 1))) }
}
