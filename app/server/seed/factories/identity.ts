import { randomUUID } from 'node:crypto'
import { hashPassword } from '#app/domain/identity/passwords.server.ts'
import type { Role, SessionUser } from '#app/domain/identity/permissions.ts'
import { sessionUserColumns } from '#app/domain/identity/sessions.server.ts'
import type { Db } from '#db/client.server.ts'
import { accountDomains, accounts, users } from '#db/schema/identity.ts'

/** The password of every factory user unless one is given. Not on the common-password list. */
export const FACTORY_PASSWORD = 'quiet-harbor-lantern-42'

// argon2id is deliberately slow; one hash of the default password serves every factory user.
let defaultHash: Promise<string> | undefined
function passwordHashFor(password?: string): Promise<string> {
  if (password && password !== FACTORY_PASSWORD) return hashPassword(password)
  defaultHash ??= hashPassword(FACTORY_PASSWORD)
  return defaultHash
}

function unique(): string {
  return randomUUID().slice(0, 8)
}

export type AccountOverrides = Partial<typeof accounts.$inferInsert> & { domains?: string[] }

export async function insertAccount(db: Db, overrides: AccountOverrides = {}) {
  const { domains, ...values } = overrides
  const suffix = unique()
  const [account] = await db
    .insert(accounts)
    .values({
      name: `Account ${suffix}`,
      plan: 'standard',
      arrMinor: 2_400_000,
      arrCurrency: 'JPY',
      seats: 25,
      contractStart: '2026-01-01',
      renewalDate: '2027-01-01',
      ...values,
    })
    .returning()
  const accountDomainsList = domains ?? [`${suffix}.example`]
  if (accountDomainsList.length) {
    await db.insert(accountDomains).values(accountDomainsList.map((domain) => ({ domain, accountId: account!.id })))
  }
  return { ...account!, domains: accountDomainsList }
}

export type UserOverrides = Partial<Omit<typeof users.$inferInsert, 'passwordHash'>> & { password?: string }

export async function insertUser(db: Db, overrides: UserOverrides = {}): Promise<SessionUser & { password: string }> {
  const { password, ...values } = overrides
  const suffix = unique()
  const [user] = await db
    .insert(users)
    .values({
      email: `user-${suffix}@example.com`,
      displayName: `User ${suffix}`,
      role: 'member' as Role,
      passwordHash: await passwordHashFor(password),
      // Factory users have confirmed their address, as the demo users have; a test of the unconfirmed
      // state passes `emailVerifiedAt: null`.
      emailVerifiedAt: new Date(),
      ...values,
    })
    .returning(sessionUserColumns)
  return { ...user!, password: password ?? FACTORY_PASSWORD }
}

export function insertStaff(db: Db, overrides: UserOverrides = {}) {
  return insertUser(db, { role: 'staff', ...overrides })
}

export function insertAdmin(db: Db, overrides: UserOverrides = {}) {
  return insertUser(db, { role: 'admin', ...overrides })
}
