import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { OutcomeHistoryTable } from '#app/components/outcome-history.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { getAccount, updateAccount } from '#app/domain/identity/accounts.server.ts'
import { can } from '#app/domain/identity/permissions.ts'
import { AccountSchema } from '#app/domain/identity/schemas.ts'
import { listStaff } from '#app/domain/identity/users.server.ts'
import { accountOutcomeHistory, recordOutcome, removeAccountOutcome } from '#app/domain/retention/outcomes.server.ts'
import { OutcomeFormSchema, RemoveOutcomeFormSchema } from '#app/domain/retention/schemas.ts'
import { utcDay } from '#app/lib/days.ts'
import { currencyDigits, formatDate, formatDateTime, formatMoney } from '#app/lib/format.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/account'
import { AccountForm } from './account-form.tsx'
import { OutcomeForm } from './outcome-form.tsx'
import { adminTitle } from './title.ts'
import { UsersTable } from './users-table.tsx'

const doneKinds = ['created', 'updated', 'recorded', 'removed'] as const

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  adminTitle(matches, (t) => loaderData?.account.name ?? t('admin.accounts.title'))

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'accounts.view')
  const db = getDb(context)
  const outcome = await getAccount(db, { actor, accountId: intParam(params.accountId) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const canManage = can(actor, 'accounts.manage')
  const done = new URL(request.url).searchParams.get('done')
  const history = await accountOutcomeHistory(db, { actor, accountId: outcome.value.account.id })
  if (!history.ok) throw failureResponse(context, history)
  return {
    ...outcome.value,
    outcomes: history.value,
    canManage,
    staff: canManage ? await listStaff(db) : [],
    done: doneKinds.find((kind) => kind === done) ?? null,
    today: utcDay(new Date()),
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...new Set([...fieldsOf(AccountSchema), ...fieldsOf(OutcomeFormSchema), 'outcomeId'])]

type PageArgs = IntentArgs<{ actor: Parameters<typeof updateAccount>[1]['actor']; accountId: number }>

/** The edit form (it sends no intent). */
async function saveAccount({ context, db, formData, actor, accountId }: PageArgs) {
  const submission = parseWithZod(formData, { schema: AccountSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await updateAccount(db, { actor, accountId, input: submission.value })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`/admin/accounts/${accountId}?done=updated`)
}

async function recordOutcomeIntent({ context, db, formData, actor, accountId }: PageArgs) {
  const submission = parseWithZod(formData, { schema: OutcomeFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const { intent: _intent, ...input } = submission.value
  const outcome = await recordOutcome(db, { actor, accountId, input, source: 'form' })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`/admin/accounts/${accountId}?done=recorded#outcomes-title`)
}

async function removeOutcomeIntent({ context, db, formData, actor, accountId }: PageArgs) {
  const submission = parseWithZod(formData, { schema: RemoveOutcomeFormSchema })
  if (submission.status !== 'success')
    throw failureResponse(context, { ok: false, status: 400, code: 'errors.bad_request' })
  const outcome = await removeAccountOutcome(db, { actor, accountId, outcomeId: submission.value.outcomeId })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return redirect(`/admin/accounts/${accountId}?done=removed#outcomes-title`)
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'accounts.manage')
  const accountId = intParam(params.accountId)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  return dispatchIntent(
    { context, db: getDb(context), formData, actor, accountId },
    { 'record-outcome': recordOutcomeIntent, 'remove-outcome': removeOutcomeIntent },
    saveAccount,
  )
}

/** Minor units back to the major-unit text the form takes (JPY 1200000 → "1200000", USD 150050 → "1500.5").
 *  Dividing an integer by a power of ten prints its shortest decimal, so no float noise appears. */
function majorUnits(minor: number, currency: string): string {
  return String(minor / 10 ** currencyDigits(currency))
}

export default function AdminAccount({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { account, members, csm } = loaderData
  // Each form's answer comes back in `result`; the outcome form's carries its intent.
  const result = actionData && 'result' in actionData ? actionData.result : undefined
  const outcomeResult = result?.initialValue?.intent === 'record-outcome' ? result : undefined
  const accountResult = outcomeResult ? undefined : result
  const notSet = <span className="muted">{t('admin.not_set')}</span>
  return (
    <div className="stack">
      <p>
        <Link to="/admin/accounts">{t('admin.accounts.back')}</Link>
      </p>
      <section className="stack" aria-labelledby="account-title">
        <h2 id="account-title">{account.name}</h2>
        {loaderData.done === 'created' || loaderData.done === 'updated' ? (
          <p className="notice" role="status">
            {t(`admin.account.done.${loaderData.done}`)}
          </p>
        ) : null}
        {account.churnedAt ? (
          <p>
            <span className="badge badge-danger">
              {t('admin.account.churned', { date: formatDate(account.churnedAt, locale, timeZone) })}
            </span>
          </p>
        ) : null}
        <dl className="facts" aria-label={t('admin.account.details')}>
          <dt>{t('admin.account.fields.domains')}</dt>
          <dd>{account.domains.length ? account.domains.join(', ') : notSet}</dd>
          <dt>{t('admin.account.fields.plan')}</dt>
          <dd>{account.plan ?? notSet}</dd>
          <dt>{t('admin.account.fields.arr')}</dt>
          <dd>{account.arrMinor === null ? notSet : formatMoney(account.arrMinor, account.arrCurrency, locale)}</dd>
          <dt>{t('admin.account.fields.seats')}</dt>
          <dd>{account.seats ?? notSet}</dd>
          <dt>{t('admin.account.fields.contractStart')}</dt>
          <dd>{account.contractStart ? formatDate(account.contractStart, locale) : notSet}</dd>
          <dt>{t('admin.account.fields.renewalDate')}</dt>
          <dd>{account.renewalDate ? formatDate(account.renewalDate, locale) : notSet}</dd>
          <dt>{t('admin.account.fields.csmUserId')}</dt>
          <dd>{csm ? <Link to={`/admin/users/${csm.id}`}>{csm.displayName}</Link> : notSet}</dd>
          <dt>{t('admin.account.fields.touchTierOverride')}</dt>
          <dd>{t(`admin.accounts.tiers.${account.touchTierOverride ?? 'automatic'}`)}</dd>
          <dt>{t('admin.account.created')}</dt>
          <dd>{formatDateTime(account.createdAt, locale, timeZone)}</dd>
        </dl>
      </section>

      <section className="stack" aria-labelledby="members-title">
        <h2 id="members-title">{t('admin.account.members_title')}</h2>
        {members.length === 0 ? <p>{t('admin.account.no_members')}</p> : <UsersTable users={members} />}
      </section>

      <section className="stack" aria-labelledby="outcomes-title">
        <h2 id="outcomes-title">{t('outcomes.section.title')}</h2>
        <p>{t('outcomes.section.lead')}</p>
        {loaderData.done === 'recorded' || loaderData.done === 'removed' ? (
          <p className="notice" role="status">
            {t(`outcomes.section.done.${loaderData.done}`)}
          </p>
        ) : null}
        <OutcomeHistoryTable
          rows={loaderData.outcomes}
          actions={
            loaderData.canManage
              ? (row) => (
                  <details className="confirm-remove">
                    <summary>
                      {t('outcomes.section.remove')}
                      <span className="visually-hidden">
                        {' '}
                        {t('outcomes.section.remove_label', {
                          kind: t(`outcomes.kinds.${row.kind}`),
                          date: formatDate(row.effectiveOn, locale),
                        })}
                      </span>
                    </summary>
                    <Form method="post" className="stack">
                      <p id={`remove-confirm-${row.id}`}>{t('outcomes.section.remove_confirm')}</p>
                      <input type="hidden" name="intent" value="remove-outcome" />
                      <input type="hidden" name="outcomeId" value={row.id} />
                      <button
                        type="submit"
                        className="button button-danger"
                        aria-describedby={`remove-confirm-${row.id}`}
                      >
                        {t('outcomes.section.remove_label', {
                          kind: t(`outcomes.kinds.${row.kind}`),
                          date: formatDate(row.effectiveOn, locale),
                        })}
                      </button>
                    </Form>
                  </details>
                )
              : undefined
          }
        />
        {loaderData.canManage ? (
          <section className="panel stack narrow" aria-labelledby="record-title">
            <h3 id="record-title">{t('outcomes.section.record_title')}</h3>
            <OutcomeForm lastResult={outcomeResult} currency={account.arrCurrency} today={loaderData.today} />
          </section>
        ) : null}
      </section>

      {loaderData.canManage ? (
        <section className="panel stack narrow" aria-labelledby="edit-title">
          <h2 id="edit-title">{t('admin.account.edit_title')}</h2>
          <AccountForm
            key={String(account.updatedAt)}
            id="edit-account"
            lastResult={accountResult}
            arrLocked={loaderData.arrFollowsOutcomes}
            defaultValue={{
              name: account.name,
              domains: account.domains.join(', '),
              plan: account.plan ?? '',
              arr: account.arrMinor === null ? '' : majorUnits(account.arrMinor, account.arrCurrency),
              arrCurrency: account.arrCurrency,
              seats: account.seats === null ? '' : String(account.seats),
              contractStart: account.contractStart ?? '',
              renewalDate: account.renewalDate ?? '',
              csmUserId: account.csmUserId === null ? '' : String(account.csmUserId),
              touchTierOverride: account.touchTierOverride ?? '',
            }}
            staff={loaderData.staff}
            submitLabel={t('admin.account.save_submit')}
          />
        </section>
      ) : null}
    </div>
  )
}
