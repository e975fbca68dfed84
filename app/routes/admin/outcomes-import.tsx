import { Link } from 'react-router'
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
import { csvImportAction, type ImportMessage } from '#app/server/request-body.server.ts'
import type { Route } from './+types/outcomes-import'
import { adminTitle } from './title.ts'

/** Records outcomes from a CSV file (app/domain/retention/outcomes.server.ts), with the refused-lines
 *  report of the account import. Imports are meant for a spreadsheet's worth of rows; anything larger is refused before it is read. */
const MAX_BYTES = 2 * 1024 * 1024

export const meta: Route.MetaFunction = ({ matches }) => adminTitle(matches, 'outcomes.import.title')

export function loader({ request, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'accounts.manage')
  return { columns: outcomeImportColumns }
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'accounts.manage')
  return csvImportAction<OutcomeImportReport>(
    { request, context },
    {
      maxBytes: MAX_BYTES,
      tooLarge: { code: 'outcomes.import.too_large' },
      nothing: { code: 'outcomes.import.nothing' },
      run: (csv) => importOutcomesCsv(getDb(context), { actor, csv }),
    },
  )
}

export default function AdminOutcomesImport({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const translate = (message: ImportMessage) => translateError(t, message.code, message.params)
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
