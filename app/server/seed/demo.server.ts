import { and, count, isNull, ne, sql } from 'drizzle-orm'
import { defaultOnboardingSettings, ONBOARDING_SETTING_KEY } from '#app/domain/identity/onboarding.ts'
import { recomputeScores } from '#app/domain/scoring/snapshots.server.ts'
import { addDays, utcDay } from '#app/lib/days.ts'
import { writeSetting } from '#app/lib/settings.server.ts'
import { insertAccount, insertUser } from '#app/server/seed/factories/index.ts'
import type { Db } from '#db/client.server.ts'
import { accountOutcomes, users } from '#db/schema/identity.ts'
import { DEMO_SNAPSHOT_DAYS, seedDemoActivity } from './demo-activity.server.ts'
import { seedDemoEvents } from './demo-events.server.ts'
import { seedDemoHelp } from './demo-help.server.ts'
import { demoSnapshotDays, seedDemoPortfolio } from './demo-portfolio.server.ts'
import { seedDemoQa } from './demo-qa.server.ts'
import { seedDemoSynonyms } from './demo-search.server.ts'
import { seedDemoSupport } from './demo-support.server.ts'

/** Every demo sign-in uses this password (also listed in the README). */
export const DEMO_PASSWORD = 'community-demo-2026'

export type DemoLogin = { email: string; role: string; account: string | null }

/** Accounts across the three touch tiers, their members, and one staff, manager and admin user. */
export async function seedDemo(db: Db, { portfolio = true }: { portfolio?: boolean } = {}): Promise<DemoLogin[]> {
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

  const today = utcDay(new Date())
  // Each account's contract so far (decision 036): its first ARR, then what changed. Acme grew at its
  // renewal, Northwind added seats mid-term, Cobalt Labs cut back; Cobalt and さくらテック, both BAD,
  // renew within the quarter, so their ARR is at risk.
  const tiers = [
    {
      name: 'Acme Holdings',
      domains: ['acme.example'],
      plan: 'enterprise',
      arrMinor: 12_000_000,
      seats: 40,
      renewalDate: '2027-03-31',
      history: [
        { kind: 'new', effectiveOn: '2025-04-01', arrBeforeMinor: 0, arrAfterMinor: 10_000_000 },
        {
          kind: 'renewal',
          effectiveOn: '2026-04-01',
          arrBeforeMinor: 10_000_000,
          arrAfterMinor: 12_000_000,
          nextRenewalOn: '2027-03-31',
        },
      ],
    },
    {
      name: '株式会社さくらテック',
      domains: ['sakura-tech.example'],
      plan: 'enterprise',
      arrMinor: 6_500_000,
      seats: 30,
      renewalDate: addDays(today, 75),
      history: [{ kind: 'new', effectiveOn: '2025-04-01', arrBeforeMinor: 0, arrAfterMinor: 6_500_000 }],
    },
    {
      name: 'Bluebird Studio',
      domains: ['bluebird.example'],
      plan: 'business',
      arrMinor: 2_400_000,
      seats: 12,
      renewalDate: addDays(today, 20),
      history: [{ kind: 'new', effectiveOn: '2025-04-01', arrBeforeMinor: 0, arrAfterMinor: 2_400_000 }],
    },
    {
      name: 'Northwind Inc.',
      domains: ['northwind.example'],
      plan: 'business',
      arrMinor: 18_000_000,
      arrCurrency: 'USD',
      seats: 16,
      renewalDate: '2027-03-31',
      history: [
        { kind: 'new', effectiveOn: '2025-04-01', arrBeforeMinor: 0, arrAfterMinor: 15_000_000 },
        { kind: 'expansion', effectiveOn: addDays(today, -70), arrBeforeMinor: 15_000_000, arrAfterMinor: 18_000_000 },
      ],
    },
    {
      name: 'Cobalt Labs',
      domains: ['cobalt.example'],
      plan: 'starter',
      arrMinor: 360_000,
      seats: 6,
      renewalDate: addDays(today, 45),
      history: [
        { kind: 'new', effectiveOn: '2025-04-01', arrBeforeMinor: 0, arrAfterMinor: 480_000 },
        {
          kind: 'contraction',
          effectiveOn: addDays(today, -40),
          arrBeforeMinor: 480_000,
          arrAfterMinor: 360_000,
          reason: 'low_adoption',
          note: 'Two seats dropped after the team that used it moved on.',
        },
      ],
    },
  ] as const
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
  for (const { history, ...tier } of tiers) {
    const account = await insertAccount(db, {
      ...tier,
      domains: [...tier.domains],
      createdAt,
      csmUserId: staff.id,
      contractStart: '2025-04-01',
    })
    await db.insert(accountOutcomes).values(
      history.map((row) => ({
        ...row,
        accountId: account.id,
        currency: 'arrCurrency' in tier ? tier.arrCurrency : 'JPY',
        source: 'system' as const,
      })),
    )
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
  const help = await seedDemoHelp(db, { staffId: staff.id })
  await seedDemoSynonyms(db, { staffId: staff.id })
  // The first demo article ("Set up your workspace in five steps", in both languages) is the one new
  // members are asked to read first.
  await writeSetting(db, {
    key: ONBOARDING_SETTING_KEY,
    value: { ...defaultOnboardingSettings, articleId: help.articleIds[0] ?? null },
    actorId: staff.id,
  })
  // Mei joined Acme recently: she has no event history (and no posts), only what she does in the demo.
  const { mei: _newcomer, ...veterans } = people
  await seedDemoEvents(db, { staff, members: Object.values(veterans) as { id: number; accountId: number | null }[] })
  await seedDemoSupport(db, people as Parameters<typeof seedDemoSupport>[1])
  await seedDemoActivity(db, { accounts: demoAccounts, password })
  if (portfolio) await seedDemoPortfolio(db, { csmUserId: staff.id, password })
  // Demo members were welcomed when they joined, and all but Mei, who joined recently, put the first
  // steps behind them.
  await db
    .update(users)
    .set({ welcomedAt: sql`${users.createdAt}`, onboardingDismissedAt: sql`${users.createdAt}` })
    .where(and(isNull(users.welcomedAt), ne(users.email, 'mei@acme.example')))
  await db
    .update(users)
    .set({ welcomedAt: sql`${users.createdAt}` })
    .where(isNull(users.welcomedAt))
  // Last: the snapshots read everything the other modules recorded.
  await seedDemoSnapshots(db, today, portfolio)
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

/** The health snapshots of the demo, computed by the model from the ledger: one every four weeks over
 *  the year (the track record reads them; without the portfolio none), then every day of the last five
 *  weeks. Oldest first, so each one's
 *  level follows from the one before. */
async function seedDemoSnapshots(db: Db, today: string, history: boolean): Promise<void> {
  const started = performance.now()
  const days = demoSnapshotDays(today, DEMO_SNAPSHOT_DAYS, history)
  for (const day of days) await recomputeScores(db, { day })
  console.info(`[seed] ${days.length} days of scores in ${Math.round(performance.now() - started)} ms`)
}

/** Seeds only an empty database, so restarting the demo keeps what people did in it. */
export async function seedDemoIfEmpty(db: Db, options: { portfolio?: boolean } = {}): Promise<DemoLogin[] | null> {
  const [row] = await db.select({ n: count() }).from(users)
  if ((row?.n ?? 0) > 0) return null
  const logins = await seedDemo(db, options)
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
