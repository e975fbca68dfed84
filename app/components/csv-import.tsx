import { useId } from 'react'
import { Form } from 'react-router'
import { Field, FormErrors, translateError } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'

/** The upload form of a CSV import: a file, or text pasted instead, posted as multipart so it works
 *  without JavaScript. `prefix` names the catalogue section (`admin.import`, `support_insights.import`)
 *  that holds the labels `file`, `text` and `submit`; the pasted text comes back after an error. */
export function CsvImportForm({
  prefix,
  fileHint,
  error,
  csv,
}: {
  prefix: string
  fileHint: string
  /** The whole-file refusal, already translated. */
  error: string | null
  csv: string
}) {
  const { t } = useT()
  const textId = useId()
  return (
    <Form method="post" encType="multipart/form-data" className="panel stack">
      <FormErrors errors={error ? [error] : null} />
      <Field
        label={t(`${prefix}.file`)}
        hint={fileHint}
        inputProps={{ type: 'file', name: 'file', accept: '.csv,text/csv' }}
      />
      <div className="field">
        <label htmlFor={textId}>{t(`${prefix}.text`)}</label>
        <textarea id={textId} name="csv" rows={8} spellCheck={false} defaultValue={csv} />
      </div>
      <button type="submit" className="button">
        {t(`${prefix}.submit`)}
      </button>
    </Form>
  )
}

/** What each column of an import means, with an example file, from the catalogue section `prefix`
 *  (`columns_title`, `columns_lead`, `column`, `meaning`, `columns.<name>`, `example_title`, `example`). */
export function CsvColumnsHelp({ prefix, columns }: { prefix: string; columns: readonly string[] }) {
  const { t } = useT()
  return (
    <section className="stack" aria-labelledby="columns-title">
      <h2 id="columns-title">{t(`${prefix}.columns_title`)}</h2>
      <p>{t(`${prefix}.columns_lead`)}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t(`${prefix}.column`)}</th>
            <th scope="col">{t(`${prefix}.meaning`)}</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((column) => (
            <tr key={column}>
              <td>
                <code>{column}</code>
              </td>
              <td>{t(`${prefix}.columns.${column}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t(`${prefix}.example_title`)}</h3>
      <pre className="mail-body">{t(`${prefix}.example`)}</pre>
    </section>
  )
}

/** One refused line of an import with what is wrong on it, each problem naming its column if it has one. */
export type ImportLineProblems = {
  line: number
  messages: { code: string; field?: string; params?: Record<string, string | number> }[]
}

/** The problems of an import, a row per line of the file, from the catalogue section `prefix` (`line`,
 *  `problems`). */
export function ImportProblemsTable({
  prefix,
  caption,
  errors,
}: {
  prefix: string
  caption: string
  errors: readonly ImportLineProblems[]
}) {
  const { t } = useT()
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t(`${prefix}.line`)}</th>
          <th scope="col">{t(`${prefix}.problems`)}</th>
        </tr>
      </thead>
      <tbody>
        {errors.map((row) => (
          <tr key={row.line}>
            <td>{row.line}</td>
            <td>
              <ul>
                {row.messages.map((message) => (
                  <li key={`${message.field}:${message.code}`}>
                    {message.field ? <code>{message.field}</code> : null}
                    {message.field ? ': ' : null}
                    {translateError(t, message.code, message.params)}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The result of an import: its one-line summary (a status, so a screen reader says it) and the
 *  problems of each refused line, or the catalogue's `all_good` when there were none. The section
 *  `prefix` holds `report_title`, `all_good`, `rejected_title`, `line` and `problems`. */
export function ImportReportPanel({
  prefix,
  summary,
  errors,
}: {
  prefix: string
  summary: string
  errors: readonly ImportLineProblems[]
}) {
  const { t } = useT()
  return (
    <section className="panel stack" aria-labelledby="report-title">
      <h3 id="report-title">{t(`${prefix}.report_title`)}</h3>
      <p role="status">{summary}</p>
      {errors.length === 0 ? (
        <p>{t(`${prefix}.all_good`)}</p>
      ) : (
        <ImportProblemsTable prefix={prefix} caption={t(`${prefix}.rejected_title`)} errors={errors} />
      )}
    </section>
  )
}
