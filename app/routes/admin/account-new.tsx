import { parseWithZod } from '@conform-to/zod/v4'
import { data, Link, redirect } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { createAccount } from '#app/domain/identity/accounts.server.ts'
import { AccountSchema } from '#app/domain/identity/schemas.ts'
import { listStaff } from '#app/domain/identity/users.server.ts'
import { issueOneTimeKey, ONE_TIME_KEY_FIELD, sendOnce } from '#app/lib/one-time-key.server.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/account-new'
import { AccountForm } from './account-form.tsx'
import { adminTitle } from './title.ts'

export const meta: Route.MetaFunction = ({ matches }) => adminTitle(matches, 'admin.account.new_title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'accounts.manage')
  return { staff: await listStaff(getDb(context)), submissionKey: await issueOneTimeKey(getDb(context), actor) }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(AccountSchema), ONE_TIME_KEY_FIELD]

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'accounts.manage')
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  const submission = parseWithZod(formData, { schema: AccountSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await sendOnce(db, actor, formData, (once) =>
    createAccount(db, { actor, input: submission.value, once }),
  )
  if ('replayed' in outcome) return redirect(outcome.replayed)
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`/admin/accounts/${outcome.value.id}?done=created`)
}

export default function AdminAccountNew({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  return (
    <section className="stack narrow" aria-labelledby="new-account-title">
      <p>
        <Link to="/admin/accounts">{t('admin.accounts.back')}</Link>
      </p>
      <h2 id="new-account-title">{t('admin.account.new_title')}</h2>
      <AccountForm
        id="new-account"
        lastResult={actionData?.result}
        defaultValue={{ arrCurrency: 'JPY' }}
        staff={loaderData.staff}
        submitLabel={t('admin.account.create_submit')}
        submissionKey={loaderData.submissionKey}
      />
    </section>
  )
}
