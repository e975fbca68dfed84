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
