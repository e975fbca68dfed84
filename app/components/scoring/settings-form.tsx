import { type FieldMetadata, getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { activityTypes } from '#app/domain/activity/activity-types.ts'
import { healthMeasures } from '#app/domain/scoring/settings.ts'
import './scoring.css'
import {
  cappableTypes,
  type ScoringSettingsForm,
  ScoringSettingsFormSchema,
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
  const [form, fields] = useForm({
    id: 'scoring-settings',
    lastResult,
    defaultValue: {
      ...defaultValue,
      tiers: {
        ...defaultValue.tiers,
        rates: Array.from({ length: rateRows }, (_, index) => defaultValue.tiers.rates[index] ?? {}),
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
  const tiers = fields.tiers.getFieldset()
  const rates = tiers.rates.getFieldList()
  const s = (key: string, params?: Record<string, string | number>) => t(`manage.settings.${key}`, params)
  const days = s('unit.days')
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
          <MeasureGroup title={t('scoring.measure.trend.title')}>
            <NumberField field={trend.days} label={s('measures.window', { unit: days })} whole />
            <NumberField field={trend.badDeclinePercent} label={s('measures.bad_decline', { unit: percent })} />
            <NumberField field={trend.normalDeclinePercent} label={s('measures.normal_decline', { unit: percent })} />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.breadth.title')}>
            <NumberField field={breadth.days} label={s('measures.window', { unit: days })} whole />
            <NumberField field={breadth.goodFromPercent} label={s('measures.good_from', { unit: percent })} />
            <NumberField field={breadth.normalFromPercent} label={s('measures.normal_from', { unit: percent })} />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.supportLoad.title')}>
            <NumberField field={supportLoad.days} label={s('measures.window', { unit: days })} whole />
            <NumberField field={supportLoad.goodUpTo} label={s('measures.good_up_to_median')} />
            <NumberField field={supportLoad.normalUpTo} label={s('measures.normal_up_to_median')} />
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
          <MeasureGroup title={t('scoring.measure.sentiment.title')}>
            <NumberField field={sentiment.days} label={s('measures.window', { unit: days })} whole />
            <NumberField field={sentiment.minAnswers} label={s('measures.min_answers')} whole />
            <NumberField field={sentiment.goodFrom} label={s('measures.good_from_nps')} />
            <NumberField field={sentiment.normalFrom} label={s('measures.normal_from_nps')} />
          </MeasureGroup>
          <MeasureGroup title={t('scoring.measure.onboarding.title')}>
            <NumberField field={onboarding.youngerThanDays} label={s('measures.onboarding_window')} whole />
            <NumberField field={onboarding.firstDays} label={s('measures.onboarding_first_days')} whole />
          </MeasureGroup>
          <MeasureGroup title={s('measures.silent_title')}>
            <NumberField field={fields.silentDays} label={s('measures.silent_days')} whole />
          </MeasureGroup>
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

function MeasureGroup({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <fieldset className="measure-group">
      <legend>{title}</legend>
      <div className="settings-grid">{children}</div>
    </fieldset>
  )
}
