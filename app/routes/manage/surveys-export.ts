import { tableCsv } from '#app/domain/reporting/csv.ts'
import { createFormatters } from '#app/domain/reporting/formatters.ts'
import { npsTrendTable } from '#app/domain/reporting/nps-columns.ts'
import { getNpsReport } from '#app/domain/reporting/nps-report.server.ts'
import { csvResponse } from '#app/lib/csv.server.ts'
import { translator } from '#app/lib/i18n.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import type { Route } from './+types/surveys-export'

/** `/manage/surveys/export.csv`: the relationship NPS trend (per quarter and touch tier) as a CSV file,
 *  the headers in the reader's language. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'manage.dashboard')
  const outcome = await getNpsReport(getDb(context), { actor })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const locale = context.get(localeContext)
  const f = createFormatters(translator(locale), locale, actor.timeZone)
  const { header, rows } = tableCsv(npsTrendTable, outcome.value.trend, f)
  return csvResponse(`nps-trend-${new Date().toISOString().slice(0, 10)}.csv`, header, rows)
}
