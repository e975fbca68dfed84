import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Link, redirect } from 'react-router'
import { ReceiverSettings, type TestData } from '#app/components/support/receiver-settings.tsx'
import { useT } from '#app/components/translation.tsx'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { sendTestDelivery } from '#app/domain/notify/webhook-deliveries.server.ts'
import { type WebhookTarget, webhookTargets } from '#app/domain/notify/webhooks.server.ts'
import {
  CrmSettingsSchema,
  HandOffSettingsSchema,
  rotateWebhookSecret,
  saveCrmSettings,
  saveHandOffSettings,
} from '#app/domain/support/helpdesk-settings.server.ts'
import { readCrmSettings, readHelpdeskSettings } from '#app/domain/support/settings.server.ts'
import { env } from '#app/lib/env.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { redactUrl } from '#app/lib/outbound.server.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage, failureResponse } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs, unknownIntent } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
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

/** What each form's handler gets: the staff member configuring support. */
type SettingsIntent = IntentArgs<{ actor: SessionUser }>

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'support.configure')
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  return dispatchIntent(
    { context, db, actor, formData },
    { handoff: handleHandOff, crm: handleCrm, 'rotate-secret': handleRotateSecret, test: handleTest },
    unknownIntent,
  )
}

async function handleHandOff({ context, db, actor, formData }: SettingsIntent) {
  const submission = parseWithZod(formData, { schema: HandOffSettingsSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await saveHandOffSettings(db, { actor, input: submission.value })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect('/support/settings?done=handoff')
}

async function handleCrm({ context, db, actor, formData }: SettingsIntent) {
  const submission = parseWithZod(formData, { schema: CrmSettingsSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await saveCrmSettings(db, { actor, input: submission.value })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect('/support/settings?done=crm#crm-title')
}

/** A new signing secret for the receiver the form names (help desk or CRM). */
async function handleRotateSecret({ context, db, actor, formData }: SettingsIntent) {
  const target = targetOf(formData)
  const outcome = await rotateWebhookSecret(db, { actor, target })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return redirect(
    target === 'crm' ? '/support/settings?done=crm-secret#crm-secret' : '/support/settings?done=secret#signing-secret',
  )
}

/** A test delivery to the receiver the form names; its result shows beside that receiver's form. */
async function handleTest({ context, db, actor, formData }: SettingsIntent) {
  const target = targetOf(formData)
  const outcome = await sendTestDelivery(db, { actor, target })
  if (!outcome.ok)
    return data({ target, test: null, testError: failureMessage(context, outcome) }, { status: outcome.status })
  return { target, test: outcome.value, testError: null }
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

      <ReceiverSettings
        key={`${helpdesk.webhookUrl}|${helpdesk.supportEmail}`}
        target="helpdesk"
        webhookUrl={helpdesk.webhookUrl}
        secret={helpdesk.webhookSecret}
        fields={[
          {
            name: 'supportEmail',
            type: 'email',
            label: t('support_helpdesk.settings.support_email'),
            hint: t('support_helpdesk.settings.support_email_hint'),
            value: helpdesk.supportEmail,
          },
        ]}
        lastResult={resultFor(actionData, 'handoff')}
        actionData={actionData as TestData}
        intro={<p>{t('support_helpdesk.settings.handoff_lead')}</p>}
        secretNotes={<SignatureScheme />}
      />

      <ReceiverSettings
        key={crm.webhookUrl ?? ''}
        target="crm"
        webhookUrl={crm.webhookUrl}
        secret={crm.webhookSecret}
        lastResult={resultFor(actionData, 'crm')}
        actionData={actionData as TestData}
        intro={
          <>
            <p>{t('crm.settings.lead')}</p>
            <p>{t('crm.settings.endpoints')}</p>
            <ul>
              {loaderData.crmEndpoints.map((endpoint) => (
                <li key={endpoint}>
                  <code>{endpoint}</code>
                </li>
              ))}
            </ul>
          </>
        }
        secretNotes={<p>{t('crm.settings.scheme')}</p>}
      />
    </div>
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

/** How a receiver checks a delivery's signature: said once, under the helpdesk's secret (the CRM's
 *  section points to it). */
function SignatureScheme() {
  const { t } = useT()
  return (
    <>
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
    </>
  )
}
