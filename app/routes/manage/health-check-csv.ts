import { tableCsv } from '#app/domain/reporting/csv.ts'
import { createFormatters } from '#app/domain/reporting/formatters.ts'
import { getHealthCheck } from '#app/domain/reporting/track-record.server.ts'
import { healthCheckTables, isHealthCheckTable } from '#app/domain/reporting/track-record-columns.ts'
import { csvResponse } from '#app/lib/csv.server.ts'
import { translator } from '#app/lib/i18n.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import type { Route } from './+types/health-check-csv'

/** `/manage/health-check.csv?table=levels|measures|events`: one table of the health track record as
 *  a CSV file, with the headers in the reader's language. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'manage.dashboard')
  const table = new URL(request.url).searchParams.get('table')
  if (!isHealthCheckTable(table)) throw failureResponse(context, fail(404, 'health_check.errors.unknown_table'))
  const outcome = await getHealthCheck(getDb(context), { actor, fit: false })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const locale = context.get(localeContext)
  const f = createFormatters(translator(locale), locale, actor.timeZone)
  const { record, events } = outcome.value
  const today = new Date().toISOString().slice(0, 10)
  const csv =
    table === 'levels'
      ? tableCsv(healthCheckTables.levels, record.levels, f)
      : table === 'measures'
        ? tableCsv(healthCheckTables.measures, record.measures, f)
        : tableCsv(healthCheckTables.events, events, f)
  return csvResponse(`health-check-${table}-${today}.csv`, csv.header, csv.rows)
}
