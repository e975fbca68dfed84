import { RouterContextProvider } from 'react-router'
import { expect, test } from 'vitest'
import { calendarFeedToken } from '#app/domain/events/calendar.server.ts'
import { databaseContext } from '#app/server/context.ts'
import { insertEvent, insertRegistration, insertUser } from '#app/server/seed/factories/index.ts'
import { database, db } from '#tests/db.ts'
import { loader } from './calendar-feed.ts'

function feed(token: string) {
  const context = new RouterContextProvider()
  context.set(databaseContext, database)
  return loader({ params: { token }, context } as never)
}

test('/calendar/<token>.ics answers the member’s calendar, privately cacheable for five minutes', async () => {
  const member = await insertUser(db)
  const event = await insertEvent(db, { title: 'Admin training' })
  await insertRegistration(db, event, member)
  const token = await calendarFeedToken(db, member.id)

  const response = await feed(`${token}.ics`)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8')
  expect(response.headers.get('content-disposition')).toBe('inline; filename="events.ics"')
  expect(response.headers.get('cache-control')).toBe('private, max-age=300')
  const body = await response.text()
  expect(body).toMatch(/^BEGIN:VCALENDAR\r\n/)
  expect(body).toContain('SUMMARY:Admin training')
})

test('an unknown token is a 404', async () => {
  const response = await feed(`${'x'.repeat(43)}.ics`)
  expect(response.status).toBe(404)
  expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
})
