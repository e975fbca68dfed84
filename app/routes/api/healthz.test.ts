import { RouterContextProvider } from 'react-router'
import { expect, test } from 'vitest'
import { databaseContext } from '#app/server/context.ts'
import { type Database, openDatabase } from '#db/client.server.ts'
import { database } from '#tests/db.ts'
import { freePort } from '#tests/free-port.ts'
import { loader, PING_TIMEOUT_MS } from './healthz.ts'

function healthz(db: Database) {
  const context = new RouterContextProvider()
  context.set(databaseContext, db)
  return loader({ context } as never)
}

test('/healthz answers ok with the driver in use and the version, after a real query', async () => {
  const response = await healthz(database)
  expect(response.status).toBe(200)
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(await response.json()).toEqual({
    status: 'ok',
    db: process.env.TEST_DRIVER === 'postgres' ? 'postgres' : 'pglite',
    version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
  })
})

test('/healthz answers 503 at once when nothing listens where the database should be', async () => {
  // A port that was free a moment ago: the connection is refused.
  const port = await freePort()
  const gone = await openDatabase({ driver: 'postgres', url: `postgres://postgres@127.0.0.1:${port}/gone`, max: 1 })
  try {
    const started = performance.now()
    const response = await healthz(gone)
    expect(performance.now() - started).toBeLessThan(PING_TIMEOUT_MS)
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(await response.json()).toMatchObject({ status: 'unavailable', db: 'postgres', database: 'down' })
  } finally {
    await gone.close()
  }
})

test('/healthz gives up on a database that does not answer, instead of hanging', async () => {
  const silent = { ...database, db: { execute: () => new Promise(() => {}) } } as unknown as Database
  const started = performance.now()
  const response = await healthz(silent)
  expect(performance.now() - started).toBeLessThan(PING_TIMEOUT_MS + 1_000)
  expect(response.status).toBe(503)
})
