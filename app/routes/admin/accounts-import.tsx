import { Link } from 'react-router'
import { CsvColumnsHelp, CsvImportForm, ImportReportPanel } from '#app/components/csv-import.tsx'
import { translateError } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { type ImportReport, importAccountsCsv, importColumns } from '#app/domain/identity/accounts.server.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { csvImportAction, type ImportMessage } from '#app/server/request-body.server.ts'
import type { Route } from './+types/accounts-import'
import { adminTitle } from './title.ts'

/** Imports are meant for a spreadsheet's worth of accounts; anything larger is refused before it is read. */
const MAX_BYTES = 2 * 1024 * 1024

export const meta: Route.MetaFunction = ({ matches }) => adminTitle(matches, 'admin.import.title')

export function loader({ request, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'accounts.manage')
  return { columns: importColumns }
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'accounts.manage')
  return csvImportAction<ImportReport>(
    { request, context },
    {
      maxBytes: MAX_BYTES,
      tooLarge: { code: 'admin.import.too_large' },
      nothing: { code: 'admin.import.nothing' },
      run: (csv) => importAccountsCsv(getDb(context), { actor, csv }),
    },
  )
}

export default function AdminAccountsImport({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const translate = (message: ImportMessage) => translateError(t, message.code, message.params)
  const report = actionData?.report ?? null
  return (
    <div className="stack">
      <p>
        <Link to="/admin/accounts">{t('admin.accounts.back')}</Link>
      </p>
      <section className="stack" aria-labelledby="import-title">
        <h2 id="import-title">{t('admin.import.title')}</h2>
        <p>{t('admin.import.lead')}</p>

        {report ? (
          <ImportReportPanel
            prefix="admin.import"
            summary={t('admin.import.summary', {
              created: report.created,
              updated: report.updated,
              rejected: report.errors.length,
            })}
            errors={report.errors}
          />
        ) : null}

        <CsvImportForm
          prefix="admin.import"
          fileHint={t('admin.import.file_hint')}
          error={actionData?.error ? translate(actionData.error) : null}
          csv={actionData?.csv ?? ''}
        />
      </section>

      <CsvColumnsHelp prefix="admin.import" columns={loaderData.columns} />
    </div>
  )
}
