import { getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react'
import type { ReactNode } from 'react'
import { Form } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { type DeliveryErrorKind, deliveryErrorMessage } from '#app/domain/notify/delivery-errors.ts'

/** What differs between the receivers of /support/settings: the form's intent (also its id), element
 *  ids the page links to (`#signing-secret`, `#crm-secret`) and catalogue keys. */
const receivers = {
  helpdesk: {
    intent: 'handoff',
    titleId: 'handoff-title',
    title: 'support_helpdesk.settings.handoff_title',
    webhookUrl: 'support_helpdesk.settings.webhook_url',
    webhookUrlHint: 'support_helpdesk.settings.webhook_url_hint',
    save: 'support_helpdesk.settings.save',
    secretId: 'signing-secret',
    secretInputId: 'webhook-secret',
    secretTitle: 'support_helpdesk.settings.secret_title',
    secretLabel: 'support_helpdesk.settings.secret_label',
    secretHint: 'support_helpdesk.settings.secret_hint',
    secretNone: 'support_helpdesk.settings.secret_none',
    testId: 'test-delivery-title',
    testTitle: 'support_helpdesk.settings.test_title',
    testLead: 'support_helpdesk.settings.test_lead',
  },
  crm: {
    intent: 'crm',
    titleId: 'crm-title',
    title: 'crm.settings.title',
    webhookUrl: 'crm.settings.webhook_url',
    webhookUrlHint: 'crm.settings.webhook_url_hint',
    save: 'crm.settings.save',
    secretId: 'crm-secret',
    secretInputId: 'crm-webhook-secret',
    secretTitle: 'crm.settings.secret_title',
    secretLabel: 'crm.settings.secret_label',
    secretHint: 'crm.settings.secret_hint',
    secretNone: 'crm.settings.secret_none',
    testId: 'crm-test-delivery-title',
    testTitle: 'crm.settings.test_title',
    testLead: 'crm.settings.test_lead',
  },
} as const

/** A webhook target (`webhook_target`) with a section on the settings page. */
export type ReceiverTarget = keyof typeof receivers

/** One more field of a receiver's form, after its URL (the helpdesk's support address). */
export type ReceiverField = {
  name: string
  type: 'email' | 'text'
  label: string
  hint: string
  value: string | null
}

/** What the page's action answered to a test delivery; an answer without a target is the helpdesk's. */
export type TestData =
  | {
      target?: ReceiverTarget
      test?: {
        deliveryId: number
        delivered: boolean
        statusCode: number | null
        error: DeliveryErrorKind | null
      } | null
      testError?: string | null
    }
  | undefined

/** One receiver's sections: the form with its URL (and `fields`), its signing secret with a button to
 *  make or replace it, and, once a URL is set, a test delivery. The helpdesk and the CRM each render
 *  one; `intro` goes under the form's heading and `secretNotes` at the end of the secret's section.
 *  Give it a `key` of the saved values, so a save starts the form afresh. */
export function ReceiverSettings({
  target,
  webhookUrl,
  secret,
  fields = [],
  lastResult,
  actionData,
  intro,
  secretNotes,
}: {
  target: ReceiverTarget
  webhookUrl: string | null
  secret: string | null
  fields?: ReceiverField[]
  lastResult: SubmissionResult<string[]> | undefined
  actionData: TestData
  intro: ReactNode
  secretNotes: ReactNode
}) {
  const { t } = useT()
  const texts = receivers[target]
  const [form, formFields] = useForm<Record<string, string>>({
    id: texts.intent,
    lastResult,
    defaultValue: {
      webhookUrl: webhookUrl ?? '',
      ...Object.fromEntries(fields.map((field) => [field.name, field.value ?? ''])),
    },
  })
  return (
    <>
      <section className="panel stack" aria-labelledby={texts.titleId}>
        <h2 id={texts.titleId}>{t(texts.title)}</h2>
        {intro}
        <Form method="post" {...getFormProps(form)} className="stack narrow">
          <input type="hidden" name="intent" value={texts.intent} />
          <FormErrors id={form.errorId} errors={form.errors} />
          <Field
            label={t(texts.webhookUrl)}
            hint={t(texts.webhookUrlHint)}
            errors={formFields.webhookUrl!.errors}
            inputProps={{ ...getInputProps(formFields.webhookUrl!, { type: 'url' }), placeholder: 'https://' }}
          />
          {fields.map((field) => (
            <Field
              key={field.name}
              label={field.label}
              hint={field.hint}
              errors={formFields[field.name]!.errors}
              inputProps={{ ...getInputProps(formFields[field.name]!, { type: field.type }), autoComplete: 'off' }}
            />
          ))}
          <div>
            <button type="submit" className="button">
              {t(texts.save)}
            </button>
          </div>
        </Form>
      </section>

      <section className="panel stack" aria-labelledby={texts.secretId}>
        <h2 id={texts.secretId}>{t(texts.secretTitle)}</h2>
        {secret ? (
          <div className="field">
            <label htmlFor={texts.secretInputId}>{t(texts.secretLabel)}</label>
            <input
              id={texts.secretInputId}
              type="text"
              readOnly
              value={secret}
              className="feed-url"
              aria-describedby={`${texts.secretInputId}-hint`}
            />
            <p id={`${texts.secretInputId}-hint`} className="field-hint">
              {t(texts.secretHint)}
            </p>
          </div>
        ) : (
          <p>{t(texts.secretNone)}</p>
        )}
        <Form method="post">
          <input type="hidden" name="intent" value="rotate-secret" />
          <input type="hidden" name="target" value={target} />
          {secret ? <p className="muted">{t('support_helpdesk.settings.rotate_warning')}</p> : null}
          <button type="submit" className={secret ? 'button button-secondary' : 'button'}>
            {secret ? t('support_helpdesk.settings.rotate') : t('support_helpdesk.settings.generate')}
          </button>
        </Form>
        {secretNotes}
      </section>

      {webhookUrl ? <TestDelivery target={target} actionData={actionData} /> : null}
    </>
  )
}

/** Sends a ping to one target's receiver and shows its answer (only the answer of this target's form:
 *  an answer without a target is the helpdesk's). */
function TestDelivery({ target, actionData }: { target: ReceiverTarget; actionData: TestData }) {
  const { t } = useT()
  const mine = (actionData?.target ?? 'helpdesk') === target ? actionData : undefined
  const test = mine?.test
  const texts = receivers[target]
  const failure = test ? deliveryErrorMessage(test.error, test.statusCode) : null
  return (
    <section className="panel stack" aria-labelledby={texts.testId}>
      <h2 id={texts.testId}>{t(texts.testTitle)}</h2>
      <p>{t(texts.testLead)}</p>
      {test ? (
        test.delivered ? (
          <p className="notice" role="status">
            {t('support_helpdesk.settings.test_ok', { status: test.statusCode ?? '' })}
          </p>
        ) : (
          <div className="form-errors" role="alert">
            <p>
              {t('support_helpdesk.settings.test_failed', {
                error: failure ? t(failure.key, failure.params) : '',
              })}
            </p>
          </div>
        )
      ) : null}
      {mine?.testError ? (
        <div className="form-errors" role="alert">
          <p>{mine.testError}</p>
        </div>
      ) : null}
      <Form method="post">
        <input type="hidden" name="intent" value="test" />
        <input type="hidden" name="target" value={target} />
        <button type="submit" className="button button-secondary">
          {t('support_helpdesk.settings.test_send')}
        </button>
      </Form>
    </section>
  )
}
