import {
  type FieldMetadata,
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
} from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, redirect } from 'react-router'
import { Field, FormErrors, SelectField, TextareaField } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { gettingStartedChoices } from '#app/domain/help/getting-started.server.ts'
import { readOnboardingSettings, updateOnboardingSettings } from '#app/domain/identity/onboarding.server.ts'
import {
  firstStepKinds,
  OnboardingFormSchema,
  onboardingFormValues,
  renderWelcomeEmail,
  settingsFromOnboardingForm,
  stepField,
} from '#app/domain/identity/onboarding.ts'
import { can } from '#app/domain/identity/permissions.ts'
import { env } from '#app/lib/env.server.ts'
import { locales, translator } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/onboarding'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'onboarding.manage.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'manage.dashboard')
  const db = getDb(context)
  const [settings, articles] = await Promise.all([readOnboardingSettings(db), gettingStartedChoices(db)])
  const appUrl = env().APP_URL.replace(/\/+$/, '')
  const previews = locales.map((locale) => {
    const t = translator(locale)
    return {
      locale,
      ...renderWelcomeEmail(settings, {
        locale,
        name: t('onboarding.manage.preview_name'),
        community: t('app.name'),
        appUrl,
      }),
    }
  })
  const done = new URL(request.url).searchParams.get('done')
  return {
    canEdit: can(actor, 'onboarding.manage'),
    values: onboardingFormValues(settings),
    articles,
    previews,
    done: done === 'saved' || done === 'unchanged' ? done : null,
  }
}

const FIELDS = fieldsOf(OnboardingFormSchema)

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'onboarding.manage')
  const formData = await readForm({ request, context }, { fields: FIELDS })
  const submission = parseWithZod(formData, { schema: OnboardingFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await updateOnboardingSettings(getDb(context), {
    actor,
    settings: settingsFromOnboardingForm(submission.value),
  })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`/manage/onboarding?done=${outcome.value.changed ? 'saved' : 'unchanged'}`)
}

export default function ManageOnboarding({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { canEdit, values, articles, previews, done } = loaderData
  const [form, fields] = useForm({
    id: 'onboarding-settings',
    lastResult: actionData && 'result' in actionData ? actionData.result : undefined,
    defaultValue: values,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: OnboardingFormSchema }),
    shouldValidate: 'onSubmit',
  })
  // Conform answers every name with its metadata; the form's names are the schema's.
  const field = (name: string) => fields[name] as FieldMetadata<string>
  return (
    <div className="stack">
      <h1>{t('onboarding.manage.title')}</h1>
      <p className="lead">{t('onboarding.manage.lead')}</p>
      {done ? (
        <p className="notice" role="status">
          {t(`onboarding.manage.${done}`)}
        </p>
      ) : null}
      {canEdit ? null : <p className="notice">{t('onboarding.manage.read_only')}</p>}

      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset className="stack" disabled={!canEdit}>
          <legend className="visually-hidden">{t('onboarding.manage.title')}</legend>
          <section className="panel stack" aria-labelledby="onboarding-steps-title">
            <h2 id="onboarding-steps-title">{t('onboarding.manage.steps_title')}</h2>
            <p className="field-hint">{t('onboarding.manage.steps_lead')}</p>
            {firstStepKinds.map((kind) => {
              const enabled = field(stepField(kind, 'Enabled'))
              return (
                <fieldset key={kind} className="stack">
                  <legend>{t(`onboarding.manage.kinds.${kind}`)}</legend>
                  <div className="choice">
                    <input {...getInputProps(enabled, { type: 'checkbox' })} />{' '}
                    <label htmlFor={enabled.id}>{t('onboarding.manage.enabled')}</label>
                  </div>
                  <Field
                    label={t('onboarding.manage.position')}
                    errors={field(stepField(kind, 'Position')).errors}
                    inputProps={{
                      ...getInputProps(field(stepField(kind, 'Position')), { type: 'text' }),
                      inputMode: 'numeric',
                      size: 3,
                    }}
                  />
                  <Field
                    label={t('onboarding.manage.title_en')}
                    errors={field(stepField(kind, 'TitleEn')).errors}
                    inputProps={{ ...getInputProps(field(stepField(kind, 'TitleEn')), { type: 'text' }), lang: 'en' }}
                  />
                  <Field
                    label={t('onboarding.manage.title_ja')}
                    errors={field(stepField(kind, 'TitleJa')).errors}
                    inputProps={{ ...getInputProps(field(stepField(kind, 'TitleJa')), { type: 'text' }), lang: 'ja' }}
                  />
                  <TextareaField
                    label={t('onboarding.manage.description_en')}
                    errors={field(stepField(kind, 'DescriptionEn')).errors}
                    textareaProps={{
                      ...getTextareaProps(field(stepField(kind, 'DescriptionEn'))),
                      rows: 2,
                      lang: 'en',
                    }}
                  />
                  <TextareaField
                    label={t('onboarding.manage.description_ja')}
                    errors={field(stepField(kind, 'DescriptionJa')).errors}
                    textareaProps={{
                      ...getTextareaProps(field(stepField(kind, 'DescriptionJa'))),
                      rows: 2,
                      lang: 'ja',
                    }}
                  />
                </fieldset>
              )
            })}
            <SelectField
              label={t('onboarding.manage.article')}
              errors={field('articleId').errors}
              selectProps={getSelectProps(field('articleId'))}
              options={[
                { value: '', label: t('onboarding.manage.article_none') },
                ...articles.map((article) => ({
                  value: String(article.id),
                  label: `${article.title} (${article.locale})`,
                })),
              ]}
            />
            <p className="field-hint">{t('onboarding.manage.article_hint')}</p>
          </section>

          <section className="panel stack" aria-labelledby="onboarding-email-title">
            <h2 id="onboarding-email-title">{t('onboarding.manage.email_title')}</h2>
            <p className="field-hint">{t('onboarding.manage.email_lead')}</p>
            <p className="field-hint">{t('onboarding.manage.placeholders')}</p>
            <Field
              label={t('onboarding.manage.subject_en')}
              errors={field('subjectEn').errors}
              inputProps={{ ...getInputProps(field('subjectEn'), { type: 'text' }), lang: 'en' }}
            />
            <TextareaField
              label={t('onboarding.manage.body_en')}
              errors={field('bodyEn').errors}
              textareaProps={{ ...getTextareaProps(field('bodyEn')), rows: 10, lang: 'en' }}
            />
            <Field
              label={t('onboarding.manage.subject_ja')}
              errors={field('subjectJa').errors}
              inputProps={{ ...getInputProps(field('subjectJa'), { type: 'text' }), lang: 'ja' }}
            />
            <TextareaField
              label={t('onboarding.manage.body_ja')}
              errors={field('bodyJa').errors}
              textareaProps={{ ...getTextareaProps(field('bodyJa')), rows: 10, lang: 'ja' }}
            />
          </section>
        </fieldset>
        {canEdit ? (
          <p>
            <button type="submit" className="button">
              {t('onboarding.manage.save')}
            </button>
          </p>
        ) : null}
      </Form>

      <section className="panel stack" aria-labelledby="onboarding-preview-title">
        <h2 id="onboarding-preview-title">{t('onboarding.manage.preview_title')}</h2>
        <p className="field-hint">
          {t('onboarding.manage.preview_lead', { name: t('onboarding.manage.preview_name') })}
        </p>
        {previews.map((preview) => (
          <article key={preview.locale} lang={preview.locale} className="stack">
            <h3>{t(`onboarding.manage.preview_language.${preview.locale}`)}</h3>
            <dl className="facts">
              <dt>{t('onboarding.manage.preview_subject')}</dt>
              <dd>{preview.subject}</dd>
            </dl>
            <pre className="mail-body">{preview.text}</pre>
          </article>
        ))}
      </section>
    </div>
  )
}
