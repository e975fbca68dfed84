import { getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { can } from '#app/domain/identity/permissions.ts'
import { type DeliveryErrorKind, deliveryErrorMessage } from '#app/domain/support/delivery-errors.ts'
import { sendTestDelivery, type WebhookTarget, webhookTargets } from '#app/domain/support/handoff.server.ts'
import {
  CrmSettingsSchema,
  HandOffSettingsSchema,
  rotateWebhookSecret,
  saveCrmSettings,
  saveHandOffSettings,
} from '#app/domain/support/helpdesk-settings.server.ts'
import { readCrmSettings, readHelpdeskSettings } from '#app/domain/support/settings.server.ts'
import { getDb, requireCapability } from '#app/lib/auth.server.ts'
import { env } from '#app/lib/env.server.ts'
import { failureMessage, failureResponse } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { redactUrl } from '#app/lib/outbound.server.ts'
import { fail } from '#app/lib/outcome.ts'
import { fieldsOf, readForm } from '#app/lib/request-body.server.ts'
import type { Route } from './+types/settings'

const doneKinds = ['handoff', 'secret', 'crm', 'crm-secret'] as const

/** The target a form names; the helpdesk when it names none (the forms before the CRM existed). */
function targetOf(formData: FormData): WebhookTarget {
  const value = formData.get('target')
  return webhookTargets.find((target) => target === value) ?? 'helpdesk'
}

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'support_helpdesk.settings.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  // Where tickets and health changes go is an admin's; the cost of a ticket is at /manage/settings.
  const actor = requireCapability(context, request, 'support.configure')
  const db = getDb(context)
  const done = new URL(request.url).searchParams.get('done')
  const helpdesk = await readHelpdeskSettings(db)
  const crm = await readCrmSettings(db)
  return {
    canViewDeliveries: can(actor, 'support.view_tickets'),
    // A URL saved before credentials were refused is shown without them (and saved so next time).
    helpdesk: { ...helpdesk, webhookUrl: redactUrl(helpdesk.webhookUrl) },
    crm: { ...crm, webhookUrl: redactUrl(crm.webhookUrl) },
    crmEndpoints: [
      `GET ${new URL('/api/v1/health', env().APP_URL)}?band=BAD`,
      `GET ${new URL('/api/v1/accounts/', env().APP_URL)}{id}/health`,
    ],
    done: doneKinds.find((kind) => kind === done) ?? null,
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(HandOffSettingsSchema, CrmSettingsSchema), 'intent', 'target']

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'support.configure')
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  const intent = formData.get('intent')

  if (intent === 'handoff') {
    const submission = parseWithZod(formData, { schema: HandOffSettingsSchema })
    if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
    const outcome = await saveHandOffSettings(db, { actor, input: submission.value })
    if (!outcome.ok) return failureResponse(context, outcome, submission)
    return redirect('/support/settings?done=handoff')
  }
  if (intent === 'crm') {
    const submission = parseWithZod(formData, { schema: CrmSettingsSchema })
    if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
    const outcome = await saveCrmSettings(db, { actor, input: submission.value })
    if (!outcome.ok) return failureResponse(context, outcome, submission)
    return redirect('/support/settings?done=crm#crm-title')
  }
  if (intent === 'rotate-secret') {
    const target = targetOf(formData)
    const outcome = await rotateWebhookSecret(db, { actor, target })
    if (!outcome.ok) throw failureResponse(context, outcome)
    return redirect(
      target === 'crm'
        ? '/support/settings?done=crm-secret#crm-secret'
        : '/support/settings?done=secret#signing-secret',
    )
  }
  if (intent === 'test') {
    const target = targetOf(formData)
    const outcome = await sendTestDelivery(db, { actor, target })
    if (!outcome.ok)
      return data({ target, test: null, testError: failureMessage(context, outcome) }, { status: outcome.status })
    return { target, test: outcome.value, testError: null }
  }
  throw failureResponse(context, fail(400, 'errors.bad_request'))
}

type Result = SubmissionResult<string[]>
type ActionData = { result?: Result; target?: WebhookTarget; test?: unknown; testError?: string | null } | undefined

const doneMessages: Record<(typeof doneKinds)[number], string> = {
  handoff: 'support_helpdesk.settings.done.handoff',
  secret: 'support_helpdesk.settings.done.secret',
  crm: 'crm.settings.saved',
  'crm-secret': 'crm.settings.secret_rotated',
}

/** The action's form result, if it came from the form sending this intent. */
function resultFor(actionData: ActionData, intent: string): Result | undefined {
  const result = actionData?.result
  return result?.initialValue?.intent === intent ? result : undefined
}

export default function SupportSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { helpdesk, crm, done } = loaderData
  return (
    <div className="stack">
      <h1>{t('support_helpdesk.settings.title')}</h1>
      <p className="lead">{t('support_helpdesk.settings.lead')}</p>
      {done ? (
        <p className="notice" role="status">
          {t(doneMessages[done])}
        </p>
      ) : null}
      <p className="inline-actions">
        {loaderData.canViewDeliveries ? (
          <Link to="/support/deliveries">{t('support_helpdesk.settings.deliveries_link')}</Link>
        ) : null}
        <Link to="/admin/api-tokens">{t('support_helpdesk.settings.tokens_link')}</Link>
        <Link to="/manage/settings#cost-title">{t('support_helpdesk.settings.cost_link')}</Link>
      </p>

      <HandOffForm
        key={`${helpdesk.webhookUrl}|${helpdesk.supportEmail}`}
        webhookUrl={helpdesk.webhookUrl}
        supportEmail={helpdesk.supportEmail}
        lastResult={resultFor(actionData, 'handoff')}
      />
      <SigningSecret secret={helpdesk.webhookSecret} />
      {helpdesk.webhookUrl ? <TestDelivery target="helpdesk" actionData={actionData as TestData} /> : null}

      <CrmSync
        key={crm.webhookUrl ?? ''}
        webhookUrl={crm.webhookUrl}
        secret={crm.webhookSecret}
        endpoints={loaderData.crmEndpoints}
        lastResult={resultFor(actionData, 'crm')}
        actionData={actionData as TestData}
      />
    </div>
  )
}

function HandOffForm({
  webhookUrl,
  supportEmail,
  lastResult,
}: {
  webhookUrl: string | null
  supportEmail: string | null
  lastResult: Result | undefined
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'handoff',
    lastResult,
    defaultValue: { webhookUrl: webhookUrl ?? '', supportEmail: supportEmail ?? '' },
  })
  return (
    <section className="panel stack" aria-labelledby="handoff-title">
      <h2 id="handoff-title">{t('support_helpdesk.settings.handoff_title')}</h2>
      <p>{t('support_helpdesk.settings.handoff_lead')}</p>
      <Form method="post" {...getFormProps(form)} className="stack narrow">
        <input type="hidden" name="intent" value="handoff" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field
          label={t('support_helpdesk.settings.webhook_url')}
          hint={t('support_helpdesk.settings.webhook_url_hint')}
          errors={fields.webhookUrl.errors}
          inputProps={{ ...getInputProps(fields.webhookUrl, { type: 'url' }), placeholder: 'https://' }}
        />
        <Field
          label={t('support_helpdesk.settings.support_email')}
          hint={t('support_helpdesk.settings.support_email_hint')}
          errors={fields.supportEmail.errors}
          inputProps={{ ...getInputProps(fields.supportEmail, { type: 'email' }), autoComplete: 'off' }}
        />
        <div>
          <button type="submit" className="button">
            {t('support_helpdesk.settings.save')}
          </button>
        </div>
      </Form>
    </section>
  )
}

/** The receiver's side of the signature check, in Node.js; the same steps work in any language. */
const VERIFY_EXAMPLE = `import { createHmac, timingSafeEqual } from 'node:crypto'

function verify(secret, headers, rawBody) {
  const timestamp = headers['x-webhook-timestamp']
  const expected = 'sha256=' + createHmac('sha256', secret).update(\`\${timestamp}.\${rawBody}\`).digest('hex')
  const given = headers['x-signature'] ?? ''
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300
  return fresh && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))
}`

function SigningSecret({ secret }: { secret: string | null }) {
  const { t } = useT()
  return (
    <section className="panel stack" aria-labelledby="signing-secret">
      <h2 id="signing-secret">{t('support_helpdesk.settings.secret_title')}</h2>
      {secret ? (
        <div className="field">
          <label htmlFor="webhook-secret">{t('support_helpdesk.settings.secret_label')}</label>
          <input
            id="webhook-secret"
            type="text"
            readOnly
            value={secret}
            className="feed-url"
            aria-describedby="webhook-secret-hint"
          />
          <p id="webhook-secret-hint" className="field-hint">
            {t('support_helpdesk.settings.secret_hint')}
          </p>
        </div>
      ) : (
        <p>{t('support_helpdesk.settings.secret_none')}</p>
      )}
      <Form method="post">
        <input type="hidden" name="intent" value="rotate-secret" />
        <input type="hidden" name="target" value="helpdesk" />
        {secret ? <p className="muted">{t('support_helpdesk.settings.rotate_warning')}</p> : null}
        <button type="submit" className={secret ? 'button button-secondary' : 'button'}>
          {secret ? t('support_helpdesk.settings.rotate') : t('support_helpdesk.settings.generate')}
        </button>
      </Form>

      <h3>{t('support_helpdesk.settings.scheme_title')}</h3>
      <p>{t('support_helpdesk.settings.scheme_intro')}</p>
      <ul>
        <li>
          <code>X-Webhook-Event</code>: {t('support_helpdesk.settings.scheme_event')}
        </li>
        <li>
          <code>X-Webhook-Delivery</code>: {t('support_helpdesk.settings.scheme_delivery')}
        </li>
        <li>
          <code>X-Webhook-Timestamp</code>: {t('support_helpdesk.settings.scheme_timestamp')}
        </li>
        <li>
          <code>X-Signature</code>: {t('support_helpdesk.settings.scheme_signature')}{' '}
          <code>sha256=HEX(HMAC-SHA256(secret, timestamp + "." + body))</code>
        </li>
      </ul>
      <p>{t('support_helpdesk.settings.scheme_verify')}</p>
      <pre className="mail-body">
        <code>{VERIFY_EXAMPLE}</code>
      </pre>
      <p>{t('support_helpdesk.settings.scheme_answer')}</p>
    </section>
  )
}

type TestData =
  | {
      target?: WebhookTarget
      test?: {
        deliveryId: number
        delivered: boolean
        statusCode: number | null
        error: DeliveryErrorKind | null
      } | null
      testError?: string | null
    }
  | undefined

const testTexts: Record<WebhookTarget, { id: string; title: string; lead: string }> = {
  helpdesk: {
    id: 'test-delivery-title',
    title: 'support_helpdesk.settings.test_title',
    lead: 'support_helpdesk.settings.test_lead',
  },
  crm: { id: 'crm-test-delivery-title', title: 'crm.settings.test_title', lead: 'crm.settings.test_lead' },
}

/** Sends a ping to one target's receiver and shows its answer (only the answer of this target's form:
 *  an answer without a target is the helpdesk's). */
function TestDelivery({ target, actionData }: { target: WebhookTarget; actionData: TestData }) {
  const { t } = useT()
  const mine = (actionData?.target ?? 'helpdesk') === target ? actionData : undefined
  const test = mine?.test
  const texts = testTexts[target]
  const failure = test ? deliveryErrorMessage(test.error, test.statusCode) : null
  return (
    <section className="panel stack" aria-labelledby={texts.id}>
      <h2 id={texts.id}>{t(texts.title)}</h2>
      <p>{t(texts.lead)}</p>
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

/** The CRM section: where `health.changed` goes, the CRM's own signing secret and a test delivery.
 *  The signature scheme is the helpdesk webhook's, explained once above. */
function CrmSync({
  webhookUrl,
  secret,
  endpoints,
  lastResult,
  actionData,
}: {
  webhookUrl: string | null
  secret: string | null
  endpoints: string[]
  lastResult: Result | undefined
  actionData: TestData
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'crm',
    lastResult,
    defaultValue: { webhookUrl: webhookUrl ?? '' },
  })
  return (
    <>
      <section className="panel stack" aria-labelledby="crm-title">
        <h2 id="crm-title">{t('crm.settings.title')}</h2>
        <p>{t('crm.settings.lead')}</p>
        <p>{t('crm.settings.endpoints')}</p>
        <ul>
          {endpoints.map((endpoint) => (
            <li key={endpoint}>
              <code>{endpoint}</code>
            </li>
          ))}
        </ul>
        <Form method="post" {...getFormProps(form)} className="stack narrow">
          <input type="hidden" name="intent" value="crm" />
          <FormErrors id={form.errorId} errors={form.errors} />
          <Field
            label={t('crm.settings.webhook_url')}
            hint={t('crm.settings.webhook_url_hint')}
            errors={fields.webhookUrl.errors}
            inputProps={{ ...getInputProps(fields.webhookUrl, { type: 'url' }), placeholder: 'https://' }}
          />
          <div>
            <button type="submit" className="button">
              {t('crm.settings.save')}
            </button>
          </div>
        </Form>
      </section>

      <section className="panel stack" aria-labelledby="crm-secret">
        <h2 id="crm-secret">{t('crm.settings.secret_title')}</h2>
        {secret ? (
          <div className="field">
            <label htmlFor="crm-webhook-secret">{t('crm.settings.secret_label')}</label>
            <input
              id="crm-webhook-secret"
              type="text"
              readOnly
              value={secret}
              className="feed-url"
              aria-describedby="crm-webhook-secret-hint"
            />
            <p id="crm-webhook-secret-hint" className="field-hint">
              {t('crm.settings.secret_hint')}
            </p>
          </div>
        ) : (
          <p>{t('crm.settings.secret_none')}</p>
        )}
        <Form method="post">
          <input type="hidden" name="intent" value="rotate-secret" />
          <input type="hidden" name="target" value="crm" />
          {secret ? <p className="muted">{t('support_helpdesk.settings.rotate_warning')}</p> : null}
          <button type="submit" className={secret ? 'button button-secondary' : 'button'}>
            {secret ? t('support_helpdesk.settings.rotate') : t('support_helpdesk.settings.generate')}
          </button>
        </Form>
        <p>{t('crm.settings.scheme')}</p>
      </section>

      {webhookUrl ? <TestDelivery target="crm" actionData={actionData} /> : null}
    </>
  )
}
