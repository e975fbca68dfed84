import { count } from 'drizzle-orm'
import { insertAccount, insertUser } from '#app/server/seed/factories/index.ts'
import type { Db } from '#db/client.server.ts'
import { users } from '#db/schema/identity.ts'
import { seedDemoActivity } from './demo-activity.server.ts'
import { seedDemoEvents } from './demo-events.server.ts'
import { seedDemoHelp } from './demo-help.server.ts'
import { seedDemoQa } from './demo-qa.server.ts'
import { seedDemoSupport } from './demo-support.server.ts'

/** Every demo sign-in uses this password (also listed in the README). */
export const DEMO_PASSWORD = 'community-demo-2026'

export type DemoLogin = { email: string; role: string; account: string | null }

/** Accounts across the three touch tiers, their members, and one staff, manager and admin user. */
export async function seedDemo(db: Db): Promise<DemoLogin[]> {
  const password = DEMO_PASSWORD
  // Demo people joined months ago: they are past the new-member posting limits.
  const createdAt = new Date(Date.now() - 200 * 86_400_000)
  const staff = await insertUser(db, {
    createdAt,
    email: 'staff@community.example',
    displayName: 'Sato Haruka (CS)',
    role: 'staff',
    locale: 'ja',
    timeZone: 'Asia/Tokyo',
    password,
  })
  await insertUser(db, {
    createdAt,
    email: 'manager@community.example',
    displayName: 'Morgan Lee (CS Manager)',
    role: 'manager',
    timeZone: 'Asia/Tokyo',
    password,
  })
  await insertUser(db, {
    createdAt,
    email: 'admin@community.example',
    displayName: 'Admin',
    role: 'admin',
    timeZone: 'UTC',
    password,
  })

  const tiers = [
    { name: 'Acme Holdings', domains: ['acme.example'], plan: 'enterprise', arrMinor: 12_000_000, seats: 40 },
    {
      name: '株式会社さくらテック',
      domains: ['sakura-tech.example'],
      plan: 'enterprise',
      arrMinor: 6_500_000,
      seats: 30,
    },
    { name: 'Bluebird Studio', domains: ['bluebird.example'], plan: 'business', arrMinor: 2_400_000, seats: 12 },
    {
      name: 'Northwind Inc.',
      domains: ['northwind.example'],
      plan: 'business',
      arrMinor: 18_000_000,
      arrCurrency: 'USD',
      seats: 16,
    },
    { name: 'Cobalt Labs', domains: ['cobalt.example'], plan: 'starter', arrMinor: 360_000, seats: 6 },
  ]
  const members = [
    ['alice@acme.example', 'Alice Tanaka', 'en'],
    ['ken@acme.example', '山田 健', 'ja'],
    ['mei@acme.example', '鈴木 芽衣', 'ja'],
    ['yui@sakura-tech.example', '佐藤 結衣', 'ja'],
    ['bob@bluebird.example', 'Bob Rivera', 'en'],
    ['nina@northwind.example', 'Nina Park', 'en'],
    ['chris@cobalt.example', 'Chris Ito', 'en'],
  ] as const
  type MemberKey = 'alice' | 'ken' | 'mei' | 'yui' | 'bob' | 'nina' | 'chris'
  const people: Partial<Record<MemberKey, { id: number; accountId: number | null }>> = {}
  const demoAccounts: { id: number; domain: string }[] = []
  for (const tier of tiers) {
    const account = await insertAccount(db, {
      ...tier,
      createdAt,
      csmUserId: staff.id,
      contractStart: '2025-04-01',
      renewalDate: '2027-03-31',
    })
    demoAccounts.push({ id: account.id, domain: tier.domains[0]! })
    for (const [email, displayName, locale] of members) {
      if (!tier.domains.some((d) => email.endsWith(`@${d}`))) continue
      const member = await insertUser(db, {
        createdAt,
        email,
        displayName,
        locale,
        timeZone: locale === 'ja' ? 'Asia/Tokyo' : 'America/Los_Angeles',
        accountId: account.id,
        password,
      })
      people[email.split('@')[0] as MemberKey] = member
    }
  }
  await seedDemoQa(db, { staff, ...people } as Parameters<typeof seedDemoQa>[1])
  await seedDemoHelp(db, { staffId: staff.id })
  // Mei joined Acme recently: she has no event history (and no posts), only what she does in the demo.
  const { mei: _newcomer, ...veterans } = people
  await seedDemoEvents(db, { staff, members: Object.values(veterans) as { id: number; accountId: number | null }[] })
  await seedDemoSupport(db, people as Parameters<typeof seedDemoSupport>[1])
  // Last: the snapshots it computes read everything the other modules recorded.
  await seedDemoActivity(db, { accounts: demoAccounts, password })
  return [
    { email: 'admin@community.example', role: 'admin', account: null },
    { email: 'manager@community.example', role: 'manager', account: null },
    { email: 'staff@community.example', role: 'staff', account: null },
    ...members.map(([email]) => ({
      email,
      role: 'member',
      account: tiers.find((t) => t.domains.some((d) => email.endsWith(`@${d}`)))?.name ?? null,
    })),
  ]
}

/** Seeds only an empty database, so restarting the demo keeps what people did in it. */
export async function seedDemoIfEmpty(db: Db): Promise<DemoLogin[] | null> {
  const [row] = await db.select({ n: count() }).from(users)
  if ((row?.n ?? 0) > 0) return null
  const logins = await seedDemo(db)
  printDemoLogins(logins)
  return logins
}

export function printDemoLogins(logins: DemoLogin[]): void {
  console.info(`\nDemo sign-ins (password for all: ${DEMO_PASSWORD})`)
  for (const login of logins) {
    console.info(`  ${login.role.padEnd(8)} ${login.email}${login.account ? `  (${login.account})` : ''}`)
  }
  console.info('')
}
