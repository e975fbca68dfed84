import { RouterContextProvider } from 'react-router'
import { expect, test } from 'vitest'
import { databaseContext } from '#app/lib/context.ts'
import { database } from '#tests/db.ts'
import { loader } from './healthz.ts'

test('/healthz answers ok with the driver in use and the version, after a real query', async () => {
  const context = new RouterContextProvider()
  context.set(databaseContext, database)
  const response = await loader({ context } as never)
  expect(response.status).toBe(200)
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(await response.json()).toEqual({
    status: 'ok',
    db: process.env.TEST_DRIVER === 'postgres' ? 'postgres' : 'pglite',
    version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
  })
})
