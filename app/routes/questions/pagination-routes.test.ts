import { expect, test } from 'vitest'
import {
  insertAdmin,
  insertEvent,
  insertQuestion,
  insertStaff,
  insertTicket,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { db } from '#tests/db.ts'
import { routeContext, settle } from '#tests/route-harness.ts'
import { loader as usersLoader } from '../admin/users.tsx'
import { loader as eventsLoader } from '../events/index.tsx'
import { loader as notificationsLoader } from '../notifications/index.tsx'
import { loader as ticketsLoader } from '../support/tickets.tsx'
import { loader as questionsLoader } from './index.tsx'

// A page past the last one (a stale link, a list that shrank) goes to the last page instead of an
// empty "Page 2 of 1" that says there is nothing; a page that is not a number is page 1, never a 500.

function get(path: string) {
  return { request: new Request(`http://localhost${path}`), params: {}, unstable_pattern: '' }
}

test('/questions?page=2 with one page of questions redirects to the first page, keeping the tab', async () => {
  await insertQuestion(db, { title: 'How do I rotate an API key safely?' })
  const context = routeContext(null)

  const past = await settle(() => questionsLoader({ ...get('/questions?tab=unanswered&page=2'), context } as never))
  expect(past).toMatchObject({ status: 302, location: '/questions?tab=unanswered' })

  for (const odd of ['0', '-1', 'abc', '1.5', '99999999999']) {
    const loaded = await settle(() => questionsLoader({ ...get(`/questions?page=${odd}`), context } as never))
    expect(loaded.status, `page=${odd}`).toBe(200)
    expect(loaded.body).toMatchObject({ page: 1 })
    expect((loaded.body as { questions: unknown[] }).questions.length).toBeGreaterThan(0)
  }
})

test('an empty list stays on page 1 and a page past its end redirects there', async () => {
  const member = await insertUser(db)
  const context = routeContext(member)
  const tickets = await settle(() => ticketsLoader({ ...get('/support/tickets?page=3'), context } as never))
  expect(tickets).toMatchObject({ status: 302, location: '/support/tickets' })
  const notifications = await settle(() => notificationsLoader({ ...get('/notifications?page=2'), context } as never))
  expect(notifications).toMatchObject({ status: 302, location: '/notifications' })

  await insertTicket(db, member)
  const first = await settle(() => ticketsLoader({ ...get('/support/tickets'), context } as never))
  expect(first).toMatchObject({ status: 200, body: { page: 1, total: 1 } })
})

test('events and admin lists redirect past-the-end pages to their last page with their filters', async () => {
  await insertEvent(db)
  const events = await settle(() =>
    eventsLoader({ ...get('/events?kind=webinar&page=5'), context: routeContext(null) } as never),
  )
  expect(events).toMatchObject({ status: 302, location: '/events?kind=webinar' })

  const admin = await insertAdmin(db)
  for (let i = 0; i < 26; i++) await insertStaff(db)
  const users = await settle(() =>
    usersLoader({ ...get('/admin/users?page=9'), context: routeContext(admin) } as never),
  )
  expect(users.status).toBe(302)
  const last = new URL(users.location ?? '', 'http://localhost').searchParams.get('page')
  expect(Number(last)).toBeGreaterThanOrEqual(2)
  const shown = await settle(() =>
    usersLoader({ ...get(`/admin/users?page=${last}`), context: routeContext(admin) } as never),
  )
  expect(shown.status).toBe(200)
  expect((shown.body as { users: unknown[] }).users.length).toBeGreaterThan(0)
})
