import { randomUUID } from 'node:crypto'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import type { Db } from '#db/client.server.ts'
import { deflectionAttempts, type ShownSuggestion, tickets } from '#db/schema/support.ts'

type Owner = Pick<SessionUser, 'id' | 'accountId'> & { email?: string }

/** What the server showed in an attempt: these documents (`article:3`), ranked in this order. */
export function shownSuggestions(...docs: string[]): ShownSuggestion[] {
  return docs.map((doc, i) => ({ doc, rank: i + 1, title: doc, query: 'export', at: new Date().toISOString() }))
}

/** A contact-flow attempt written directly (pending unless told), owned by `user`. */
export async function insertAttempt(
  db: Db,
  user: Owner,
  overrides: Partial<Omit<typeof deflectionAttempts.$inferInsert, 'userId' | 'accountId'>> = {},
) {
  const [attempt] = await db
    .insert(deflectionAttempts)
    .values({
      key: randomUUID(),
      userId: user.id,
      accountId: user.accountId,
      query: 'How do I export data?',
      ...overrides,
    })
    .returning()
  return attempt!
}

/** A ticket written directly (open, from the contact flow unless told), filed by `user`. */
export async function insertTicket(db: Db, user: Owner | null, overrides: Partial<typeof tickets.$inferInsert> = {}) {
  const [ticket] = await db
    .insert(tickets)
    .values({
      userId: user?.id ?? null,
      accountId: user?.accountId ?? null,
      requesterEmail: user?.email ?? `someone-${randomUUID().slice(0, 8)}@example.com`,
      subject: 'The export button does nothing',
      body: 'I click Export on the usage report and nothing downloads.',
      ...overrides,
    })
    .returning()
  return ticket!
}
