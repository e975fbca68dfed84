import { Link } from 'react-router'
import { CsvColumnsHelp, CsvImportForm, ImportProblemsTable } from '#app/components/csv-import.tsx'
import { translateError } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import {
  importTicketsCsv,
  TICKET_IMPORT_MAX_BYTES,
  TICKET_IMPORT_MAX_ROWS,
  type TicketImportReport,
  ticketImportColumns,
} from '#app/domain/support/import.server.ts'
import { intlLocale } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { csvImportAction, type ImportMessage } from '#app/server/request-body.server.ts'
import type { Route } from './+types/import'

const megabytes = TICKET_IMPORT_MAX_BYTES / (1024 * 1024)

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'support_insights.import.title')

export function loader({ request, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'support.import')
  return { columns: ticketImportColumns, maxRows: TICKET_IMPORT_MAX_ROWS, megabytes }
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'support.import')
  return csvImportAction<TicketImportReport>(
    { request, context },
    {
      maxBytes: TICKET_IMPORT_MAX_BYTES,
      tooLarge: { code: 'support_insights.import.too_large', params: { megabytes } },
      nothing: { code: 'support_insights.import.nothing' },
      run: (csv) => importTicketsCsv(getDb(context), { actor, csv }),
      // A file with bad rows imports nothing: the pasted text stays so it can be fixed in place.
      status: (report) => (report.imported ? 200 : 400),
    },
  )
}

export default function SupportImport({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale } = useViewer()
  const translate = (message: ImportMessage) => translateError(t, message.code, message.params)
  const report = actionData?.report ?? null
  return (
    <div className="stack">
      <p>
        <Link to="/support/insights">{t('support_insights.import.back')}</Link>
      </p>
      <section className="stack" aria-labelledby="import-title">
        <h1 id="import-title">{t('support_insights.import.title')}</h1>
        <p className="lead">{t('support_insights.import.lead')}</p>
        <p>{t('support_insights.import.all_or_nothing')}</p>

        {report ? <ImportResult report={report} /> : null}

        <CsvImportForm
          prefix="support_insights.import"
          fileHint={t('support_insights.import.file_hint', {
            megabytes: loaderData.megabytes,
            rows: new Intl.NumberFormat(intlLocale(locale)).format(loaderData.maxRows),
          })}
          error={actionData?.error ? translate(actionData.error) : null}
          csv={actionData?.csv ?? ''}
        />
      </section>

      <CsvColumnsHelp prefix="support_insights.import" columns={loaderData.columns} />
    </div>
  )
}

function ImportResult({ report }: { report: TicketImportReport }) {
  const { t } = useT()
  if (!report.imported) {
    return (
      <section className="panel stack" aria-labelledby="report-title">
        <h2 id="report-title">{t('support_insights.import.refused_title')}</h2>
        <p role="alert">{t('support_insights.import.refused', { count: report.errors.length, rows: report.rows })}</p>
        <ImportProblemsTable
          prefix="support_insights.import"
          caption={t('support_insights.import.errors_caption')}
          errors={report.errors}
        />
      </section>
    )
  }
  return (
    <section className="panel stack" aria-labelledby="report-title">
      <h2 id="report-title">{t('support_insights.import.report_title')}</h2>
      <p role="status">
        {t('support_insights.import.summary', {
          rows: report.rows,
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
        })}
      </p>
      <p>
        {t('support_insights.import.matching', {
          user: report.matchedUser,
          domain: report.matchedDomain,
          unmatched: report.unmatchedCount,
        })}
      </p>
      {report.unmatchedCount > 0 ? (
        <table>
          <caption>
            {t('support_insights.import.unmatched_caption', {
              shown: report.unmatched.length,
              count: report.unmatchedCount,
            })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('support_insights.import.line')}</th>
              <th scope="col">external_id</th>
              <th scope="col">requester_email</th>
            </tr>
          </thead>
          <tbody>
            {report.unmatched.map((row) => (
              <tr key={row.line}>
                <td>{row.line}</td>
                <td>{row.externalId}</td>
                <td>{row.email}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
