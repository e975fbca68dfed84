import { getAccountPage } from '#app/domain/reporting/account-page.server.ts'
import { accountTableCsv, dashboardTableCsv, isAccountTable, isDashboardTable } from '#app/domain/reporting/csv.ts'
import { getManagerDashboard } from '#app/domain/reporting/dashboard.server.ts'
import { createFormatters } from '#app/domain/reporting/formatters.ts'
import { dashboardPeriods, parsePeriodDays } from '#app/domain/reporting/periods.ts'
import { parsePortfolioTier } from '#app/domain/reporting/portfolio.ts'
import { csvResponse } from '#app/lib/csv.server.ts'
import { translator } from '#app/lib/i18n.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import type { Route } from './+types/export'

/** `/manage/export/:table?days=…[&tier=…][&account=…]`: one table of the dashboard or of an account page as a
 *  CSV file, with the same rows as the page (all of them, where the page shows the first few), the
 *  headers in the reader's language and times in the reader's zone. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'manage.dashboard')
  const url = new URL(request.url)
  const days = parsePeriodDays(url.searchParams.get('days'), dashboardPeriods)
  const locale = context.get(localeContext)
  const f = createFormatters(translator(locale), locale, actor.timeZone)
  const today = new Date().toISOString().slice(0, 10)
  const { table } = params

  if (isDashboardTable(table)) {
    const tier = parsePortfolioTier(url.searchParams.get('tier'))
    const outcome = await getManagerDashboard(getDb(context), { actor, days, tier })
    if (!outcome.ok) throw failureResponse(context, outcome)
    const { header, rows } = dashboardTableCsv(table, outcome.value, f)
    const tierPart = tier === 'all' ? '' : `-${tier}`
    return csvResponse(`${table}${tierPart}-${days}d-${today}.csv`, header, rows)
  }
  if (isAccountTable(table)) {
    const accountId = intParam(url.searchParams.get('account'))
    const outcome = await getAccountPage(getDb(context), { actor, accountId, days })
    if (!outcome.ok) throw failureResponse(context, outcome)
    const { header, rows } = accountTableCsv(table, outcome.value, f)
    return csvResponse(`account-${accountId}-${table.replace(/^account-/, '')}-${days}d-${today}.csv`, header, rows)
  }
  throw failureResponse(context, fail(404, 'errors.not_found'))
}
