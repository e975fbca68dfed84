import type { ActivityType } from '#app/domain/activity/activity-types.ts'
import { hashPassword } from '#app/domain/identity/passwords.server.ts'
import { quarterOf } from '#app/domain/retention/nps-schemas.ts'
import { addDays, daysBetween, utcDay } from '#app/lib/days.ts'
import type { Db } from '#db/client.server.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { accountDomains, accountOutcomes, accounts, users } from '#db/schema/identity.ts'
import { npsSurveys } from '#db/schema/retention.ts'
import { random } from './demo-random.ts'

// The rest of the vendor's book of business, for the pages that need many accounts and a year of
// contract history: the portfolio KPIs (churn, GRR, NRR, ARR movement, LTV, renewals) and the health
// track record, which compares the health levels the model gave with what happened after. The
// accounts' members take part in the ledger like the demo accounts' do, so every snapshot of their
// year is computed by the real model from their activity; the fates below only shape that activity
// (a churning account fades for months first, most of the time) and write the outcome rows.

const DAY = 86_400_000
/** Days of contract history: the longest KPI period and the track record's year. */
export const PORTFOLIO_HISTORY_DAYS = 365
/** Ledger days before the first snapshot, so its windows (trend, breadth change, champions) are full. */
const LEDGER_LEAD_DAYS = 90
const ACCOUNTS = 40

type Fate = 'steady' | 'dip' | 'expand' | 'contract' | 'churn' | 'quiet_churn'

export type PortfolioAccount = { id: number; name: string; fate: Fate; churnedOn: string | null }

const englishNames = [
  'Aster',
  'Birchline',
  'Cinder',
  'Driftwood',
  'Ember',
  'Fennel',
  'Granite',
  'Harbor',
  'Indigo',
  'Juniper',
  'Kestrel',
  'Lumen',
  'Meridian',
  'Nimbus',
  'Orchard',
  'Pinnacle',
  'Quarry',
  'Redwood',
  'Summit',
  'Tidewater',
]
const englishKinds = ['Analytics', 'Systems', 'Logistics', 'Health', 'Retail', 'Labs', 'Foods', 'Media']
const japaneseNames = [
  'あおぞら',
  'ひかり',
  'みどり',
  'つばさ',
  'こだま',
  'はやて',
  'いろは',
  'やまと',
  'ほくと',
  'なぎさ',
]
const japaneseKinds = ['物流', 'システム', '製作所', '商事', 'ソリューションズ']

/** What happens to each portfolio account over the year, in order of their index. */
const fates: Fate[] = [
  ...Array<Fate>(10).fill('churn'),
  ...Array<Fate>(3).fill('quiet_churn'),
  ...Array<Fate>(5).fill('contract'),
  ...Array<Fate>(7).fill('expand'),
  ...Array<Fate>(4).fill('dip'),
  ...Array<Fate>(ACCOUNTS - 29).fill('steady'),
]

const habits: { type: ActivityType; chance: number }[] = [
  { type: 'article_viewed', chance: 0.5 },
  { type: 'vote_cast', chance: 0.3 },
  { type: 'comment_posted', chance: 0.1 },
  { type: 'answer_posted', chance: 0.08 },
  { type: 'question_asked', chance: 0.05 },
  { type: 'ticket_filed', chance: 0.03 },
]

const reasons = ['price', 'budget', 'product_fit', 'competitor', 'low_adoption', 'champion_left', 'acquired'] as const

/** Seeds the portfolio: accounts with members, their ledger, and their contract outcomes. Snapshots are
 *  computed afterwards with everyone else's (`seedDemoSnapshots`). */
export async function seedDemoPortfolio(
  db: Db,
  { csmUserId, password, now = new Date() }: { csmUserId: number; password: string; now?: Date },
): Promise<PortfolioAccount[]> {
  const next = random(20261207)
  const between = (low: number, high: number) => low + (high - low) * next()
  const today = utcDay(now)
  const passwordHash = await hashPassword(password)
  const seeded: PortfolioAccount[] = []
  const ledger: (typeof activityEvents.$inferInsert)[] = []
  const outcomes: (typeof accountOutcomes.$inferInsert)[] = []
  const surveys: (typeof npsSurveys.$inferInsert)[] = []
  // Its own sequence, so the surveys do not change the accounts and activity drawn above.
  const npsNext = random(20261208)
  let sequence = 0

  for (let index = 0; index < ACCOUNTS; index++) {
    const fate = fates[index]!
    const japanese = index % 3 === 1
    // The n-th name of its language: a word and a trade that never repeat together.
    const n = japanese ? (index - 1) / 3 : index - Math.floor((index + 1) / 3)
    const name = japanese
      ? `株式会社${japaneseNames[n % japaneseNames.length]}${japaneseKinds[(n + Math.floor(n / japaneseNames.length)) % japaneseKinds.length]}`
      : `${englishNames[n % englishNames.length]} ${englishKinds[(n + Math.floor(n / englishNames.length)) % englishKinds.length]}`
    const domain = `portfolio-${index + 1}.example`
    const tierRoll = next()
    const arrJpy = Math.round(
      tierRoll < 0.25
        ? between(5_000_000, 24_000_000)
        : tierRoll < 0.65
          ? between(1_000_000, 4_800_000)
          : between(240_000, 960_000),
    )
    const usd = !japanese && index % 4 === 0
    const currency = usd ? 'USD' : 'JPY'
    // USD is kept in cents; the scoring settings' rate is 150 JPY per dollar.
    const toMinor = (jpy: number) => (usd ? Math.round(jpy / 150) * 100 : Math.round(jpy / 1000) * 1000)
    const seats = Math.round(between(5, 40))
    // Most accounts have been customers for over a year; a few started during it (new ARR).
    const newThisYear = index % 7 === 6
    const startDaysAgo = newThisYear ? Math.round(between(60, 330)) : Math.round(between(380, 900))
    const contractStart = addDays(today, -startDaysAgo)
    const anniversaries: string[] = []
    for (let year = 1; year <= 3; year++) {
      const day = addDays(contractStart, 365 * year)
      if (day > addDays(today, -PORTFOLIO_HISTORY_DAYS) && day <= today) anniversaries.push(day)
    }
    const nextRenewal = addDays(contractStart, 365 * Math.ceil((startDaysAgo + 1) / 365))

    // The day the fate happens: churn at a renewal, contraction or expansion at one or mid-term.
    const churns = fate === 'churn' || fate === 'quiet_churn'
    // A churn at a renewal the track record can look back on (two months into the year or later); an
    // account whose renewal fell earlier leaves mid-term instead.
    const renewal = anniversaries.at(-1)
    const eventDay =
      churns && renewal !== undefined && renewal >= addDays(today, -(PORTFOLIO_HISTORY_DAYS - 60))
        ? renewal
        : addDays(today, -Math.round(between(25, Math.min(churns ? 300 : 330, startDaysAgo - 30))))
    const churnedOn = churns && eventDay <= addDays(today, -14) ? eventDay : null
    const eventAgo = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${eventDay}T00:00:00Z`)) / DAY
    const declineDays = Math.round(between(70, 140))
    const base = between(0.12, 0.3)
    /** The chance a member takes part `daysAgo` days back. */
    const chance = (daysAgo: number): number => {
      if (daysAgo > startDaysAgo) return 0
      const sinceEvent = eventAgo - daysAgo // > 0 after the event day
      switch (fate) {
        case 'churn':
          if (sinceEvent >= 0) return 0
          if (-sinceEvent < declineDays) return base * (0.08 + (0.92 * -sinceEvent) / declineDays)
          return base
        case 'quiet_churn':
          // They left without warning: the activity stays until the end.
          return sinceEvent >= 0 ? 0 : base
        case 'contract':
          if (sinceEvent < 0 && -sinceEvent < 60) return base * (0.4 + (0.6 * -sinceEvent) / 60)
          return sinceEvent >= 0 ? base * 0.6 : base
        case 'expand':
          return base * (sinceEvent >= 0 ? 1.4 : 1)
        case 'dip':
          // A quiet spell that passes: the false alarm every portfolio has.
          return sinceEvent >= 0 && sinceEvent < 40 ? base * 0.25 : base
        default:
          return base
      }
    }

    const arrStartJpy = fate === 'expand' ? arrJpy / between(1.15, 1.5) : arrJpy
    const arrStart = toMinor(arrStartJpy)
    const contraction = between(0.55, 0.8)
    type Step = {
      kind: (typeof accountOutcomes.$inferInsert)['kind']
      day: string
      after: (arr: number) => number
      extra?: Partial<typeof accountOutcomes.$inferInsert>
    }
    const steps: Step[] = [{ kind: 'new', day: contractStart, after: () => arrStart }]
    for (const day of anniversaries) {
      if (churnedOn && day >= churnedOn) break
      steps.push({ kind: 'renewal', day, after: (arr) => arr, extra: { nextRenewalOn: addDays(day, 365) } })
    }
    if (fate === 'expand') steps.push({ kind: 'expansion', day: eventDay, after: () => toMinor(arrJpy) })
    if (fate === 'contract')
      steps.push({
        kind: 'contraction',
        day: eventDay,
        after: (arr) => Math.round((arr * contraction) / 100) * 100,
        extra: { reason: reasons[index % reasons.length] },
      })
    if (churnedOn)
      steps.push({
        kind: 'churn',
        day: churnedOn,
        after: () => 0,
        extra: { reason: reasons[(index * 3) % reasons.length] },
      })
    // In date order, so each row's ARR before is the one in effect then.
    steps.sort((a, b) => a.day.localeCompare(b.day) || Number(b.kind === 'new') - Number(a.kind === 'new'))
    let arr = 0
    const rows: (typeof accountOutcomes.$inferInsert)[] = []
    for (const step of steps) {
      const after = step.after(arr)
      rows.push({
        accountId: 0,
        kind: step.kind,
        effectiveOn: step.day,
        arrBeforeMinor: arr,
        arrAfterMinor: after,
        currency,
        source: 'system',
        ...step.extra,
      })
      arr = after
    }

    const [account] = await db
      .insert(accounts)
      .values({
        name,
        plan: arrJpy >= 5_000_000 ? 'enterprise' : arrJpy >= 1_000_000 ? 'business' : 'starter',
        arrMinor: arr,
        arrCurrency: currency,
        seats,
        contractStart,
        renewalDate: churnedOn ? null : nextRenewal,
        csmUserId,
        churnedAt: churnedOn ? new Date(`${churnedOn}T09:00:00Z`) : null,
        createdAt: new Date(`${contractStart}T00:00:00Z`),
      })
      .returning({ id: accounts.id })
    const accountId = account!.id
    await db.insert(accountDomains).values({ domain, accountId })
    for (const outcome of rows) outcomes.push({ ...outcome, accountId })
    seeded.push({ id: accountId, name, fate, churnedOn })

    const memberCount = Math.max(2, Math.min(seats, Math.round(between(3, 7))))
    const joined = new Date(`${contractStart}T00:00:00Z`)
    const members = await db
      .insert(users)
      .values(
        Array.from({ length: memberCount }, (_, m) => ({
          email: `member${m + 1}@${domain}`,
          displayName: japanese ? `メンバー ${index + 1}-${m + 1}` : `Member ${index + 1}-${m + 1}`,
          role: 'member' as const,
          accountId,
          passwordHash,
          createdAt: joined,
          emailVerifiedAt: joined,
          locale: japanese ? ('ja' as const) : ('en' as const),
        })),
      )
      .returning({ id: users.id })
    surveys.push(...demoNpsAnswers({ members, accountId, fate, contractStart, churnedOn, today, next: npsNext }))
    const firstDay = Math.min(startDaysAgo, PORTFOLIO_HISTORY_DAYS + LEDGER_LEAD_DAYS)
    for (let daysAgo = firstDay; daysAgo >= 1; daysAgo--) {
      const p = chance(daysAgo)
      if (p === 0) continue
      for (const member of members) {
        if (next() >= p) continue
        const at = (minute: number) => new Date(now.getTime() - daysAgo * DAY + minute * 60_000)
        const push = (type: ActivityType, minute: number) =>
          ledger.push({
            type,
            userId: member.id,
            accountId,
            subjectType: 'demo',
            subjectId: String(++sequence),
            uniqueKey: `demo-portfolio:${type}:${member.id}:${sequence}`,
            occurredAt: at(minute),
          })
        push('visit_day', 0)
        for (const habit of habits) if (next() < habit.chance) push(habit.type, 1)
        if (daysAgo % 14 === 3 && next() < 0.3) push('event_attended', 30)
      }
    }
  }
  for (let i = 0; i < ledger.length; i += 2000) await db.insert(activityEvents).values(ledger.slice(i, i + 2000))
  for (let i = 0; i < outcomes.length; i += 500) await db.insert(accountOutcomes).values(outcomes.slice(i, i + 500))
  for (let i = 0; i < surveys.length; i += 500) await db.insert(npsSurveys).values(surveys.slice(i, i + 500))
  console.info(
    `[seed] portfolio: ${seeded.length} accounts, ${ledger.length} ledger rows, ${outcomes.length} outcomes, ` +
      `${surveys.length} NPS surveys`,
  )
  return seeded
}

/** A year of relationship NPS surveys to an account's members, one a quarter, about half answered: the
 *  trend at /manage/surveys and the sentiment measure read them. Happy accounts lean to promoters; an
 *  account that will churn turns detractor in the months before, one that shrinks or dips is passive. */
function demoNpsAnswers({
  members,
  accountId,
  fate,
  contractStart,
  churnedOn,
  today,
  next,
}: {
  members: { id: number }[]
  accountId: number
  fate: Fate
  contractStart: string
  churnedOn: string | null
  today: string
  next: () => number
}): (typeof npsSurveys.$inferInsert)[] {
  const pick = (low: number, high: number) => low + Math.floor(next() * (high - low + 1))
  const rows: (typeof npsSurveys.$inferInsert)[] = []
  for (const member of members) {
    const quarters = new Set<string>()
    for (let k = 0; k < 4; k++) {
      const sentDay = addDays(today, -(20 + 91 * k + pick(0, 20)))
      if (sentDay < contractStart || (churnedOn !== null && sentDay >= churnedOn)) continue
      const sentAt = new Date(`${sentDay}T01:30:00Z`)
      const quarter = quarterOf(sentAt)
      if (quarters.has(quarter)) continue
      quarters.add(quarter)
      const answered = next() < (fate === 'quiet_churn' ? 0.25 : 0.55)
      const nearChurn = churnedOn !== null && addDays(sentDay, 150) >= churnedOn
      const score = nearChurn
        ? pick(0, 6)
        : fate === 'steady' || fate === 'expand'
          ? pick(7, 10)
          : fate === 'contract'
            ? pick(4, 8)
            : pick(5, 9)
      rows.push({
        userId: member.id,
        accountId,
        quarter,
        sentAt,
        score: answered ? score : null,
        answeredAt: answered ? new Date(sentAt.getTime() + pick(1, 72) * 3_600_000) : null,
      })
    }
  }
  return rows
}

/** Days between the year's snapshots: the track record samples every four weeks, and each snapshot of
 *  the busy demo costs a recompute at boot. */
const HISTORY_STEP_DAYS = 28

/** The days the demo computes snapshots for, oldest first: one every four weeks over the year (with
 *  `history`), then every day of the last `dailyDays` (the health history charts and week-on-week
 *  changes read those). */
export function demoSnapshotDays(today: string, dailyDays: number, history = true): string[] {
  const dailyFrom = addDays(today, -(dailyDays - 1))
  const earlier: string[] = []
  if (history) {
    for (let day = addDays(today, -PORTFOLIO_HISTORY_DAYS); day < dailyFrom; day = addDays(day, HISTORY_STEP_DAYS))
      earlier.push(day)
  }
  return [...earlier, ...daysBetween(dailyFrom, today)]
}
