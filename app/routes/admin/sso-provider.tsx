import { getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { SsoProviderForm } from '#app/components/identity/sso-provider-form.tsx'
import { useT } from '#app/components/translation.tsx'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import {
  deleteSsoProvider,
  getSsoProvider,
  ssoCallbackUrl,
  updateSsoProvider,
} from '#app/domain/identity/sso.server.ts'
import { SsoDeleteSchema, SsoProviderSchema } from '#app/domain/identity/sso-schemas.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs, unknownIntent } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/sso-provider'
import { adminTitle } from './title.ts'

export const meta: Route.MetaFunction = ({ matches }) =>
  adminTitle(matches, (t) => {
    const page = matches.find((match) => match?.id === 'routes/admin/sso-provider')?.loaderData as
      | { provider?: { name: string } }
      | undefined
    return page?.provider ? t('sso.admin.edit_title', { name: page.provider.name }) : t('sso.admin.title')
  })

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'sso.configure')
  const outcome = await getSsoProvider(getDb(context), { actor, providerId: intParam(params.providerId) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const done = new URL(request.url).searchParams.get('done')
  return {
    provider: outcome.value,
    callbackUrl: ssoCallbackUrl(outcome.value.slug),
    done: done === 'created' || done === 'saved' ? done : null,
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(SsoProviderSchema, SsoDeleteSchema), 'intent']

type ProviderIntent = IntentArgs<{ actor: SessionUser; providerId: number }>

export async function action({ request, params, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'sso.configure')
  const providerId = intParam(params.providerId)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  return dispatchIntent(
    { context, db: getDb(context), actor, providerId, formData },
    { save: handleSave, delete: handleDelete },
    unknownIntent,
  )
}

async function handleSave({ context, db, actor, providerId, formData }: ProviderIntent) {
  const submission = parseWithZod(formData, { schema: SsoProviderSchema })
  if (submission.status !== 'success') {
    return data({ form: 'save' as const, result: submission.reply({ hideFields: ['clientSecret'] }) }, { status: 400 })
  }
  const outcome = await updateSsoProvider(db, { actor, providerId, input: submission.value })
  if (!outcome.ok) {
    const failed = failureResponse(context, outcome, submission, { hideFields: ['clientSecret'] })
    return data({ form: 'save' as const, result: failed.data.result }, failed.init ?? undefined)
  }
  return redirect(`/admin/sso/${providerId}?done=saved`)
}

async function handleDelete({ context, db, actor, providerId, formData }: ProviderIntent) {
  const submission = parseWithZod(formData, { schema: SsoDeleteSchema })
  if (submission.status !== 'success') {
    return data({ form: 'delete' as const, result: submission.reply() }, { status: 400 })
  }
  const outcome = await deleteSsoProvider(db, { actor, providerId, confirm: submission.value.confirm })
  if (!outcome.ok) {
    const failed = failureResponse(context, outcome, submission)
    return data({ form: 'delete' as const, result: failed.data.result }, failed.init ?? undefined)
  }
  return redirect('/admin/sso?done=deleted')
}

export default function AdminSsoProvider({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { provider, callbackUrl, done } = loaderData
  return (
    <section className="stack narrow" aria-labelledby="sso-provider-title">
      <p>
        <Link to="/admin/sso">{t('sso.admin.back')}</Link>
      </p>
      <h2 id="sso-provider-title">{t('sso.admin.edit_title', { name: provider.name })}</h2>
      {done ? (
        <p className="notice" role="status">
          {t(done === 'created' ? 'sso.admin.created' : 'sso.admin.saved')}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="sso-callback-url">{t('sso.admin.callback')}</label>
        <input id="sso-callback-url" type="text" readOnly value={callbackUrl} className="feed-url" />
      </div>
      <p>{t('sso.admin.linked_members', { members: provider.members })}</p>
      <SsoProviderForm
        // A saved provider's form starts from what was saved.
        key={provider.updatedAt.toString()}
        id="sso-provider-edit"
        intent="save"
        lastResult={actionData?.form === 'save' ? actionData.result : undefined}
        defaultValue={{
          name: provider.name,
          slug: provider.slug,
          issuer: provider.issuer,
          clientId: provider.clientId,
          scopes: provider.scopes,
          accountClaim: provider.accountClaim ?? '',
          accountMatch: provider.accountMatch,
          passwordSignIn: provider.passwordSignIn ? 'on' : '',
          enabled: provider.enabled ? 'on' : '',
        }}
        submitLabel={t('sso.admin.save')}
        hasSecret={provider.hasSecret}
      />
      <DeleteForm
        slug={provider.slug}
        members={provider.members}
        lastResult={actionData?.form === 'delete' ? actionData.result : undefined}
      />
    </section>
  )
}

function DeleteForm({
  slug,
  members,
  lastResult,
}: {
  slug: string
  members: number
  lastResult: SubmissionResult<string[]> | undefined
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'sso-provider-delete',
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SsoDeleteSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="panel stack" aria-labelledby="sso-delete-title">
      <h3 id="sso-delete-title">{t('sso.admin.delete_title')}</h3>
      <p>{t('sso.admin.delete_lead', { members, slug })}</p>
      <input type="hidden" name="intent" value="delete" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <Field
        label={t('sso.admin.delete_confirm')}
        errors={fields.confirm.errors}
        inputProps={{
          ...getInputProps(fields.confirm, { type: 'text' }),
          required: true,
          maxLength: 40,
          autoComplete: 'off',
          autoCapitalize: 'none',
          spellCheck: false,
        }}
      />
      <div>
        <button type="submit" className="button button-danger">
          {t('sso.admin.delete')}
        </button>
      </div>
    </Form>
  )
}
