import { afterAll, beforeAll, expect, test } from 'vitest'
import { requestPasswordReset } from '#app/domain/identity/users.server.ts'
import { startJobs, stopJobs } from '#app/lib/jobs.server.ts'
import { insertUser } from '#app/server/seed/factories/index.ts'
import { database, db } from '#tests/db.ts'
import { decodedBody, startSmtpServer } from '#tests/smtp.ts'
import { mailJobs } from './mail.server.ts'

let smtp: Awaited<ReturnType<typeof startSmtpServer>>

beforeAll(async () => {
  smtp = await startSmtpServer()
  // Read by env() on first use, which is after this point in this file's module graph.
  process.env.SMTP_URL = smtp.url
  await startJobs(database, mailJobs)
})

afterAll(async () => {
  await stopJobs()
  await smtp.close()
})

test('a password reset email travels through the job queue to a real SMTP server', async () => {
  const user = await insertUser(db, { displayName: 'Mailed Person' })
  expect(await requestPasswordReset(db, { email: user.email, ip: '192.0.2.10' })).toMatchObject({ ok: true })
  const [message] = await smtp.waitFor(1)
  expect(message!.to).toEqual([user.email])
  expect(message!.raw).toMatch(/Subject: Reset your Community password/)
  const body = decodedBody(message!.raw)
  expect(body).toContain('Hello Mailed Person')
  expect(body).toMatch(/http:\/\/localhost:3000\/reset-password\/[a-z2-7]{40,}/)
})
