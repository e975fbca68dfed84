import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form } from 'react-router'
import { ErrorList, FormErrors, TextareaField, useResetAfterSuccess } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import { SynonymFormSchema, synonymDirections } from '#app/domain/search/schemas.ts'
import type { SynonymRule } from '#app/domain/search/types.ts'
import { formatDate } from '#app/lib/format.ts'

export type SynonymsNotice = 'synonym-added' | 'synonym-deleted' | null

/** The synonyms staff manage on /search/insights: the rules, a delete button on each, and the form that
 *  adds one. Plain POST forms told apart by `intent`, so all of it works without JavaScript. */
export function SynonymRules({
  rules,
  notice,
  addResult,
  deleteError,
}: {
  rules: SynonymRule[]
  notice: SynonymsNotice
  addResult: SubmissionResult<string[]> | undefined
  deleteError: string | null
}) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  return (
    <section className="stack" aria-labelledby="synonyms-title" id="synonyms">
      <h2 id="synonyms-title">{t('search.synonyms.title')}</h2>
      <p>{t('search.synonyms.lead')}</p>
      {notice ? (
        <p className="notice" role="status">
          {t(notice === 'synonym-added' ? 'search.synonyms.added' : 'search.synonyms.deleted')}
        </p>
      ) : null}
      {deleteError ? (
        <div className="form-errors" role="alert">
          <p>{deleteError}</p>
        </div>
      ) : null}
      {rules.length === 0 ? (
        <p className="empty">{t('search.synonyms.empty')}</p>
      ) : (
        <TableScroll label={t('search.synonyms.caption')}>
          <table className="insights-table">
            <caption>{t('search.synonyms.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('search.synonyms.column.terms')}</th>
                <th scope="col">{t('search.synonyms.column.direction')}</th>
                <th scope="col">{t('search.synonyms.column.added')}</th>
                <th scope="col">{t('search.synonyms.column.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rules.map((rule) => (
                <tr key={rule.id}>
                  <th scope="row">
                    <ul className="search-synonym-terms">
                      {rule.terms.map((term) => (
                        <li key={term} className="tag">
                          {term}
                        </li>
                      ))}
                    </ul>
                  </th>
                  <td>
                    {rule.oneWay
                      ? t('search.synonyms.one_way', { first: rule.terms[0] })
                      : t('search.synonyms.two_way')}
                  </td>
                  <td>
                    {rule.createdByName
                      ? t('search.synonyms.added_by', {
                          date: formatDate(rule.createdAt, locale, timeZone),
                          name: rule.createdByName,
                        })
                      : formatDate(rule.createdAt, locale, timeZone)}
                  </td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="delete-synonym" />
                      <input type="hidden" name="id" value={rule.id} />
                      <button type="submit" className="button button-small button-secondary">
                        {t('search.synonyms.delete')}
                        <span className="visually-hidden">{` – ${rule.terms.join(', ')}`}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <AddSynonymForm lastResult={addResult} />
    </section>
  )
}

function AddSynonymForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'synonym-add',
    lastResult,
    constraint: getZodConstraint(SynonymFormSchema),
    defaultValue: { direction: 'two-way' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SynonymFormSchema }),
    shouldValidate: 'onSubmit',
  })
  // With JavaScript the page stays: an added rule empties the form; one refused keeps what was typed.
  const { markSent } = useResetAfterSuccess({ failed: lastResult?.status === 'error', onSuccess: () => form.reset() })
  const direction = fields.direction.initialValue ?? 'two-way'
  return (
    <section className="panel stack narrow" aria-labelledby="synonym-add-title">
      <h3 id="synonym-add-title">{t('search.synonyms.add.title')}</h3>
      <Form
        method="post"
        {...getFormProps(form)}
        onSubmit={(event) => {
          form.onSubmit(event)
          markSent(event)
        }}
        className="stack"
      >
        <input type="hidden" name="intent" value="add-synonym" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextareaField
          label={t('search.synonyms.add.terms')}
          hint={t('search.synonyms.add.terms_hint')}
          errors={fields.terms.errors}
          textareaProps={{ ...getTextareaProps(fields.terms), rows: 3 }}
        />
        <fieldset aria-describedby={fields.direction.errors?.length ? fields.direction.errorId : undefined}>
          <legend>{t('search.synonyms.add.direction')}</legend>
          {synonymDirections.map((value) => (
            <label key={value} className="choice">
              <input type="radio" name={fields.direction.name} value={value} defaultChecked={direction === value} />{' '}
              {t(`search.synonyms.add.${value === 'one-way' ? 'one_way' : 'two_way'}`)}
            </label>
          ))}
          <ErrorList id={fields.direction.errorId} errors={fields.direction.errors} />
        </fieldset>
        <button type="submit" className="button">
          {t('search.synonyms.add.submit')}
        </button>
      </Form>
    </section>
  )
}
