import { getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, Link } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { DataTable, StatCards } from '#app/components/manage/data-table.tsx'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import type { Formatters } from '#app/domain/reporting/formatters.ts'
import type { Fitted, TrackRecord, Weights } from '#app/domain/reporting/track-record.ts'
import {
  aucText,
  type EventTableRow,
  healthCheckCsvHref,
  healthCheckTables,
} from '#app/domain/reporting/track-record-columns.ts'
import { WeightSetSchema, WHAT_IF_FIELD, weightsToForm } from '#app/domain/reporting/track-record-form.ts'
import { healthMeasures } from '#app/domain/scoring/settings.ts'
import './health-check.css'

/** Rows shown of the list of churns and contractions; the CSV file has them all. */
const LIST_ROWS = 50

/** The headline figures, or the "not enough outcomes yet" state with the numbers it needs. */
export function TrackRecordFigures({
  record,
  f,
  bootstrapRounds,
}: {
  record: TrackRecord
  f: Formatters
  bootstrapRounds: number
}) {
  const { t } = f
  if (!record.enough) {
    return (
      <section className="panel stack" aria-labelledby="health-check-not-enough">
        <h2 id="health-check-not-enough">{t('health_check.not_enough.title')}</h2>
        <p>
          {t('health_check.not_enough.body', {
            accounts: f.int(record.minimum.positiveAccounts),
            samples: f.int(record.minimum.samples),
            horizon: record.horizonDays,
            churned: f.int(record.churn.positiveAccounts),
            scored: f.int(record.churn.samples),
          })}
        </p>
      </section>
    )
  }
  const interval = (figure: TrackRecord['churn']) =>
    figure.interval
      ? t('health_check.auc.interval', {
          low: aucText(f, figure.interval.low),
          high: aucText(f, figure.interval.high),
        })
      : undefined
  return (
    <StatCards
      stats={[
        {
          id: 'auc',
          label: t('health_check.auc.label'),
          value: aucText(f, record.churn.auc),
          hint: (
            <>
              {interval(record.churn) ? <strong>{interval(record.churn)}</strong> : null} {t('health_check.auc.hint')}{' '}
              {t('health_check.auc.interval_hint', { rounds: bootstrapRounds })}
            </>
          ),
        },
        {
          id: 'auc-any',
          label: t('health_check.auc.any_label'),
          value: aucText(f, record.churnOrContraction.auc),
          hint: (
            <>
              {interval(record.churnOrContraction) ? <strong>{interval(record.churnOrContraction)}</strong> : null}{' '}
              {t('health_check.auc.any_hint')}
            </>
          ),
        },
        {
          id: 'lift',
          label: t('health_check.lift.label'),
          value: record.lift === null ? f.none : t('health_check.lift.value', { value: f.decimal(record.lift, 1) }),
          hint:
            record.lift === null
              ? t('health_check.lift.none')
              : t('health_check.lift.hint', { horizon: record.horizonDays }),
        },
        {
          id: 'samples',
          label: t('health_check.samples.label'),
          value: f.int(record.samples),
          hint: t('health_check.samples.hint', {
            accounts: f.int(record.accounts),
            churned: f.int(record.churn.positives),
            withoutScore: f.int(record.withoutScore),
          }),
        },
      ]}
    />
  )
}

/** The by-level, per-measure and per-event tables, each with its CSV file. */
export function TrackRecordTables({
  record,
  events,
  f,
}: {
  record: TrackRecord
  events: EventTableRow[]
  f: Formatters
}) {
  const { t } = f
  return (
    <>
      {record.enough ? (
        <>
          <section className="stack manage-section" aria-labelledby="health-check-levels">
            <h2 id="health-check-levels">{t('health_check.levels.title')}</h2>
            <p>{t('health_check.levels.lead')}</p>
            <DataTable
              spec={healthCheckTables.levels}
              rows={record.levels}
              f={f}
              csv={healthCheckCsvHref('levels')}
              empty={t('health_check.levels.empty')}
              rowKey={(row) => row.level}
            />
          </section>
          <section className="stack manage-section" aria-labelledby="health-check-measures">
            <h2 id="health-check-measures">{t('health_check.measures.title')}</h2>
            <p>{t('health_check.measures.lead')}</p>
            <DataTable
              spec={healthCheckTables.measures}
              rows={record.measures}
              f={f}
              csv={healthCheckCsvHref('measures')}
              empty={t('health_check.levels.empty')}
              rowKey={(row) => row.measure}
            />
          </section>
        </>
      ) : null}
      <section className="stack manage-section" aria-labelledby="health-check-events">
        <h2 id="health-check-events">{t('health_check.events.title')}</h2>
        <p>{t('health_check.events.lead')}</p>
        <DataTable
          spec={healthCheckTables.events}
          rows={events}
          f={f}
          csv={healthCheckCsvHref('events')}
          empty={t('health_check.events.empty')}
          limit={LIST_ROWS}
          rowKey={(row) => `${row.accountId}-${row.kind}-${row.day}`}
        />
      </section>
    </>
  )
}

/** "What if": a GET form with one weight per measure, prefilled with today's (or what was typed), and
 *  the AUC those weights would have had beside today's. Works without JavaScript; with it, conform
 *  checks the numbers before the page is asked. */
export function WhatIfForm({
  todayWeights,
  lastResult,
  whatIf,
  f,
}: {
  todayWeights: Weights
  lastResult: SubmissionResult<string[]> | undefined
  whatIf: TrackRecord['whatIf']
  f: Formatters
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'what-if-form',
    lastResult,
    defaultValue: weightsToForm(whatIf?.weights ?? todayWeights),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: WeightSetSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="panel stack" aria-labelledby="what-if-title" id="what-if">
      <h2 id="what-if-title">{t('health_check.what_if.title')}</h2>
      <p>{t('health_check.what_if.lead')}</p>
      {whatIf ? (
        <p className="notice" role="status">
          {t('health_check.what_if.result', {
            auc: aucText(f, whatIf.auc),
            today: aucText(f, whatIf.todayAuc),
            samples: f.int(whatIf.samples),
          })}
        </p>
      ) : null}
      <Form method="get" action="/manage/health-check#what-if" {...getFormProps(form)} className="stack">
        <input type="hidden" name={WHAT_IF_FIELD} value="1" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset className="stack">
          <legend>{t('health_check.what_if.legend')}</legend>
          <div className="health-check-grid">
            {healthMeasures.map((measure) => (
              <Field
                key={measure}
                label={t(`scoring.measure.${measure}.title`)}
                errors={fields[measure].errors}
                inputProps={{
                  ...getInputProps(fields[measure], { type: 'number' }),
                  step: 'any',
                  inputMode: 'decimal',
                }}
              />
            ))}
          </div>
        </fieldset>
        <p className="health-check-actions">
          <button type="submit" className="button">
            {t('health_check.what_if.submit')}
          </button>
          {whatIf || lastResult ? (
            <Link to="/manage/health-check#what-if">{t('health_check.what_if.reset')}</Link>
          ) : null}
        </p>
      </Form>
    </section>
  )
}

/** The fitted weight set beside today's, its cross-validated AUC beside today's on the same folds, and
 *  for managers the way to apply it: a link to a confirmation step whose POST form carries the weights
 *  shown. Never applied by itself. */
export function FittedWeights({
  fitted,
  todayWeights,
  horizon,
  canApply,
  confirming,
  lastResult,
  f,
}: {
  fitted: Fitted | null
  todayWeights: Weights
  horizon: number
  canApply: boolean
  confirming: boolean
  lastResult: SubmissionResult<string[]> | undefined
  f: Formatters
}) {
  const { t } = f
  return (
    <section className="panel stack" aria-labelledby="fitted-title" id="fitted">
      <h2 id="fitted-title">{t('health_check.fitted.title')}</h2>
      <p>{t('health_check.fitted.lead', { horizon })}</p>
      {fitted ? (
        <>
          <p>
            {t('health_check.fitted.cv', {
              folds: fitted.folds,
              fitted: aucText(f, fitted.cvAuc),
              today: aucText(f, fitted.todayCvAuc),
            })}
          </p>
          {fitted.unfitted.length > 0 ? (
            <p className="field-hint">
              {t('health_check.fitted.unfitted', {
                measures: fitted.unfitted.map((measure) => t(`scoring.measure.${measure}.name`)).join(', '),
              })}
            </p>
          ) : null}
          <TableScroll label={t('health_check.fitted.caption')}>
            <table className="insights-table">
              <caption className="visually-hidden">{t('health_check.fitted.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('health_check.fitted.col_measure')}</th>
                  <th scope="col" className="numeric">
                    {t('health_check.fitted.col_today')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('health_check.fitted.col_fitted')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {healthMeasures.map((measure) => (
                  <tr key={measure}>
                    <th scope="row">{t(`scoring.measure.${measure}.title`)}</th>
                    <td className="numeric">{f.decimal(todayWeights[measure], 2)}</td>
                    <td className="numeric">{f.decimal(fitted.weights[measure], 2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {!canApply ? (
            <p className="field-hint">{t('health_check.fitted.read_only')}</p>
          ) : confirming || lastResult ? (
            <Form method="post" action="/manage/health-check" className="stack health-check-confirm">
              <h3>{t('health_check.fitted.confirm_title')}</h3>
              <p>{t('health_check.fitted.confirm_body')}</p>
              <FormErrors
                errors={Object.values(lastResult?.error ?? {})
                  .flat()
                  .filter((error): error is string => typeof error === 'string')}
              />
              {healthMeasures.map((measure) => (
                <input key={measure} type="hidden" name={measure} value={String(fitted.weights[measure])} />
              ))}
              <p className="health-check-actions">
                <button type="submit" className="button">
                  {t('health_check.fitted.confirm')}
                </button>
                <Link to="/manage/health-check#fitted">{t('health_check.fitted.cancel')}</Link>
              </p>
            </Form>
          ) : (
            <p>
              <Link className="button" to="/manage/health-check?confirm=fitted#fitted">
                {t('health_check.fitted.apply')}
              </Link>
            </p>
          )}
        </>
      ) : (
        <p>{t('health_check.fitted.none')}</p>
      )}
    </section>
  )
}
