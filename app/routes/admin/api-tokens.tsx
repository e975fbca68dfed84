import { getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, redirect } from 'react-router'
import { z } from 'zod'
import { ErrorList, Field, FormErrors, OneTimeKeyField } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import {
  ApiTokenSchema,
  apiTokenScopes,
  createApiToken,
  listApiTokens,
  revokeApiToken,
} from '#app/domain/support/api-tokens.server.ts'
import { env } from '#app/lib/env.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { issueOneTimeKey, ONE_TIME_KEY_FIELD, sendOnce } from '#app/lib/one-time-key.server.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/api-tokens'
import { adminTitle } from './title.ts'

const RevokeSchema = z.object({ tokenId: z.coerce.number().int().positive() })

export const meta: Route.MetaFunction = ({ matches }) => adminTitle(matches, 'support_helpdesk.tokens.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'support.configure')
  const url = new URL(request.url)
  const api = (path: string) => new URL(path, env().APP_URL).toString()
  return {
    tokens: await listApiTokens(getDb(context)),
    // The scopes come from the server so the form and the database agree on them.
    scopes: [...apiTokenScopes],
    endpoints: {
      tickets: [`PATCH ${api('/api/v1/tickets/')}{id}`],
      health: [`GET ${api('/api/v1/health')}?band=BAD`, `GET ${api('/api/v1/accounts/')}{id}/health`],
      crm: [
        `POST ${api('/api/v1/accounts/')}{id}/outcomes`,
        `PUT ${api('/api/v1/accounts/by-external-id/')}{external_id}`,
      ],
    },
    revoked: url.searchParams.get('done') === 'revoked',
    createdOnce: url.searchParams.get('done') === 'created_once',
    submissionKey: await issueOneTimeKey(getDb(context), actor),
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(ApiTokenSchema, RevokeSchema), 'intent', ONE_TIME_KEY_FIELD]

/** What each form's handler gets: the admin managing tokens. */
type TokenIntent = IntentArgs<{ actor: SessionUser }>

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'support.configure')
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  return dispatchIntent({ context, db, actor, formData }, { revoke: handleRevoke }, handleCreate)
}

async function handleRevoke({ context, db, actor, formData }: TokenIntent) {
  const submission = parseWithZod(formData, { schema: RevokeSchema })
  if (submission.status !== 'success') throw failureResponse(context, fail(400, 'errors.bad_request'))
  const outcome = await revokeApiToken(db, { actor, tokenId: submission.value.tokenId })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return redirect('/admin/api-tokens?done=revoked')
}

/** The create form (`create`, and any other intent): the new token is in this one answer only. */
async function handleCreate({ context, db, actor, formData }: TokenIntent) {
  const submission = parseWithZod(formData, { schema: ApiTokenSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), created: null }, { status: 400 })
  const outcome = await sendOnce(db, actor, formData, (once) =>
    createApiToken(db, { actor, ...submission.value, once }),
  )
  if ('replayed' in outcome) return redirect(outcome.replayed)
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  // The form starts empty again.
  return {
    result: submission.reply({ resetForm: true }),
    created: { name: outcome.value.apiToken.name, token: outcome.value.token },
  }
}

export default function AdminApiTokens({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { tokens } = loaderData
  const created = actionData && 'created' in actionData ? actionData.created : null
  return (
    <section className="stack" aria-labelledby="tokens-title">
      <h2 id="tokens-title">{t('support_helpdesk.tokens.title')}</h2>
      <p>{t('support_helpdesk.tokens.lead')}</p>
      <p>
        {t('support_helpdesk.tokens.usage')} <code>Authorization: Bearer cst_…</code>
      </p>
      <ul>
        {(['tickets', 'health', 'crm'] as const).map((scope) => (
          <li key={scope}>
            {t(`support_helpdesk.tokens.usage_${scope}`)}{' '}
            {loaderData.endpoints[scope].map((endpoint, index) => (
              <span key={endpoint}>
                {index > 0 ? ', ' : null}
                <code>{endpoint}</code>
              </span>
            ))}
          </li>
        ))}
      </ul>
      {loaderData.createdOnce ? (
        <p className="notice" role="status">
          {t('support_helpdesk.tokens.created_once')}
        </p>
      ) : null}
      {loaderData.revoked ? (
        <p className="notice" role="status">
          {t('support_helpdesk.tokens.revoked_done')}
        </p>
      ) : null}

      {created ? (
        <div className="panel stack" role="status">
          <h3>{t('support_helpdesk.tokens.created_title', { name: created.name })}</h3>
          <div className="field">
            <label htmlFor="new-token">{t('support_helpdesk.tokens.token_label')}</label>
            <input
              id="new-token"
              type="text"
              readOnly
              value={created.token}
              className="feed-url"
              aria-describedby="new-token-hint"
            />
            <p id="new-token-hint" className="field-hint">
              {t('support_helpdesk.tokens.created_hint')}
            </p>
          </div>
        </div>
      ) : null}

      <CreateForm scopes={loaderData.scopes} lastResult={actionData?.result} submissionKey={loaderData.submissionKey} />

      {tokens.length === 0 ? (
        <p className="empty">{t('support_helpdesk.tokens.empty')}</p>
      ) : (
        <TableScroll label={t('support_helpdesk.tokens.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('support_helpdesk.tokens.columns.name')}</th>
                <th scope="col">{t('support_helpdesk.tokens.columns.prefix')}</th>
                <th scope="col">{t('support_helpdesk.tokens.columns.scopes')}</th>
                <th scope="col">{t('support_helpdesk.tokens.columns.created')}</th>
                <th scope="col">{t('support_helpdesk.tokens.columns.last_used')}</th>
                <th scope="col">{t('support_helpdesk.tokens.columns.status')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <th scope="row">{token.name}</th>
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td>{token.scopes.map((scope) => t(`support_helpdesk.tokens.scope_names.${scope}`)).join(', ')}</td>
                  <td>
                    <time dateTime={new Date(token.createdAt).toISOString()}>
                      {formatDateTime(token.createdAt, locale, timeZone)}
                    </time>
                    {token.createdByName ? (
                      <div className="muted">
                        {t('support_helpdesk.tokens.created_by', { name: token.createdByName })}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {token.lastUsedAt ? (
                      <time dateTime={new Date(token.lastUsedAt).toISOString()}>
                        {formatDateTime(token.lastUsedAt, locale, timeZone)}
                      </time>
                    ) : (
                      <span className="muted">{t('support_helpdesk.tokens.never_used')}</span>
                    )}
                  </td>
                  <td>
                    {token.revokedAt ? (
                      <span className="badge badge-danger">
                        {t('support_helpdesk.tokens.revoked_at', {
                          date: formatDateTime(token.revokedAt, locale, timeZone),
                        })}
                      </span>
                    ) : (
                      <Form method="post" className="inline-actions">
                        <span className="badge">{t('support_helpdesk.tokens.active')}</span>
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="tokenId" value={token.id} />
                        <button type="submit" className="button button-small button-danger">
                          {t('support_helpdesk.tokens.revoke')}
                          <span className="visually-hidden">{` – ${token.name}`}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  )
}

/** Whether a checkbox of a group starts ticked: the group's value as last submitted, or its default. */
function ticked(initial: unknown, value: string): boolean {
  return Array.isArray(initial) ? initial.includes(value) : initial === value
}

function CreateForm({
  scopes,
  lastResult,
  submissionKey,
}: {
  scopes: string[]
  lastResult: SubmissionResult<string[]> | undefined
  submissionKey: string
}) {
  const { t } = useT()
  // A new token starts with the helpdesk's access, which every token had before scopes existed.
  const [form, fields] = useForm<{ name: string; scopes: string[] }>({
    id: 'create-token',
    lastResult,
    defaultValue: { scopes: ['tickets'] },
  })
  const scopeErrors = fields.scopes.errors?.length ? fields.scopes.errorId : undefined
  return (
    <Form method="post" {...getFormProps(form)} className="panel stack narrow" aria-labelledby="create-token-title">
      <h3 id="create-token-title">{t('support_helpdesk.tokens.create_title')}</h3>
      <input type="hidden" name="intent" value="create" />
      <OneTimeKeyField value={submissionKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <Field
        label={t('support_helpdesk.tokens.name_label')}
        hint={t('support_helpdesk.tokens.name_hint')}
        errors={fields.name.errors}
        inputProps={{ ...getInputProps(fields.name, { type: 'text' }), maxLength: 80, autoComplete: 'off' }}
      />
      <fieldset
        className="stack"
        aria-describedby={[`${fields.scopes.id}-hint`, scopeErrors].filter(Boolean).join(' ')}
      >
        <legend>{t('support_helpdesk.tokens.scopes_label')}</legend>
        <p id={`${fields.scopes.id}-hint`} className="field-hint">
          {t('support_helpdesk.tokens.scopes_hint')}
        </p>
        {scopes.map((scope) => (
          <label key={scope} className="choice">
            <input
              type="checkbox"
              name={fields.scopes.name}
              value={scope}
              defaultChecked={ticked(fields.scopes.initialValue, scope)}
            />{' '}
            {t(`support_helpdesk.tokens.scopes.${scope}`)}
          </label>
        ))}
        <ErrorList id={fields.scopes.errorId} errors={fields.scopes.errors} />
      </fieldset>
      <div>
        <button type="submit" className="button">
          {t('support_helpdesk.tokens.create')}
        </button>
      </div>
    </Form>
  )
}
