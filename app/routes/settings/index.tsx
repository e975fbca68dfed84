import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { Field, FormErrors, SelectField, TextareaField } from '#app/components/forms.tsx'
import { AvatarPicker } from '#app/components/people/avatar-picker.tsx'
import { useT } from '#app/components/translation.tsx'
import { accountNameOf } from '#app/domain/identity/accounts.server.ts'
import { requestEmailChange } from '#app/domain/identity/email-verification.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { ChangeEmailSchema, ChangePasswordSchema } from '#app/domain/identity/schemas.ts'
import { blankSessionCookie } from '#app/domain/identity/sessions.server.ts'
import { changePassword, signOutEverywhere } from '#app/domain/identity/users.server.ts'
import { avatarVersion } from '#app/domain/people/avatar.ts'
import { profileSettingsOf, removeAvatar, saveProfile } from '#app/domain/people/profile.server.ts'
import { AVATAR_FIELD, BIO_MAX, ProfileSchema, TITLE_MAX } from '#app/domain/people/schemas.ts'
import { setSurveyEmails, surveyEmailsEnabled } from '#app/domain/retention/nps.server.ts'
import { localeCookieName } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { secureCookies } from '#app/lib/security.server.ts'
import { timeZoneChoices } from '#app/lib/time-zones.ts'
import { requireSession } from '#app/server/auth.server.ts'
import { clientIpContext, getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/index'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'identity.settings.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const { user } = requireSession(context, request)
  const db = getDb(context)
  const accountName = user.accountId ? await accountNameOf(db, user.accountId) : null
  const surveyEmails = await surveyEmailsEnabled(db, user.id)
  const profile = await profileSettingsOf(db, user.id)
  const url = new URL(request.url)
  return {
    user: {
      id: user.id,
      ...profile,
      displayName: user.displayName,
      email: user.email,
      locale: user.locale,
      timeZone: user.timeZone,
      role: user.role,
      emailVerified: user.emailVerified,
    },
    accountName,
    surveyEmails,
    timeZones: timeZoneChoices(user.timeZone),
    saved: url.searchParams.get('saved'),
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(ChangePasswordSchema, ChangeEmailSchema, ProfileSchema), 'intent', 'surveys', AVATAR_FIELD]

/** What each form's handler gets: the member and the session this request came with. */
type SettingsIntent = IntentArgs<{ user: SessionUser; sessionId: string }>

export async function action({ request, context }: Route.ActionArgs) {
  const { user, sessionId } = requireSession(context, request)
  const db = getDb(context)
  // The profile form sends a picture (multipart), so the page takes the upload cap: the picture's own
  // limit is smaller, and a picture over it comes back as a field error with the rest kept.
  const formData = await readForm({ request, context }, { fields: FIELDS, upload: true })
  return dispatchIntent(
    { context, db, user, sessionId, formData },
    {
      'remove-avatar': handleRemoveAvatar,
      'sign-out-everywhere': handleSignOutEverywhere,
      'change-password': handleChangePassword,
      'change-email': handleChangeEmail,
      'survey-emails': handleSurveyEmails,
    },
    handlePreferences,
  )
}

async function handleSignOutEverywhere({ db, user }: SettingsIntent) {
  await signOutEverywhere(db, user)
  return redirect('/login', { headers: { 'Set-Cookie': blankSessionCookie(secureCookies()) } })
}

async function handleChangePassword({ context, db, user, sessionId, formData, intent }: SettingsIntent) {
  const submission = parseWithZod(formData, { schema: ChangePasswordSchema })
  const hideFields = ['currentPassword', 'password', 'confirm']
  if (submission.status !== 'success') {
    return data({ intent, result: submission.reply({ hideFields }), ended: null }, { status: 400 })
  }
  const outcome = await changePassword(db, {
    user,
    sessionId,
    currentPassword: submission.value.currentPassword,
    newPassword: submission.value.password,
  })
  if (!outcome.ok) return failureResponse(context, outcome, submission, { hideFields })
  return { intent, result: submission.reply({ resetForm: true }), ended: outcome.value.endedSessions }
}

async function handleChangeEmail({ context, db, user, formData, intent }: SettingsIntent) {
  const submission = parseWithZod(formData, { schema: ChangeEmailSchema })
  const hideFields = ['currentPassword']
  if (submission.status !== 'success') {
    return data({ intent, result: submission.reply({ hideFields }), ended: null }, { status: 400 })
  }
  const outcome = await requestEmailChange(db, {
    user,
    newEmail: submission.value.email,
    currentPassword: submission.value.currentPassword,
    ip: context.get(clientIpContext),
  })
  if (!outcome.ok) return failureResponse(context, outcome, submission, { hideFields })
  return { intent, result: submission.reply({ resetForm: true }), ended: null, emailSentTo: outcome.value.email }
}

/** Survey emails on or off: the button sends `surveys=on` or `surveys=off`. */
async function handleSurveyEmails({ db, user, formData }: SettingsIntent) {
  const enabled = formData.get('surveys') === 'on'
  await setSurveyEmails(db, { user, enabled })
  return redirect(`/settings?saved=${enabled ? 'surveys-on' : 'surveys-off'}#survey-emails-title`)
}

async function handleRemoveAvatar({ context, db, user }: SettingsIntent) {
  const outcome = await removeAvatar(db, { user })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return redirect('/settings?saved=avatar-removed#prefs-title')
}

/** The profile form (preferences, title, bio, company shown or not, picture), and what any other
 *  intent falls to (its schema refuses it). The reply keeps the intent as sent, null when none was. */
async function handlePreferences({ context, db, user, formData }: SettingsIntent) {
  const intent = formData.get('intent')
  const file = formData.get(AVATAR_FIELD)
  formData.delete(AVATAR_FIELD)
  const submission = parseWithZod(formData, { schema: ProfileSchema })
  if (submission.status !== 'success') return data({ intent, result: submission.reply(), ended: null }, { status: 400 })
  const avatar = file instanceof File && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null
  const outcome = await saveProfile(db, { user, input: submission.value, avatar })
  if (!outcome.ok) {
    const failed = failureResponse(context, outcome, submission)
    return data({ intent, ...failed.data, ended: null }, failed.init ?? undefined)
  }
  return redirect('/settings?saved=preferences', {
    headers: { 'Set-Cookie': `${localeCookieName}=${submission.value.locale}; Path=/; Max-Age=31536000; SameSite=Lax` },
  })
}

export default function Settings({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { user } = loaderData
  const intent = actionData && 'intent' in actionData ? actionData.intent : null
  const [prefsForm, prefs] = useForm({
    id: 'preferences',
    lastResult: intent === 'preferences' ? actionData?.result : undefined,
    constraint: getZodConstraint(ProfileSchema),
    defaultValue: {
      displayName: user.displayName,
      locale: user.locale,
      timeZone: user.timeZone,
      title: user.title,
      bio: user.bio,
      hideCompany: user.hideCompany ? 'on' : undefined,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
    shouldValidate: 'onBlur',
  })
  const [pwForm, pw] = useForm({
    id: 'change-password',
    lastResult: intent === 'change-password' ? actionData?.result : undefined,
    constraint: getZodConstraint(ChangePasswordSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangePasswordSchema }),
    shouldValidate: 'onBlur',
  })
  const [changeForm, change] = useForm({
    id: 'change-email',
    lastResult: intent === 'change-email' ? actionData?.result : undefined,
    constraint: getZodConstraint(ChangeEmailSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangeEmailSchema }),
    shouldValidate: 'onBlur',
  })
  const emailSentTo = actionData && 'emailSentTo' in actionData ? actionData.emailSentTo : null
  const ended = actionData && 'ended' in actionData ? actionData.ended : null
  return (
    <div className="narrow stack">
      <h1>{t('identity.settings.title')}</h1>
      <dl className="facts">
        <dt>{t('identity.email')}</dt>
        <dd>
          {user.email}
          {user.emailVerified ? null : (
            <>
              {' '}
              <span className="badge">{t('identity.change_email.unverified_note')}</span>
            </>
          )}
        </dd>
        <dt>{t('identity.settings.role')}</dt>
        <dd>{t(`identity.roles.${user.role}`)}</dd>
        <dt>{t('identity.settings.account')}</dt>
        <dd>{loaderData.accountName ?? t('identity.settings.no_account')}</dd>
      </dl>

      <section className="panel stack" aria-labelledby="prefs-title">
        <h2 id="prefs-title">{t('identity.settings.profile')}</h2>
        {loaderData.saved === 'preferences' || loaderData.saved === 'avatar-removed' ? (
          <p className="notice" role="status">
            {t(loaderData.saved === 'preferences' ? 'identity.settings.saved' : 'people.settings.picture_removed')}
          </p>
        ) : null}
        <Form method="post" encType="multipart/form-data" {...getFormProps(prefsForm)} className="stack">
          <input type="hidden" name="intent" value="preferences" />
          <FormErrors id={prefsForm.errorId} errors={prefsForm.errors} />
          <AvatarPicker
            key={user.avatarUpdatedAt ? avatarVersion(user.avatarUpdatedAt) : 'none'}
            user={user}
            id={`${prefsForm.id}-avatar`}
            name={AVATAR_FIELD}
            errors={prefsForm.allErrors[AVATAR_FIELD]}
          />
          <Field
            label={t('identity.display_name')}
            errors={prefs.displayName.errors}
            inputProps={getInputProps(prefs.displayName, { type: 'text' })}
          />
          <Field
            label={t('people.settings.title_label')}
            hint={t('people.settings.title_hint')}
            errors={prefs.title.errors}
            inputProps={{
              ...getInputProps(prefs.title, { type: 'text' }),
              maxLength: TITLE_MAX,
              autoComplete: 'organization-title',
            }}
          />
          <TextareaField
            label={t('people.settings.bio_label')}
            hint={t('people.settings.bio_hint')}
            errors={prefs.bio.errors}
            textareaProps={{ ...getTextareaProps(prefs.bio), maxLength: BIO_MAX, rows: 4 }}
          />
          {loaderData.accountName ? (
            <div className="choice">
              <input
                {...getInputProps(prefs.hideCompany, { type: 'checkbox' })}
                aria-describedby={`${prefs.hideCompany.id}-hint`}
              />{' '}
              <label htmlFor={prefs.hideCompany.id}>{t('people.settings.hide_company')}</label>
              <p id={`${prefs.hideCompany.id}-hint`} className="field-hint">
                {t('people.settings.hide_company_hint', { company: loaderData.accountName })}
              </p>
            </div>
          ) : user.role === 'member' ? (
            <p className="field-hint">{t('people.settings.no_company')}</p>
          ) : null}
          <SelectField
            label={t('identity.settings.language')}
            errors={prefs.locale.errors}
            selectProps={getSelectProps(prefs.locale)}
            options={[
              { value: 'en', label: t('identity.languages.en') },
              { value: 'ja', label: t('identity.languages.ja') },
            ]}
          />
          <SelectField
            label={t('identity.settings.time_zone')}
            errors={prefs.timeZone.errors}
            selectProps={getSelectProps(prefs.timeZone)}
            options={loaderData.timeZones.map((zone) => ({ value: zone, label: zone }))}
          />
          <button type="submit" className="button">
            {t('common.save')}
          </button>
        </Form>
        {user.avatarUpdatedAt ? (
          <Form method="post">
            <button type="submit" name="intent" value="remove-avatar" className="button button-secondary">
              {t('people.settings.remove_picture')}
            </button>
          </Form>
        ) : null}
      </section>

      <section className="panel stack" aria-labelledby="change-email-title">
        <h2 id="change-email-title">{t('identity.change_email.title')}</h2>
        <p>{t('identity.change_email.lead')}</p>
        {loaderData.saved === 'email' ? (
          <p className="notice" role="status">
            {t('identity.change_email.changed')}
          </p>
        ) : null}
        {emailSentTo ? (
          <p className="notice" role="status">
            {t('identity.change_email.sent', { email: emailSentTo })}
          </p>
        ) : null}
        <Form method="post" {...getFormProps(changeForm)} className="stack">
          <input type="hidden" name="intent" value="change-email" />
          <FormErrors id={changeForm.errorId} errors={changeForm.errors} />
          <Field
            label={t('identity.change_email.new_email')}
            errors={change.email.errors}
            inputProps={{ ...getInputProps(change.email, { type: 'email' }), autoComplete: 'email' }}
          />
          <Field
            label={t('identity.current_password')}
            errors={change.currentPassword.errors}
            inputProps={{
              ...getInputProps(change.currentPassword, { type: 'password' }),
              autoComplete: 'current-password',
            }}
          />
          <button type="submit" className="button">
            {t('identity.change_email.submit')}
          </button>
        </Form>
      </section>

      <section className="panel stack" aria-labelledby="password-title">
        <h2 id="password-title">{t('identity.settings.password')}</h2>
        {ended !== null && intent === 'change-password' ? (
          <p className="notice" role="status">
            {t('identity.settings.password_changed_count', { count: ended })}
          </p>
        ) : null}
        <Form method="post" {...getFormProps(pwForm)} className="stack">
          <input type="hidden" name="intent" value="change-password" />
          <FormErrors id={pwForm.errorId} errors={pwForm.errors} />
          <Field
            label={t('identity.current_password')}
            errors={pw.currentPassword.errors}
            inputProps={{
              ...getInputProps(pw.currentPassword, { type: 'password' }),
              autoComplete: 'current-password',
            }}
          />
          <Field
            label={t('identity.new_password')}
            hint={t('identity.password_hint')}
            errors={pw.password.errors}
            inputProps={{ ...getInputProps(pw.password, { type: 'password' }), autoComplete: 'new-password' }}
          />
          <Field
            label={t('identity.confirm_password')}
            errors={pw.confirm.errors}
            inputProps={{ ...getInputProps(pw.confirm, { type: 'password' }), autoComplete: 'new-password' }}
          />
          <button type="submit" className="button">
            {t('identity.settings.password_submit')}
          </button>
        </Form>
      </section>

      <section className="panel stack" aria-labelledby="notifications-title">
        <h2 id="notifications-title">{t('notify.settings.title')}</h2>
        <p>{t('notify.settings.link_lead')}</p>
        <p>
          <Link to="/settings/notifications">{t('notify.settings.link')}</Link>
        </p>
      </section>

      <section className="panel stack" aria-labelledby="survey-emails-title">
        <h2 id="survey-emails-title">{t('nps.settings.title')}</h2>
        <p>{t('nps.settings.lead')}</p>
        {loaderData.saved === 'surveys-on' || loaderData.saved === 'surveys-off' ? (
          <p className="notice" role="status">
            {t(loaderData.saved === 'surveys-on' ? 'nps.settings.saved_on' : 'nps.settings.saved_off')}
          </p>
        ) : null}
        <p>{t(loaderData.surveyEmails ? 'nps.settings.on' : 'nps.settings.off')}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="survey-emails" />
          <button
            type="submit"
            name="surveys"
            value={loaderData.surveyEmails ? 'off' : 'on'}
            className="button button-secondary"
          >
            {t(loaderData.surveyEmails ? 'nps.settings.turn_off' : 'nps.settings.turn_on')}
          </button>
        </Form>
      </section>

      <section className="panel stack" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('identity.settings.sessions')}</h2>
        <p>{t('identity.settings.sessions_lead')}</p>
        <Form method="post">
          <button type="submit" name="intent" value="sign-out-everywhere" className="button button-secondary">
            {t('identity.settings.sign_out_everywhere')}
          </button>
        </Form>
      </section>
    </div>
  )
}
