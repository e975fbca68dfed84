import { getFormProps, getSelectProps, type SubmissionResult, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { FormErrors, SelectField } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { listAccountChoices } from '#app/domain/identity/accounts.server.ts'
import { adminVerifyEmail } from '#app/domain/identity/email-verification.server.ts'
import { can, roles, type SessionUser } from '#app/domain/identity/permissions.ts'
import {
  RoleFormSchema,
  StatusFormSchema,
  UserAccountFormSchema,
  VerifyEmailFormSchema,
} from '#app/domain/identity/schemas.ts'
import { changeRole, getUserForAdmin, reassignAccount, setUserDisabled } from '#app/domain/identity/users.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/user'
import { adminTitle } from './title.ts'

const doneKinds = ['role', 'disabled', 'enabled', 'account', 'verified'] as const

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  adminTitle(matches, (t) => loaderData?.user.displayName ?? t('admin.users.title'))

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'users.view')
  const db = getDb(context)
  const outcome = await getUserForAdmin(db, { actor, userId: intParam(params.userId) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const choices = can(actor, 'users.reassign_account') ? await listAccountChoices(db, { actor }) : null
  const done = new URL(request.url).searchParams.get('done')
  return {
    user: outcome.value,
    accounts: choices?.ok ? choices.value : null,
    canChangeRole: can(actor, 'users.change_role'),
    canDisable: can(actor, 'users.disable'),
    canVerify: can(actor, 'users.verify_email'),
    done: doneKinds.find((kind) => kind === done) ?? null,
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(RoleFormSchema, StatusFormSchema, UserAccountFormSchema, VerifyEmailFormSchema)

/** What each form's handler gets: the admin, the user on the page, and where to go back to. */
type UserIntent = IntentArgs<{ actor: SessionUser; userId: number; back: string }>

export async function action({ request, params, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'users.view')
  const userId = intParam(params.userId)
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  const args = { context, db, actor, userId, back: `/admin/users/${userId}`, formData }
  return dispatchIntent(
    args,
    { role: handleRole, 'verify-email': handleVerifyEmail, disable: handleStatus, enable: handleStatus },
    handleAccount,
  )
}

async function handleRole({ context, db, actor, userId, back, formData }: UserIntent) {
  const submission = parseWithZod(formData, { schema: RoleFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await changeRole(db, { actor, userId, role: submission.value.role })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`${back}?done=role`)
}

async function handleVerifyEmail({ context, db, actor, userId, back }: UserIntent) {
  const outcome = await adminVerifyEmail(db, { actor, userId })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return redirect(`${back}?done=verified`)
}

/** `disable` and `enable`. */
async function handleStatus({ context, db, actor, userId, back, formData }: UserIntent) {
  const submission = parseWithZod(formData, { schema: StatusFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const disabled = submission.value.intent === 'disable'
  const outcome = await setUserDisabled(db, { actor, userId, disabled })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`${back}?done=${disabled ? 'disabled' : 'enabled'}`)
}

/** The account form, and what any other intent falls to (its schema refuses it). */
async function handleAccount({ context, db, actor, userId, back, formData }: UserIntent) {
  const submission = parseWithZod(formData, { schema: UserAccountFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await reassignAccount(db, { actor, userId, accountId: submission.value.accountId })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`${back}?done=account`)
}

type Result = SubmissionResult<string[]>

/** The action's result, if it came from the form sending one of these intents. */
function resultFor(actionData: { result: Result } | undefined, ...intents: string[]): Result | undefined {
  const sent = actionData?.result.initialValue?.intent
  return typeof sent === 'string' && intents.includes(sent) ? actionData?.result : undefined
}

export default function AdminUser({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { user } = loaderData
  return (
    <section className="stack" aria-labelledby="user-title">
      <p>
        <Link to="/admin/users">{t('admin.user.back')}</Link>
      </p>
      <h2 id="user-title">{user.displayName}</h2>
      {loaderData.done ? (
        <p className="notice" role="status">
          {t(`admin.user.done.${loaderData.done}`)}
        </p>
      ) : null}
      <dl className="facts" aria-label={t('admin.user.details')}>
        <dt>{t('admin.user.id')}</dt>
        <dd>{user.id}</dd>
        <dt>{t('admin.user.email')}</dt>
        <dd>
          {user.email}{' '}
          {user.emailVerifiedAt ? (
            <span className="badge">{t('admin.user.email_verified')}</span>
          ) : (
            <span className="badge badge-danger">{t('admin.user.email_unverified')}</span>
          )}
        </dd>
        <dt>{t('admin.user.role')}</dt>
        <dd>{t(`identity.roles.${user.role}`)}</dd>
        <dt>{t('admin.user.account')}</dt>
        <dd>
          {user.accountId ? (
            <Link to={`/admin/accounts/${user.accountId}`}>{user.accountName}</Link>
          ) : (
            t('admin.users.no_account')
          )}
        </dd>
        <dt>{t('admin.user.status')}</dt>
        <dd>
          {user.disabledAt ? (
            <span className="badge badge-danger">
              {t('admin.user.disabled_since', { date: formatDateTime(user.disabledAt, locale, timeZone) })}
            </span>
          ) : (
            <span className="badge">{t('admin.users.status.active')}</span>
          )}
        </dd>
        <dt>{t('admin.user.created')}</dt>
        <dd>{formatDateTime(user.createdAt, locale, timeZone)}</dd>
        <dt>{t('admin.user.locale')}</dt>
        <dd>{t(`identity.languages.${user.locale}`)}</dd>
        <dt>{t('admin.user.time_zone')}</dt>
        <dd>{user.timeZone}</dd>
      </dl>

      {loaderData.canVerify && !user.emailVerifiedAt ? (
        <section className="panel stack" aria-labelledby="verify-title">
          <h3 id="verify-title">{t('admin.user.verify_title')}</h3>
          <p>{t('admin.user.verify_lead')}</p>
          <Form method="post">
            <button type="submit" name="intent" value="verify-email" className="button">
              {t('admin.user.verify_submit')}
            </button>
          </Form>
        </section>
      ) : null}
      {loaderData.canChangeRole ? (
        <RoleForm key={`role-${user.role}`} role={user.role} lastResult={resultFor(actionData, 'role')} />
      ) : null}
      {loaderData.canDisable ? (
        <StatusForm
          key={`status-${user.disabledAt ? 'disabled' : 'active'}`}
          disabled={!!user.disabledAt}
          lastResult={resultFor(actionData, 'disable', 'enable')}
        />
      ) : null}
      {loaderData.accounts ? (
        <AccountForm
          key={`account-${user.accountId ?? 'none'}`}
          accountId={user.accountId}
          accounts={loaderData.accounts}
          lastResult={resultFor(actionData, 'account')}
        />
      ) : null}
    </section>
  )
}

function RoleForm({ role, lastResult }: { role: string; lastResult?: Result }) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'change-role',
    lastResult,
    defaultValue: { role },
    constraint: getZodConstraint(RoleFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RoleFormSchema }),
    shouldValidate: 'onSubmit',
  })
  return (
    <section className="panel stack" aria-labelledby="role-title">
      <h3 id="role-title">{t('admin.user.role_title')}</h3>
      <p className="muted">{t('admin.user.role_lead')}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value="role" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <SelectField
          label={t('admin.user.role_label')}
          errors={fields.role.errors}
          selectProps={getSelectProps(fields.role)}
          options={roles.map((value) => ({ value, label: t(`identity.roles.${value}`) }))}
        />
        <button type="submit" className="button">
          {t('admin.user.role_submit')}
        </button>
      </Form>
    </section>
  )
}

function StatusForm({ disabled, lastResult }: { disabled: boolean; lastResult?: Result }) {
  const { t } = useT()
  const [form] = useForm({ id: 'user-status', lastResult })
  return (
    <section className="panel stack" aria-labelledby="status-title">
      <h3 id="status-title">{t('admin.user.status_title')}</h3>
      <p>{disabled ? t('admin.user.enable_lead') : t('admin.user.disable_lead')}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value={disabled ? 'enable' : 'disable'} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <button type="submit" className={disabled ? 'button' : 'button button-danger'}>
          {disabled ? t('admin.user.enable_submit') : t('admin.user.disable_submit')}
        </button>
      </Form>
    </section>
  )
}

function AccountForm({
  accountId,
  accounts,
  lastResult,
}: {
  accountId: number | null
  accounts: { id: number; name: string }[]
  lastResult?: Result
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'reassign-account',
    lastResult,
    defaultValue: { accountId: accountId ? String(accountId) : '' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UserAccountFormSchema }),
    shouldValidate: 'onSubmit',
  })
  return (
    <section className="panel stack" aria-labelledby="account-title">
      <h3 id="account-title">{t('admin.user.account_title')}</h3>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value="account" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <SelectField
          label={t('admin.user.account_label')}
          errors={fields.accountId.errors}
          selectProps={getSelectProps(fields.accountId)}
          options={[
            { value: '', label: t('admin.user.account_none') },
            ...accounts.map((account) => ({ value: String(account.id), label: account.name })),
          ]}
        />
        <button type="submit" className="button">
          {t('admin.user.account_submit')}
        </button>
      </Form>
    </section>
  )
}
