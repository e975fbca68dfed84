import { sql } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { isDatabaseUnavailable } from '#db/availability.ts'
import { openDatabase } from '#db/client.server.ts'
import { freePort } from '#tests/free-port.ts'

test('connection failures count as the database being away, wrapped or not; a wrong query does not', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
  expect(isDatabaseUnavailable(refused)).toBe(true)
  // drizzle wraps the driver's error in `cause`.
  expect(isDatabaseUnavailable(new Error('Failed query: select 1', { cause: { code: '57P01' } }))).toBe(true)
  expect(isDatabaseUnavailable({ code: 'CONNECTION_CLOSED' })).toBe(true)
  expect(isDatabaseUnavailable({ code: '53300' })).toBe(true)
  // Every address of a host refused: Node reports an AggregateError.
  expect(isDatabaseUnavailable(new AggregateError([refused, refused]))).toBe(true)

  expect(isDatabaseUnavailable(new Error('Failed query', { cause: { code: '23505' } }))).toBe(false)
  expect(isDatabaseUnavailable({ code: '42P01' })).toBe(false)
  expect(isDatabaseUnavailable(new Error('boom'))).toBe(false)
  expect(isDatabaseUnavailable(null)).toBe(false)
})

test('what postgres.js throws when nothing listens is recognised', async () => {
  // A port that was free a moment ago: the connection is refused.
  const port = await freePort()
  const gone = await openDatabase({ driver: 'postgres', url: `postgres://postgres@127.0.0.1:${port}/gone`, max: 1 })
  try {
    const error = await gone.db.execute(sql`select 1`).then(
      () => null,
      (e: unknown) => e,
    )
    expect(isDatabaseUnavailable(error)).toBe(true)
  } finally {
    await gone.close()
  }
})
