import { getFormProps, getInputProps, getSelectProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, redirect } from 'react-router'
import { ErrorList, Field, FormErrors, SelectField } from '#app/components/forms.tsx'
import { GroupedBarChart } from '#app/components/manage/charts.tsx'
import { DataTable, StatCards } from '#app/components/manage/data-table.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { createFormatters } from '#app/domain/reporting/formatters.ts'
import { npsTrendTable } from '#app/domain/reporting/nps-columns.ts'
import { getNpsReport } from '#app/domain/reporting/nps-report.server.ts'
import { readNpsSettings, sendDueSurveys, updateNpsSettings } from '#app/domain/retention/nps.server.ts'
import {
  type NpsSettings,
  NpsSettingsFormSchema,
  npsAudiences,
  npsCadences,
  npsTiers,
  settingsFromNpsForm,
} from '#app/domain/retention/nps-schemas.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs, unknownIntent } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/surveys'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'nps.manage.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  // Staff read the survey and its results; managers change the settings and send.
  const actor = requireCapability(context, request, 'manage.dashboard')
  const db = getDb(context)
  const [settings, report] = await Promise.all([readNpsSettings(db), getNpsReport(db, { actor })])
  if (!report.ok) throw failureResponse(context, report)
  const params = new URL(request.url).searchParams
  const done = params.get('done')
  const sent = Number(params.get('sent'))
  return {
    canEdit: can(actor, 'manage.settings'),
    settings,
    report: report.value,
    done:
      done === 'saved' || done === 'unchanged'
        ? { kind: done }
        : done === 'sent'
          ? { kind: 'sent' as const, count: Number.isSafeInteger(sent) && sent >= 0 ? sent : 0 }
          : null,
  }
}

const FIELDS = [...fieldsOf(NpsSettingsFormSchema), 'intent']

type SurveysIntent = IntentArgs<{ actor: SessionUser }>

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'manage.settings')
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  return dispatchIntent({ context, db, actor, formData }, { settings: handleSettings, send: handleSend }, unknownIntent)
}

async function handleSettings({ context, db, actor, formData }: SurveysIntent) {
  const submission = parseWithZod(formData, { schema: NpsSettingsFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await updateNpsSettings(db, { actor, settings: settingsFromNpsForm(submission.value) })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`/manage/surveys?done=${outcome.value.changed ? 'saved' : 'unchanged'}`)
}

/** Sends one batch to the members who are due, as the daily job does. */
async function handleSend({ db }: SurveysIntent) {
  const { surveyIds } = await sendDueSurveys(db)
  return redirect(`/manage/surveys?done=sent&sent=${surveyIds.length}#send-title`)
}

type Result = SubmissionResult<string[]>

export default function ManageSurveys({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const f = createFormatters(t, locale, timeZone)
  const { canEdit, settings, report, done } = loaderData
  const totals = report.trend.filter((row) => row.tier === 'all')
  const chartQuarters = report.quarters.map(
    (quarter) => totals.find((row) => row.quarter === quarter) ?? { quarter, promoters: 0, passives: 0, detractors: 0 },
  )
  return (
    <div className="stack">
      <h1>{t('nps.manage.title')}</h1>
      <p className="lead">{t('nps.manage.lead')}</p>
      {done && done.kind !== 'sent' ? (
        <p className="notice" role="status">
          {t(`nps.manage.${done.kind}`)}
        </p>
      ) : null}

      <SettingsForm
        key={JSON.stringify(settings)}
        settings={settings}
        readOnly={!canEdit}
        lastResult={actionData && 'result' in actionData ? (actionData.result as Result) : undefined}
      />

      {canEdit ? (
        <section className="panel stack" aria-labelledby="send-title">
          <h2 id="send-title">{t('nps.manage.send_title')}</h2>
          {done?.kind === 'sent' ? (
            <p className="notice" role="status">
              {t('nps.manage.sent', { count: done.count })}
            </p>
          ) : null}
          <p>{settings.enabled ? t('nps.manage.send_lead') : t('nps.manage.disabled_note')}</p>
          {settings.enabled ? (
            <Form method="post">
              <button type="submit" name="intent" value="send" className="button button-secondary">
                {t('nps.manage.send_now')}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      <section className="stack manage-section" aria-labelledby="figures-title">
        <h2 id="figures-title">{t('nps.manage.figures_title')}</h2>
        <StatCards
          stats={[
            { id: 'sent', label: t('nps.manage.figures.sent'), value: f.int(report.figures.sent) },
            { id: 'answered', label: t('nps.manage.figures.answered'), value: f.int(report.figures.answered) },
            {
              id: 'rate',
              label: t('nps.manage.figures.response_rate'),
              value: f.percent(report.figures.responseRate),
            },
            { id: 'opted-out', label: t('nps.manage.figures.opted_out'), value: f.int(report.figures.optedOut) },
          ]}
        />
      </section>

      <section className="stack manage-section" aria-labelledby="trend-title">
        <h2 id="trend-title">{t('nps.manage.trend_title')}</h2>
        <GroupedBarChart
          id="nps-quarters-chart"
          title={t('nps.manage.chart_title')}
          summary={t('nps.manage.chart_summary')}
          tableLabel={t('manage_dashboard.chart_table')}
          series={[
            { label: t('nps.manage.columns.promoters') },
            { label: t('nps.manage.columns.passives') },
            { label: t('nps.manage.columns.detractors') },
          ]}
          groups={chartQuarters.map((row) => ({
            label: row.quarter,
            values: [row.promoters, row.passives, row.detractors],
          }))}
          formatValue={f.int}
          table={
            <DataTable
              spec={npsTrendTable}
              rows={report.trend}
              f={f}
              csv="/manage/surveys/export.csv"
              empty={t('nps.manage.trend_empty')}
              rowKey={(row) => `${row.quarter}-${row.tier}`}
            />
          }
        />
      </section>

      <section className="stack manage-section" aria-labelledby="comments-title">
        <h2 id="comments-title">{t('nps.manage.comments_title')}</h2>
        {report.comments.length === 0 ? (
          <p className="empty">{t('nps.manage.comments_empty')}</p>
        ) : (
          <ul className="stack followup-comments">
            {report.comments.map((comment) => (
              <li key={comment.id}>
                <blockquote>{comment.comment}</blockquote>
                <p className="field-hint">
                  {t('nps.manage.comment_meta', {
                    account: comment.accountName ?? t('nps.manage.no_account'),
                    score: comment.score,
                    date: f.dateTime(comment.answeredAt),
                  })}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

function SettingsForm({
  settings,
  readOnly,
  lastResult,
}: {
  settings: NpsSettings
  readOnly: boolean
  lastResult: Result | undefined
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'nps-settings',
    lastResult,
    defaultValue: {
      enabled: settings.enabled ? 'on' : '',
      cadenceMonths: String(settings.cadenceMonths),
      audience: settings.audience,
      tiers: settings.tiers,
      activeOnly: settings.activeOnly ? 'on' : '',
      firstAfterDays: String(settings.firstAfterDays),
      productName: settings.productName,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NpsSettingsFormSchema }),
    shouldValidate: 'onSubmit',
  })
  const tierValues = new Set(
    ([] as unknown[]).concat(fields.tiers.value ?? fields.tiers.initialValue ?? []).map((value) => String(value)),
  )
  return (
    <section className="panel stack" aria-labelledby="nps-settings-title">
      <h2 id="nps-settings-title">{t('nps.manage.settings_title')}</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value="settings" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset className="stack" disabled={readOnly}>
          <legend className="visually-hidden">{t('nps.manage.settings_title')}</legend>
          <div className="choice">
            <input
              {...getInputProps(fields.enabled, { type: 'checkbox' })}
              aria-describedby={`${fields.enabled.id}-hint`}
            />{' '}
            <label htmlFor={fields.enabled.id}>{t('nps.manage.enabled')}</label>
            <p id={`${fields.enabled.id}-hint`} className="field-hint">
              {t('nps.manage.enabled_hint')}
            </p>
          </div>
          <SelectField
            label={t('nps.manage.cadence')}
            errors={fields.cadenceMonths.errors}
            selectProps={getSelectProps(fields.cadenceMonths)}
            options={npsCadences.map((months) => ({
              value: String(months),
              label: t(`nps.manage.cadence_options.${months}`),
            }))}
          />
          <p className="field-hint">{t('nps.manage.cadence_hint')}</p>
          <SelectField
            label={t('nps.manage.audience')}
            errors={fields.audience.errors}
            selectProps={getSelectProps(fields.audience)}
            options={npsAudiences.map((audience) => ({
              value: audience,
              label: t(`nps.manage.audiences.${audience}`),
            }))}
          />
          <fieldset className="field" aria-describedby={fields.tiers.errors ? fields.tiers.errorId : undefined}>
            <legend>{t('nps.manage.tiers')}</legend>
            {npsTiers.map((tier) => (
              <div key={tier} className="choice">
                <input
                  type="checkbox"
                  id={`${fields.tiers.id}-${tier}`}
                  name={fields.tiers.name}
                  value={tier}
                  defaultChecked={tierValues.has(tier)}
                />{' '}
                <label htmlFor={`${fields.tiers.id}-${tier}`}>{t(`nps.manage.tier_names.${tier}`)}</label>
              </div>
            ))}
            <ErrorList id={fields.tiers.errorId} errors={fields.tiers.errors} />
          </fieldset>
          <div className="choice">
            <input {...getInputProps(fields.activeOnly, { type: 'checkbox' })} />{' '}
            <label htmlFor={fields.activeOnly.id}>{t('nps.manage.active_only')}</label>
          </div>
          <Field
            label={t('nps.manage.first_after')}
            hint={t('nps.manage.first_after_hint')}
            errors={fields.firstAfterDays.errors}
            inputProps={{ ...getInputProps(fields.firstAfterDays, { type: 'text' }), inputMode: 'numeric' }}
          />
          <Field
            label={t('nps.manage.product_name')}
            hint={t('nps.manage.product_name_hint', { name: t('app.name') })}
            errors={fields.productName.errors}
            inputProps={getInputProps(fields.productName, { type: 'text' })}
          />
        </fieldset>
        {readOnly ? null : (
          <p>
            <button type="submit" className="button">
              {t('nps.manage.save')}
            </button>
          </p>
        )}
      </Form>
    </section>
  )
}
