import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form } from 'react-router'
import { DraftControls, DraftNotice, type DraftProps, useDraft } from '#app/components/editor/draft-controls.tsx'
import { ErrorList, Field, FormErrors, OneTimeKeyField, SelectField } from '#app/components/forms.tsx'
import { MarkdownField } from '#app/components/qa/markdown-field.tsx'
import { useT } from '#app/components/translation.tsx'
import { EventSchema, eventKinds } from '#app/domain/events/schemas.ts'
import { touchTiers } from '#app/domain/scoring/tiers.ts'

export type EventFormValues = {
  kind: string
  title: string
  body: string
  locale: string
  timeZone: string
  startsAt: string
  endsAt: string
  registrationClosesAt: string
  capacity: string
  onlineUrl: string
  venue: string
  recordingUrl: string
  hostIds: string[]
  audience: string
  audienceTiers: string[]
  audienceAccountIds: string[]
  /** `on` when the event is an onboarding session. */
  onboarding: string
}

type Choices = {
  staff: { id: number; displayName: string }[]
  accounts: { id: number; name: string }[]
  timeZones: string[]
}

/** The event editor. Times are typed in the event's own time zone; without JavaScript every field is a
 *  plain input, and a refused save comes back with each error by its field and everything kept. */
export function EventForm({
  choices,
  defaultValue,
  lastResult,
  preview,
  submit,
  submissionKey,
  draft: drafted,
}: {
  /** The one-time key of a create form (docs/decisions/027); an edit form has none. */
  submissionKey?: string | null
  /** The member's draft of a new event (docs/decisions/040); an edit form keeps none. */
  draft?: DraftProps
  choices: Choices
  defaultValue: EventFormValues
  lastResult?: SubmissionResult<string[]>
  preview: string | null
  submit: { name: string; value: string; label: string; secondary?: boolean }[]
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'event',
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EventSchema }),
    shouldValidate: 'onBlur',
  })
  const draft = useDraft({ formId: form.id, formKey: null, saved: null, ...drafted })
  const checked = (values: unknown, value: string) =>
    Array.isArray(values) ? values.map(String).includes(value) : String(values ?? '') === value
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="stack event-form">
      <OneTimeKeyField value={submissionKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <DraftNotice draft={draft} />
      <div className="form-row">
        <SelectField
          label={t('events.fields.kind')}
          errors={fields.kind.errors}
          selectProps={getSelectProps(fields.kind)}
          options={eventKinds.map((kind) => ({ value: kind, label: t(`events.kinds.${kind}`) }))}
        />
        <SelectField
          label={t('events.fields.locale')}
          errors={fields.locale.errors}
          selectProps={getSelectProps(fields.locale)}
          options={[
            { value: 'en', label: t('identity.languages.en') },
            { value: 'ja', label: t('identity.languages.ja') },
          ]}
        />
      </div>
      <Field
        label={t('events.fields.title')}
        errors={fields.title.errors}
        inputProps={getInputProps(fields.title, { type: 'text' })}
      />
      <MarkdownField
        label={t('events.fields.description')}
        errors={fields.body.errors}
        textareaProps={getTextareaProps(fields.body)}
        previewHtml={preview}
        rows={10}
      />
      <fieldset className="stack">
        <legend>{t('events.fields.when')}</legend>
        <SelectField
          label={t('events.fields.time_zone')}
          errors={fields.timeZone.errors}
          selectProps={getSelectProps(fields.timeZone)}
          options={choices.timeZones.map((zone) => ({ value: zone, label: zone }))}
        />
        <div className="form-row">
          <Field
            label={t('events.fields.starts_at')}
            errors={fields.startsAt.errors}
            inputProps={getInputProps(fields.startsAt, { type: 'datetime-local' })}
          />
          <Field
            label={t('events.fields.ends_at')}
            errors={fields.endsAt.errors}
            inputProps={getInputProps(fields.endsAt, { type: 'datetime-local' })}
          />
          <Field
            label={t('events.fields.deadline')}
            hint={t('events.fields.deadline_hint')}
            errors={fields.registrationClosesAt.errors}
            inputProps={getInputProps(fields.registrationClosesAt, { type: 'datetime-local' })}
          />
        </div>
      </fieldset>
      <fieldset className="stack">
        <legend>{t('events.fields.where')}</legend>
        <div className="form-row">
          <Field
            label={t('events.fields.online_url')}
            hint={t('events.fields.online_url_hint')}
            errors={fields.onlineUrl.errors}
            inputProps={getInputProps(fields.onlineUrl, { type: 'url' })}
          />
          <Field
            label={t('events.fields.venue')}
            errors={fields.venue.errors}
            inputProps={getInputProps(fields.venue, { type: 'text' })}
          />
        </div>
        <Field
          label={t('events.fields.capacity')}
          hint={t('events.fields.capacity_hint')}
          errors={fields.capacity.errors}
          inputProps={{ ...getInputProps(fields.capacity, { type: 'number' }), min: 1 }}
        />
        <Field
          label={t('events.fields.recording_url')}
          hint={t('events.fields.recording_url_hint')}
          errors={fields.recordingUrl.errors}
          inputProps={getInputProps(fields.recordingUrl, { type: 'url' })}
        />
      </fieldset>
      <fieldset>
        <legend>{t('events.fields.hosts')}</legend>
        <div className="checkbox-grid">
          {choices.staff.map((person) => (
            <label key={person.id} className="choice">
              <input
                type="checkbox"
                name={fields.hostIds.name}
                value={person.id}
                defaultChecked={checked(fields.hostIds.initialValue, String(person.id))}
              />{' '}
              {person.displayName}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset
        className="stack"
        aria-describedby={fields.audienceTiers.errors?.length ? fields.audienceTiers.errorId : undefined}
      >
        <legend>{t('events.fields.audience')}</legend>
        {(['everyone', 'restricted'] as const).map((value) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name={fields.audience.name}
              value={value}
              defaultChecked={fields.audience.initialValue === value}
            />{' '}
            {t(`events.audience.${value}`)}
          </label>
        ))}
        <p className="field-hint">{t('events.audience.hint')}</p>
        <div className="checkbox-grid">
          {touchTiers.map((tier) => (
            <label key={tier} className="choice">
              <input
                type="checkbox"
                name={fields.audienceTiers.name}
                value={tier}
                defaultChecked={checked(fields.audienceTiers.initialValue, tier)}
              />{' '}
              {t(`events.audience.tiers.${tier}`)}
            </label>
          ))}
        </div>
        <div className="field">
          <label htmlFor={fields.audienceAccountIds.id}>{t('events.audience.accounts')}</label>
          <select
            id={fields.audienceAccountIds.id}
            name={fields.audienceAccountIds.name}
            multiple
            size={Math.min(8, Math.max(3, choices.accounts.length))}
            defaultValue={(Array.isArray(fields.audienceAccountIds.initialValue)
              ? fields.audienceAccountIds.initialValue
              : []
            ).map(String)}
          >
            {choices.accounts.map((account) => (
              <option key={account.id} value={account.id}>
                {account.name}
              </option>
            ))}
          </select>
        </div>
        <ErrorList id={fields.audienceTiers.errorId} errors={fields.audienceTiers.errors} />
      </fieldset>
      <div className="choice">
        <input
          {...getInputProps(fields.onboarding, { type: 'checkbox' })}
          aria-describedby={`${fields.onboarding.id}-hint`}
        />{' '}
        <label htmlFor={fields.onboarding.id}>{t('events.fields.onboarding')}</label>
        <p id={`${fields.onboarding.id}-hint`} className="field-hint">
          {t('events.fields.onboarding_hint')}
        </p>
      </div>
      <div className="inline-actions">
        {submit.map((button) => (
          <button
            key={button.value}
            type="submit"
            name={button.name}
            value={button.value}
            className={button.secondary ? 'button button-secondary' : 'button'}
          >
            {button.label}
          </button>
        ))}
      </div>
      <DraftControls draft={draft} saveButton={false} />
    </Form>
  )
}
