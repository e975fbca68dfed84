import { getFormProps, getInputProps, getSelectProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form } from 'react-router'
import { Field, FormErrors, OneTimeKeyField, SelectField } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { AccountSchema } from '#app/domain/identity/schemas.ts'

export type AccountFormValues = {
  name?: string
  domains?: string
  plan?: string
  arr?: string
  arrCurrency?: string
  seats?: string
  contractStart?: string
  renewalDate?: string
  csmUserId?: string
  touchTierOverride?: string
}

type AccountFormProps = {
  id: string
  lastResult?: SubmissionResult<string[]>
  defaultValue: AccountFormValues
  staff: { id: number; displayName: string; email: string }[]
  submitLabel: string
  /** The one-time key of the create form (docs/decisions/027); the edit form has none. */
  submissionKey?: string
  /** The ARR follows recorded outcomes: ARR and currency are shown read-only (and sent unchanged). */
  arrLocked?: boolean
}

/** The fields of AccountSchema, for creating and editing an account. No constraint attributes are
 *  derived from the schema: its optional fields are transforms, which would come out as `required`. */
export function AccountForm({
  id,
  lastResult,
  defaultValue,
  staff,
  submitLabel,
  submissionKey,
  arrLocked = false,
}: AccountFormProps) {
  const { t } = useT()
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AccountSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  // The schema checks each domain on its own, so errors arrive on domains[0], domains[1]...
  const domainErrors = [...new Set(Object.values(fields.domains.allErrors).flat())]
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <OneTimeKeyField value={submissionKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <Field
        label={t('admin.account.fields.name')}
        errors={fields.name.errors}
        inputProps={{ ...getInputProps(fields.name, { type: 'text' }), required: true, maxLength: 120 }}
      />
      <Field
        label={t('admin.account.fields.domains')}
        hint={t('admin.account.fields.domains_hint')}
        errors={domainErrors}
        inputProps={getInputProps(fields.domains, { type: 'text' })}
      />
      <Field
        label={t('admin.account.fields.plan')}
        errors={fields.plan.errors}
        inputProps={{ ...getInputProps(fields.plan, { type: 'text' }), maxLength: 60 }}
      />
      <Field
        label={t('admin.account.fields.arr')}
        hint={t(arrLocked ? 'admin.account.fields.arr_locked_hint' : 'admin.account.fields.arr_hint')}
        errors={fields.arr.errors}
        inputProps={{ ...getInputProps(fields.arr, { type: 'text' }), inputMode: 'decimal', readOnly: arrLocked }}
      />
      <Field
        label={t('admin.account.fields.arrCurrency')}
        hint={t(arrLocked ? 'admin.account.fields.arr_locked_hint' : 'admin.account.fields.arrCurrency_hint')}
        errors={fields.arrCurrency.errors}
        inputProps={{
          ...getInputProps(fields.arrCurrency, { type: 'text' }),
          maxLength: 3,
          autoCapitalize: 'characters',
          readOnly: arrLocked,
        }}
      />
      <Field
        label={t('admin.account.fields.seats')}
        errors={fields.seats.errors}
        inputProps={{ ...getInputProps(fields.seats, { type: 'text' }), inputMode: 'numeric' }}
      />
      <Field
        label={t('admin.account.fields.contractStart')}
        errors={fields.contractStart.errors}
        inputProps={getInputProps(fields.contractStart, { type: 'date' })}
      />
      <Field
        label={t('admin.account.fields.renewalDate')}
        errors={fields.renewalDate.errors}
        inputProps={getInputProps(fields.renewalDate, { type: 'date' })}
      />
      <SelectField
        label={t('admin.account.fields.csmUserId')}
        errors={fields.csmUserId.errors}
        selectProps={getSelectProps(fields.csmUserId)}
        options={[
          { value: '', label: t('admin.account.csm_none') },
          ...staff.map((user) => ({ value: String(user.id), label: `${user.displayName} <${user.email}>` })),
        ]}
      />
      <SelectField
        label={t('admin.account.fields.touchTierOverride')}
        errors={fields.touchTierOverride.errors}
        selectProps={getSelectProps(fields.touchTierOverride)}
        options={[
          { value: '', label: t('admin.accounts.tiers.automatic') },
          { value: 'high', label: t('admin.accounts.tiers.high') },
          { value: 'low', label: t('admin.accounts.tiers.low') },
          { value: 'tech', label: t('admin.accounts.tiers.tech') },
        ]}
      />
      <button type="submit" className="button">
        {submitLabel}
      </button>
    </Form>
  )
}
