import { getFormProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { FormErrors, SelectField } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { kindGroups, kindRules, kindsOf } from '#app/domain/notify/kinds.ts'
import { preferencesOf, setPreferences } from '#app/domain/notify/preferences.server.ts'
import { NotificationSettingsSchema } from '#app/domain/notify/schemas.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/notifications'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'notify.settings.title')

/** `GET /settings/notifications`: every kind of notification, grouped, with the member's channel. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request)
  const preferences = await preferencesOf(getDb(context), user.id)
  const saved = new URL(request.url).searchParams.get('saved')
  return { preferences, saved: saved === 'yes' || saved === 'unchanged' ? saved : null }
}

const FIELDS = fieldsOf(NotificationSettingsSchema)

/** `POST /settings/notifications`: the channels of the choosable kinds, saved together. */
export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  const submission = parseWithZod(formData, { schema: NotificationSettingsSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await setPreferences(getDb(context), { user, input: submission.value })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`/settings/notifications?saved=${outcome.value.changed.length ? 'yes' : 'unchanged'}`)
}

export default function NotificationSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { preferences } = loaderData
  const [form, fields] = useForm({
    id: 'notification-settings',
    lastResult: actionData?.result,
    constraint: getZodConstraint(NotificationSettingsSchema),
    defaultValue: preferences,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NotificationSettingsSchema }),
    shouldValidate: 'onBlur',
  })
  return (
    <div className="narrow stack">
      <p>
        <Link to="/settings">{t('identity.settings.title')}</Link>
      </p>
      <h1>{t('notify.settings.title')}</h1>
      <p>{t('notify.settings.lead')}</p>
      {loaderData.saved ? (
        <p className="notice" role="status">
          {t(loaderData.saved === 'yes' ? 'notify.settings.saved' : 'notify.settings.unchanged')}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        {kindGroups.map((group) => (
          <fieldset key={group} className="panel stack">
            <legend>{t(`notify.settings.groups.${group}`)}</legend>
            {kindsOf(group)
              .filter((kind) => kindRules[kind].allowed.length > 1)
              .map((kind) => (
                <SelectField
                  key={kind}
                  label={t(`notify.settings.kinds.${kind}`)}
                  errors={fields[kind].errors}
                  selectProps={getSelectProps(fields[kind])}
                  options={kindRules[kind].allowed.map((channel) => ({
                    value: channel,
                    label: t(`notify.settings.channels.${channel}`),
                  }))}
                />
              ))}
            {kindsOf(group).some((kind) => kindRules[kind].allowed.length === 1) ? (
              <div>
                <ul>
                  {kindsOf(group)
                    .filter((kind) => kindRules[kind].allowed.length === 1)
                    .map((kind) => (
                      <li key={kind}>{t('notify.settings.required', { kind: t(`notify.settings.kinds.${kind}`) })}</li>
                    ))}
                </ul>
                <p className="muted">{t('notify.settings.required_hint')}</p>
              </div>
            ) : null}
          </fieldset>
        ))}
        <p className="muted">{t('notify.settings.digest_note')}</p>
        <button type="submit" className="button">
          {t('notify.settings.submit')}
        </button>
      </Form>
    </div>
  )
}
