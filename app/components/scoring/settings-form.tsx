import {
  type FieldMetadata,
  getFormProps,
  getInputProps,
  getSelectProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form } from 'react-router'
import { ErrorList, Field, FormErrors, SelectField } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { activityTypes } from '#app/domain/activity/activity-types.ts'
import { healthMeasures } from '#app/domain/scoring/settings.ts'
import './scoring.css'
import {
  cappableTypes,
  MAX_PERIOD_LABEL,
  type ScoringSettingsForm,
  ScoringSettingsFormSchema,
  SPARE_PERIOD_ROWS,
  SPARE_RATE_ROWS,
} from '#app/domain/scoring/settings-form.ts'

type NumberFieldProps = {
  field: FieldMetadata<number | undefined>
  label: string
  hint?: string
  /** Decimals are allowed unless the value is whole. */
  whole?: boolean
}

/** A labelled number input for one setting, its errors next to it. */
function NumberField({ field, label, hint, whole = false }: NumberFieldProps) {
  return (
    <Field
      label={label}
      hint={hint}
      errors={field.errors}
      inputProps={{
        ...getInputProps(field, { type: 'number' }),
        step: whole ? 1 : 'any',
        inputMode: whole ? 'numeric' : 'decimal',
      }}
    />
  )
}

/** A text input for one day of a holiday period (`MM-DD` or `YYYY-MM-DD`). */
function DayField({ field, label }: { field: FieldMetadata<string | undefined>; label: string }) {
  return (
    <Field
      label={label}
      errors={field.errors}
      inputProps={{ ...getInputProps(field, { type: 'text' }), maxLength: 10, autoComplete: 'off' }}
    />
  )
}

/** Every scoring setting in one form, grouped as the model reads (docs/architecture.md section 6). Staff see it
 *  read-only (`readOnly` disables every field and hides the button). Without JavaScript the server
 *  validates with the same schema and sends back the values with the errors. */
export function ScoringSettingsEditor({
  defaultValue,
  lastResult,
  readOnly,
}: {
  defaultValue: ScoringSettingsForm
  lastResult: SubmissionResult<string[]> | undefined
  readOnly: boolean
}) {
  const { t } = useT()
  const rateRows = (defaultValue.tiers.rates?.length ?? 0) + SPARE_RATE_ROWS
  const periodRows = (defaultValue.holidays.periods?.length ?? 0) + SPARE_PERIOD_ROWS
  const [form, fields] = useForm({
    id: 'scoring-settings',
    lastResult,
    defaultValue: {
      ...defaultValue,
      tiers: {
        ...defaultValue.tiers,
        rates: Array.from({ length: rateRows }, (_, index) => defaultValue.tiers.rates[index] ?? {}),
      },
      holidays: {
        ...defaultValue.holidays,
        periods: Array.from({ length: periodRows }, (_, index) => defaultValue.holidays.periods[index] ?? {}),
      },
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ScoringSettingsFormSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const points = fields.points.getFieldset()
  const caps = fields.caps.getFieldset()
  const levels = fields.levels.getFieldset()
  const overall = fields.overall.getFieldset()
  const bandScore = fields.bandScore.getFieldset()
  const weights = fields.weights.getFieldset()
  const eventsByTier = fields.eventsWeightByTier.getFieldset()
  const engagement = fields.engagement.getFieldset()
  const trend = fields.trend.getFieldset()
  const breadth = fields.breadth.getFieldset()
  const supportLoad = fields.supportLoad.getFieldset()
  const selfService = fields.selfService.getFieldset()
  const events = fields.events.getFieldset()
  const sentiment = fields.sentiment.getFieldset()
  const onboarding = fields.onboarding.getFieldset()
  const breadthChange = fields.breadthChange.getFieldset()
  const champions = fields.champions.getFieldset()
  const ticketSurge = fields.ticketSurge.getFieldset()
  const holidays = fields.holidays.getFieldset()
  const periods = holidays.periods.getFieldList()
  const tiers = fields.tiers.getFieldset()
  const rates = tiers.rates.getFieldList()
  const s = (key: string, params?: Record<string, string | number>) => t(`manage.settings.${key}`, params)
  const days = s('unit.days')
  const workingDays = s('unit.working_days')
  const percent = s('unit.percent')

  return (
    <Form method="post" {...getFormProps(form)} className="stack scoring-settings">
      <input type="hidden" name="intent" value="scoring" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset className="stack" disabled={readOnly}>
        <legend className="visually-hidden">{s('title')}</legend>

        <fieldset className="panel stack">
          <legend>{s('points.legend')}</legend>
          <p className="field-hint">{s('points.hint')}</p>
          <div className="settings-grid">
            {activityTypes.map((type) => (
              <NumberField key={type} field={points[type]} label={t(`profile.activity.${type}`)} />
            ))}
          </div>
          <h3>{s('caps.legend')}</h3>
          <p className="field-hint">{s('caps.hint')}</p>
          <div className="settings-grid">
            {cappableTypes.map((type) => (
              <NumberField
                key={type}
                field={caps[type] as FieldMetadata<number | undefined>}
                label={s('caps.label', { type: t(`profile.activity.${type}`) })}
                whole
              />
            ))}
          </div>
          <NumberField field={fields.halfLifeDays} label={s('half_life')} hint={s('half_life_hint')} whole />
        </fieldset>

        <fieldset className="panel stack">
          <legend>{s('levels.legend')}</legend>
          <div className="settings-grid">
            <NumberField field={levels.participant} label={t('profile.levels.participant')} />
            <NumberField field={levels.contributor} label={t('profile.levels.contributor')} />
            <NumberField field={levels.champion} label={t('profile.levels.champion')} />
            <NumberField
              field={levels.demoteBelowPercent}
              label={s('levels.demote_below')}
              hint={s('levels.demote_below_hint')}
            />
          </div>
        </fieldset>

        <fieldset className="panel stack">
          <legend>{s('overall.legend')}</legend>
          <p className="field-hint">{s('overall.hint')}</p>
          <div className="settings-grid">
            <NumberField field={overall.goodFrom} label={s('overall.good_from')} />
            <NumberField field={overall.normalFrom} label={s('overall.normal_from')} />
            <NumberField
              field={overall.minCoveragePercent}
              label={s('overall.min_coverage')}
              hint={s('overall.min_coverage_hint')}
            />
            <NumberField field={overall.margin} label={s('overall.margin')} hint={s('overall.margin_hint')} />
            <NumberField
              field={overall.confirmDays}
              label={s('overall.confirm_days')}
              hint={s('overall.confirm_days_hint')}
              whole
            />
            <NumberField field={bandScore.GOOD} label={s('overall.worth', { band: t('scoring.level.GOOD') })} />
            <NumberField field={bandScore.NORMAL} label={s('overall.worth', { band: t('scoring.level.NORMAL') })} />
            <NumberField field={bandScore.BAD} label={s('overall.worth', { band: t('scoring.level.BAD') })} />
          </div>
        </fieldset>

        <fieldset className="panel stack">
          <legend>{s('weights.legend')}</legend>
          <p className="field-hint">{s('weights.hint')}</p>
          <div className="settings-grid">
            {healthMeasures.map((measure) => (
              <NumberField
                key={measure}
                field={weights[measure]}
                label={s('weights.label', { measure: t(`scoring.measure.${measure}.title`) })}
              />
            ))}
          </div>
          <h3>{s('weights.events_by_tier')}</h3>
          <div className="settings-grid">
            <NumberField field={eventsByTier.high} label={s('tier.high')} />
            <NumberField field={eventsByTier.low} label={s('tier.low')} />
            <NumberField field={eventsByTier.tech} label={s('tier.tech')} />
          </div>
        </fieldset>

        <fieldset className="panel stack">
          <legend>{s('measures.legend')}</legend>
          <MeasureGroup title={t('scoring.measure.engagement.title')}>
            <NumberField field={engagement.goodFromPercentile} label={s('measures.good_from_percentile')} />
            <NumberField field={engagement.normalFromPercentile} label={s('measures.normal_from_percentile')} />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.trend.title')} hint={s('measures.trend_hint')}>
            <NumberField field={trend.days} label={s('measures.window', { unit: workingDays })} whole />
            <NumberField field={trend.badDeclinePercent} label={s('measures.bad_decline', { unit: percent })} />
            <NumberField field={trend.normalDeclinePercent} label={s('measures.normal_decline', { unit: percent })} />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.breadth.title')} hint={s('measures.breadth_hint')}>
            <NumberField field={breadth.days} label={s('measures.window', { unit: workingDays })} whole />
            <NumberField field={breadth.goodFromPercent} label={s('measures.good_from', { unit: percent })} />
            <NumberField field={breadth.normalFromPercent} label={s('measures.normal_from', { unit: percent })} />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.breadthChange.title')} hint={s('measures.breadth_change_hint')}>
            <NumberField
              field={breadthChange.agoDays}
              label={s('measures.breadth_change_ago')}
              hint={s('measures.breadth_change_ago_hint')}
              whole
            />
            <NumberField
              field={breadthChange.badDeclinePercent}
              label={s('measures.bad_member_decline', { unit: percent })}
            />
            <NumberField
              field={breadthChange.normalDeclinePercent}
              label={s('measures.normal_member_decline', { unit: percent })}
            />
            <NumberField
              field={breadthChange.minBaseline}
              label={s('measures.breadth_change_min')}
              hint={s('measures.breadth_change_min_hint')}
              whole
            />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.champions.title')} hint={s('measures.champions_hint')}>
            <NumberField
              field={champions.baselineDays}
              label={s('measures.champions_baseline')}
              hint={s('measures.champions_baseline_hint')}
              whole
            />
            <NumberField
              field={champions.silentDays}
              label={s('measures.champions_silent')}
              hint={s('measures.champions_silent_hint')}
              whole
            />
            <NumberField
              field={champions.minSharePercent}
              label={s('measures.champions_min_share')}
              hint={s('measures.champions_min_share_hint')}
            />
            <NumberField
              field={champions.minPoints}
              label={s('measures.champions_min_points')}
              hint={s('measures.champions_min_points_hint')}
            />
            <NumberField field={champions.normalFromPercent} label={s('measures.champions_normal_from')} />
            <NumberField
              field={champions.badFromPercent}
              label={s('measures.champions_bad_from')}
              hint={s('measures.champions_bad_from_hint')}
            />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.supportLoad.title')} hint={s('measures.support_load_hint')}>
            <NumberField field={supportLoad.days} label={s('measures.window', { unit: days })} whole />
            <NumberField field={supportLoad.goodUpTo} label={s('measures.good_up_to_median')} />
            <NumberField field={supportLoad.normalUpTo} label={s('measures.normal_up_to_median')} />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.ticketSurge.title')} hint={s('measures.ticket_surge_hint')}>
            <NumberField field={ticketSurge.days} label={s('measures.recent_window', { unit: days })} whole />
            <NumberField field={ticketSurge.baselineDays} label={s('measures.baseline_window', { unit: days })} whole />
            <NumberField field={ticketSurge.goodUpTo} label={s('measures.good_up_to_baseline')} />
            <NumberField field={ticketSurge.normalUpTo} label={s('measures.normal_up_to_baseline')} />
            <NumberField
              field={ticketSurge.minTickets}
              label={s('measures.ticket_surge_min')}
              hint={s('measures.ticket_surge_min_hint')}
              whole
            />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.selfService.title')}>
            <NumberField field={selfService.days} label={s('measures.window', { unit: days })} whole />
            <NumberField field={selfService.goodFromPercent} label={s('measures.good_from', { unit: percent })} />
            <NumberField field={selfService.normalFromPercent} label={s('measures.normal_from', { unit: percent })} />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.events.title')}>
            <NumberField field={events.days} label={s('measures.window', { unit: days })} whole />
            <NumberField field={events.goodFrom} label={s('measures.good_from_count')} whole />
            <NumberField field={events.normalFrom} label={s('measures.normal_from_count')} whole />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.sentiment.title')} hint={s('measures.sentiment_hint')}>
            <NumberField field={sentiment.days} label={s('measures.window', { unit: days })} whole />
            <NumberField
              field={sentiment.halfLifeDays}
              label={s('measures.answer_half_life')}
              hint={s('measures.answer_half_life_hint')}
              whole
            />
            <NumberField
              field={sentiment.fullWeightAnswers}
              label={s('measures.full_weight_answers')}
              hint={s('measures.full_weight_answers_hint')}
              whole
            />
            <NumberField field={sentiment.goodFrom} label={s('measures.good_from_nps')} />
            <NumberField field={sentiment.normalFrom} label={s('measures.normal_from_nps')} />
          </MeasureGroup>
          <MeasureGroup title={s('measures.detractors_title')} hint={s('measures.detractors_hint')}>
            <NumberField field={sentiment.detractorDays} label={s('measures.detractor_days')} whole />
            <NumberField
              field={sentiment.detractorMin}
              label={s('measures.detractor_min')}
              hint={s('measures.detractor_min_hint')}
              whole
            />
            <NumberField field={sentiment.detractorSharePercent} label={s('measures.detractor_share')} />
            <SelectField
              label={s('measures.detractor_cap')}
              errors={sentiment.detractorCap.errors}
              selectProps={getSelectProps(sentiment.detractorCap)}
              options={(['NORMAL', 'BAD'] as const).map((band) => ({ value: band, label: t(`scoring.level.${band}`) }))}
            />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.onboarding.title')} hint={s('measures.onboarding_hint')}>
            <NumberField field={onboarding.youngerThanDays} label={s('measures.onboarding_window')} whole />
            <NumberField field={onboarding.firstDays} label={s('measures.onboarding_first_days')} whole />
            <NumberField field={onboarding.milestoneDays} label={s('measures.onboarding_milestone_days')} whole />
            <NumberField
              field={onboarding.membersFromPercent}
              label={s('measures.onboarding_members')}
              hint={s('measures.onboarding_members_hint')}
            />
            <NumberField field={onboarding.activeDaysFrom} label={s('measures.onboarding_active_days')} whole />
          </MeasureGroup>
          <MeasureGroup title={s('measures.silent_title')} hint={s('measures.silent_hint')}>
            <NumberField field={fields.silentDays} label={s('measures.silent_days')} whole />
          </MeasureGroup>
        </fieldset>

        <fieldset className="panel stack">
          <legend>{s('holidays.legend')}</legend>
          <p className="field-hint">{s('holidays.hint')}</p>
          <div className="choice">
            <input
              {...getInputProps(holidays.japan, { type: 'checkbox' })}
              aria-describedby={`${holidays.japan.id}-hint`}
            />{' '}
            <label htmlFor={holidays.japan.id}>{s('holidays.japan')}</label>
            <p id={`${holidays.japan.id}-hint`} className="field-hint">
              {s('holidays.japan_hint')}
            </p>
          </div>
          <h3>{s('holidays.periods')}</h3>
          <p className="field-hint">{s('holidays.periods_hint')}</p>
          <ErrorList id={holidays.periods.errorId} errors={holidays.periods.errors} />
          <div className="stack">
            {periods.map((row, index) => {
              const period = row.getFieldset()
              return (
                <div className="form-row" key={row.key}>
                  <DayField field={period.from} label={s('holidays.from', { n: index + 1 })} />
                  <DayField field={period.to} label={s('holidays.to', { n: index + 1 })} />
                  <Field
                    label={s('holidays.label', { n: index + 1 })}
                    errors={period.label.errors}
                    inputProps={{ ...getInputProps(period.label, { type: 'text' }), maxLength: MAX_PERIOD_LABEL }}
                  />
                </div>
              )
            })}
          </div>
        </fieldset>

        <fieldset className="panel stack">
          <legend>{s('tiers.legend')}</legend>
          <p className="field-hint">{s('tiers.hint')}</p>
          <div className="settings-grid">
            <Field
              label={s('tiers.currency')}
              errors={tiers.currency.errors}
              inputProps={{
                ...getInputProps(tiers.currency, { type: 'text' }),
                maxLength: 3,
                autoCapitalize: 'characters',
                className: 'input-currency',
              }}
            />
            <NumberField field={tiers.highFrom} label={s('tiers.high_from')} />
            <NumberField field={tiers.lowFrom} label={s('tiers.low_from')} />
          </div>
          <h3 id="rates-title">{s('tiers.rates')}</h3>
          <p className="field-hint">{s('tiers.rates_hint')}</p>
          <ErrorList id={tiers.rates.errorId} errors={tiers.rates.errors} />
          <div className="stack">
            {rates.map((row, index) => {
              const rate = row.getFieldset()
              return (
                <div className="form-row" key={row.key}>
                  <Field
                    label={s('tiers.rate_currency', { n: index + 1 })}
                    errors={rate.currency.errors}
                    inputProps={{
                      ...getInputProps(rate.currency, { type: 'text' }),
                      maxLength: 3,
                      autoCapitalize: 'characters',
                      className: 'input-currency',
                    }}
                  />
                  <NumberField field={rate.rate} label={s('tiers.rate_value', { n: index + 1 })} />
                </div>
              )
            })}
          </div>
        </fieldset>

        <fieldset className="panel stack">
          <legend>{s('margin.legend')}</legend>
          <p className="field-hint">{s('margin.hint')}</p>
          <div className="settings-grid">
            <NumberField field={fields.grossMarginPercent} label={s('margin.gross_margin')} />
          </div>
        </fieldset>
      </fieldset>
      {readOnly ? (
        <p className="notice">{s('read_only')}</p>
      ) : (
        <p className="inline-actions">
          <button type="submit" className="button">
            {s('save')}
          </button>
          <span className="field-hint">{s('save_hint')}</span>
        </p>
      )}
    </Form>
  )
}

/** One measure's settings, with what the measure looks at in a line under its name. */
function MeasureGroup({ title, hint, children }: { title: string; hint?: string; children: React.ReactNode }) {
  return (
    <fieldset className="measure-group stack">
      <legend>{title}</legend>
      {hint ? <p className="field-hint">{hint}</p> : null}
      <div className="settings-grid">{children}</div>
    </fieldset>
  )
}
