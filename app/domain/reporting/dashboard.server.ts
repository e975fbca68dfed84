import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { type CommunityStats, communityStats } from '#app/domain/qa/community-stats.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import {
  type AccountFigures,
  supportFigures,
  supportFiguresByAccount,
  supportWeekly,
  type WeeklySupport,
} from './deflection.server.ts'
import type { SupportFigures } from './deflection.ts'
import { type EventInsights, eventInsights } from './event-results.server.ts'
import { type HealthDashboard, healthDashboard } from './health-overview.server.ts'
import { type DashboardPeriod, dashboardPeriods, lastDays } from './periods.ts'
import { portfolioReport } from './portfolio.server.ts'
import type { PortfolioReport, PortfolioTier } from './portfolio.ts'

export type ManagerDashboard = {
  days: DashboardPeriod
  periods: readonly DashboardPeriod[]
  from: Date
  to: Date
  support: SupportFigures
  weekly: WeeklySupport[]
  byAccount: AccountFigures[]
  community: CommunityStats
  health: HealthDashboard
  events: EventInsights
  portfolio: PortfolioReport
}

/** Everything `/manage` shows for the last `days` days ([now − days, now)), for anyone with
 *  `manage.dashboard` (staff read it, nothing on it changes anything): the support figures with the
 *  weekly series and per-account figures, the community figures, the health section and the event
 *  figures, and the retention and revenue section for one touch tier (or all). A fixed number of
 *  set-based queries, whatever the number of accounts. */
export async function getManagerDashboard(
  db: Db,
  {
    actor,
    days,
    tier = 'all',
    now = new Date(),
  }: { actor: SessionUser; days: DashboardPeriod; tier?: PortfolioTier; now?: Date },
): Promise<Outcome<ManagerDashboard>> {
  if (!can(actor, 'manage.dashboard')) return fail(403, 'errors.forbidden')
  const period = lastDays(days, now)
  const [support, weekly, byAccount, community, health, eventFigures, portfolio] = await Promise.all([
    supportFigures(db, period),
    supportWeekly(db, period),
    supportFiguresByAccount(db, period),
    communityStats(db, period),
    healthDashboard(db, { to: period.to }),
    eventInsights(db, period),
    portfolioReport(db, { period, tier, now }),
  ])
  return ok({
    days,
    periods: dashboardPeriods,
    ...period,
    support,
    weekly,
    byAccount,
    community,
    health,
    events: eventFigures,
    portfolio,
  })
}
