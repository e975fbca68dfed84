import { getFormProps, getInputProps, getSelectProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form } from 'react-router'
import { ErrorList, Field, FormErrors, OneTimeKeyField, SelectField } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { SsoProviderSchema, ssoAccountMatches } from '#app/domain/identity/sso-schemas.ts'

export type SsoFormValues = {
  name?: string
  slug?: string
  issuer?: string
  clientId?: string
  /** Never filled in: the secret is write-only. */
  clientSecret?: string
  scopes?: string
  accountClaim?: string
  accountMatch?: string
  passwordSignIn?: string
  enabled?: string
}

/** A checkbox's attributes without the `key` conform adds (React refuses a spread key). */
function checkbox(field: Parameters<typeof getInputProps>[0]) {
  const { key: _key, ...props } = getInputProps(field, { type: 'checkbox' })
  return props
}

/** The settings a new provider starts with. */
export const newProviderDefaults: SsoFormValues = {
  scopes: 'openid email profile',
  accountMatch: 'external_id',
  passwordSignIn: 'on',
  enabled: 'on',
}

type SsoFormProps = {
  id: string
  lastResult?: SubmissionResult<string[]>
  defaultValue: SsoFormValues
  submitLabel: string
  /** Whether a secret is stored (edit form), which the hint says; null for a new provider. */
  hasSecret: boolean | null
  /** The one-time key of the create form (docs/decisions/027); the edit form has none. */
  submissionKey?: string
  intent: 'create' | 'save'
}

/** The fields of SsoProviderSchema, for adding and editing a provider. The secret is write-only: it
 *  is never put in the page, and an empty field keeps the stored one. */
export function SsoProviderForm({
  id,
  lastResult,
  defaultValue,
  submitLabel,
  hasSecret,
  submissionKey,
  intent,
}: SsoFormProps) {
  const { t } = useT()
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SsoProviderSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const secretHint =
    hasSecret === null
      ? 'sso.admin.fields.client_secret_hint_new'
      : hasSecret
        ? 'sso.admin.fields.client_secret_hint_keep'
        : 'sso.admin.fields.client_secret_hint_none'
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <input type="hidden" name="intent" value={intent} />
      <OneTimeKeyField value={submissionKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <Field
        label={t('sso.admin.fields.name')}
        hint={t('sso.admin.fields.name_hint')}
        errors={fields.name.errors}
        inputProps={{ ...getInputProps(fields.name, { type: 'text' }), required: true, maxLength: 60 }}
      />
      <Field
        label={t('sso.admin.fields.slug')}
        hint={t('sso.admin.fields.slug_hint')}
        errors={fields.slug.errors}
        inputProps={{
          ...getInputProps(fields.slug, { type: 'text' }),
          required: true,
          maxLength: 40,
          autoCapitalize: 'none',
          spellCheck: false,
        }}
      />
      <Field
        label={t('sso.admin.fields.issuer')}
        hint={t('sso.admin.fields.issuer_hint')}
        errors={fields.issuer.errors}
        inputProps={{
          ...getInputProps(fields.issuer, { type: 'text' }),
          required: true,
          maxLength: 500,
          inputMode: 'url',
          autoCapitalize: 'none',
          spellCheck: false,
        }}
      />
      <Field
        label={t('sso.admin.fields.client_id')}
        errors={fields.clientId.errors}
        inputProps={{
          ...getInputProps(fields.clientId, { type: 'text' }),
          required: true,
          maxLength: 255,
          autoComplete: 'off',
          spellCheck: false,
        }}
      />
      <Field
        label={t('sso.admin.fields.client_secret')}
        hint={t(secretHint)}
        errors={fields.clientSecret.errors}
        inputProps={{
          ...getInputProps(fields.clientSecret, { type: 'password' }),
          defaultValue: undefined,
          maxLength: 1000,
          autoComplete: 'new-password',
        }}
      />
      <Field
        label={t('sso.admin.fields.scopes')}
        hint={t('sso.admin.fields.scopes_hint')}
        errors={fields.scopes.errors}
        inputProps={{
          ...getInputProps(fields.scopes, { type: 'text' }),
          maxLength: 500,
          autoCapitalize: 'none',
          spellCheck: false,
        }}
      />
      <Field
        label={t('sso.admin.fields.account_claim')}
        hint={t('sso.admin.fields.account_claim_hint')}
        errors={fields.accountClaim.errors}
        inputProps={{
          ...getInputProps(fields.accountClaim, { type: 'text' }),
          maxLength: 100,
          autoCapitalize: 'none',
          spellCheck: false,
        }}
      />
      <SelectField
        label={t('sso.admin.fields.account_match')}
        errors={fields.accountMatch.errors}
        selectProps={getSelectProps(fields.accountMatch)}
        options={ssoAccountMatches.map((value) => ({ value, label: t(`sso.admin.match.${value}`) }))}
      />
      <div className="stack">
        <label className="choice">
          <input {...checkbox(fields.passwordSignIn)} aria-describedby={`${fields.passwordSignIn.id}-hint`} />{' '}
          {t('sso.admin.fields.password_sign_in')}
        </label>
        <p id={`${fields.passwordSignIn.id}-hint`} className="field-hint">
          {t('sso.admin.fields.password_sign_in_hint')}
        </p>
        <ErrorList id={fields.passwordSignIn.errorId} errors={fields.passwordSignIn.errors} />
        <label className="choice">
          <input {...checkbox(fields.enabled)} /> {t('sso.admin.fields.enabled')}
        </label>
        <ErrorList id={fields.enabled.errorId} errors={fields.enabled.errors} />
      </div>
      <div>
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </div>
    </Form>
  )
}
