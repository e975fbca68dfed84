import { data, Link } from 'react-router'
import { CsvColumnsHelp, CsvImportForm, ImportReportPanel } from '#app/components/csv-import.tsx'
import { translateError } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import {
  importOutcomesCsv,
  type OutcomeImportReport,
  outcomeImportColumns,
} from '#app/domain/retention/outcomes.server.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { readCsvUpload } from '#app/server/request-body.server.ts'
import type { Route } from './+types/outcomes-import'
import { adminTitle } from './title.ts'

/** Records outcomes from a CSV file (app/domain/retention/outcomes.server.ts), with the refused-lines
 *  report of the account import. Imports are meant for a spreadsheet's worth of rows; anything larger is refused before it is read. */
const MAX_BYTES = 2 * 1024 * 1024

type Message = { code: string; params?: Record<string, string | number> }

export const meta: Route.MetaFunction = ({ matches }) => adminTitle(matches, 'outcomes.import.title')

export function loader({ request, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'accounts.manage')
  return { columns: outcomeImportColumns }
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'accounts.manage')
  const refuse = (error: Message, csv: string, status = 400) =>
    data({ error, csv, report: null as OutcomeImportReport | null }, { status })
  const upload = await readCsvUpload({ request, context }, MAX_BYTES)
  if (!upload.ok) {
    const error: Message =
      upload.reason === 'too_large' ? { code: 'outcomes.import.too_large' } : { code: 'outcomes.import.nothing' }
    return refuse(error, upload.pasted, upload.status)
  }
  const text = upload.pasted
  const outcome = await importOutcomesCsv(getDb(context), { actor, csv: upload.csv })
  if (!outcome.ok) return refuse({ code: outcome.code, params: outcome.params }, text, outcome.status)
  return { error: null, csv: text, report: outcome.value }
}

export default function AdminOutcomesImport({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const translate = (message: Message) => translateError(t, message.code, message.params)
  const report = actionData?.report ?? null
  return (
    <div className="stack">
      <p>
        <Link to="/admin/accounts">{t('admin.accounts.back')}</Link>
      </p>
      <section className="stack" aria-labelledby="import-title">
        <h2 id="import-title">{t('outcomes.import.title')}</h2>
        <p>{t('outcomes.import.lead')}</p>

        {report ? (
          <ImportReportPanel
            prefix="outcomes.import"
            summary={t('outcomes.import.summary', {
              recorded: report.recorded,
              skipped: report.skipped,
              rejected: report.errors.length,
            })}
            errors={report.errors}
          />
        ) : null}

        <CsvImportForm
          prefix="outcomes.import"
          fileHint={t('outcomes.import.file_hint')}
          error={actionData?.error ? translate(actionData.error) : null}
          csv={actionData?.csv ?? ''}
        />
      </section>

      <CsvColumnsHelp prefix="outcomes.import" columns={loaderData.columns} />
    </div>
  )
}
