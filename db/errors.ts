type PgErrorLike = { code?: string; constraint?: string; constraint_name?: string; cause?: unknown }

/** The Postgres error behind a drizzle error, from either driver (drizzle wraps it in `cause`). */
function pgError(error: unknown): PgErrorLike | null {
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as PgErrorLike
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate
    current = candidate.cause
  }
  return null
}

/** True for a unique-constraint violation, optionally of the named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = pgError(error)
  if (pg?.code !== '23505') return false
  if (!constraint) return true
  return (pg.constraint ?? pg.constraint_name) === constraint
}
