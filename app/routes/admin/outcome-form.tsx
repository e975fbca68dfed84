import { getFormProps, getInputProps, getSelectProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { useEffect, useState } from 'react'
import { Form } from 'react-router'
import { Field, FormErrors, SelectField, TextareaField } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import {
  churnReasons,
  fieldsForKind,
  OUTCOME_NOTE_MAX,
  OutcomeFormSchema,
  type RecordableKind,
  recordableKinds,
} from '#app/domain/retention/schemas.ts'

/** The admin's form to record an outcome on the account page. Every field shows without JavaScript,
 *  each hint saying which outcomes it is for; with JavaScript the fields the chosen outcome does not
 *  take are hidden (and not sent). */
export function OutcomeForm({
  lastResult,
  currency,
  today,
}: {
  lastResult?: SubmissionResult<string[]>
  currency: string
  today: string
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'record-outcome',
    lastResult,
    defaultValue: { kind: 'renewal', effectiveOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: OutcomeFormSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  // Before hydration (and without JavaScript) every field shows.
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  const kind = recordableKinds.find((k) => k === fields.kind.value) as RecordableKind | undefined
  const takes = (field: 'arr' | 'nextRenewalOn' | 'reason') => !hydrated || !kind || fieldsForKind[kind][field]
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <input type="hidden" name="intent" value="record-outcome" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <p className="field-hint">{t('outcomes.section.record_lead')}</p>
      <SelectField
        label={t('outcomes.section.fields.kind')}
        errors={fields.kind.errors}
        selectProps={getSelectProps(fields.kind)}
        options={recordableKinds.map((value) => ({ value, label: t(`outcomes.kinds.${value}`) }))}
      />
      <Field
        label={t('outcomes.section.fields.effectiveOn')}
        errors={fields.effectiveOn.errors}
        inputProps={{ ...getInputProps(fields.effectiveOn, { type: 'date' }), required: true }}
      />
      <div hidden={!takes('arr')}>
        <Field
          label={t('outcomes.section.fields.arr', { currency })}
          hint={t('outcomes.section.fields.arr_hint')}
          errors={fields.arr.errors}
          inputProps={{ ...getInputProps(fields.arr, { type: 'text' }), inputMode: 'decimal', disabled: !takes('arr') }}
        />
      </div>
      <div hidden={!takes('nextRenewalOn')}>
        <Field
          label={t('outcomes.section.fields.nextRenewalOn')}
          hint={t('outcomes.section.fields.nextRenewalOn_hint')}
          errors={fields.nextRenewalOn.errors}
          inputProps={{ ...getInputProps(fields.nextRenewalOn, { type: 'date' }), disabled: !takes('nextRenewalOn') }}
        />
      </div>
      <div hidden={!takes('reason')} className="stack">
        <p className="field-hint">{t('outcomes.section.fields.reason_hint')}</p>
        <SelectField
          label={t('outcomes.section.fields.reason')}
          errors={fields.reason.errors}
          selectProps={{ ...getSelectProps(fields.reason), disabled: !takes('reason') }}
          options={[
            { value: '', label: t('outcomes.section.fields.reason_none') },
            ...churnReasons.map((value) => ({ value, label: t(`outcomes.reasons.${value}`) })),
          ]}
        />
      </div>
      <TextareaField
        label={t('outcomes.section.fields.note')}
        hint={t('outcomes.section.fields.note_hint')}
        errors={fields.note.errors}
        textareaProps={{ ...getInputProps(fields.note, { type: 'text' }), rows: 3, maxLength: OUTCOME_NOTE_MAX }}
      />
      <button type="submit" className="button">
        {t('outcomes.section.record_submit')}
      </button>
    </Form>
  )
}
