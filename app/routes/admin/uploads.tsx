import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { ErrorList, Field, FormErrors } from '#app/components/forms.tsx'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import {
  fileHardCap,
  readUploadSettings,
  updateUploadSettings,
  uploadUsage,
} from '#app/domain/uploads/settings.server.ts'
import { MB, megabytes, UploadSettingsFormSchema, uploadTypes } from '#app/domain/uploads/types.ts'
import { userPath } from '#app/lib/paths.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/uploads'
import { adminTitle } from './title.ts'

export const meta: Route.MetaFunction = ({ matches }) => adminTitle(matches, 'uploads.admin.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'uploads.configure')
  const db = getDb(context)
  const [settings, usage] = await Promise.all([readUploadSettings(db), uploadUsage(db)])
  return {
    settings,
    usage,
    hardCap: fileHardCap(),
    saved: new URL(request.url).searchParams.get('saved') === '1',
  }
}

/** The names this page's form sends; nothing else reaches the parser. */
const FIELDS = fieldsOf(UploadSettingsFormSchema)

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'uploads.configure')
  const formData = await readForm({ request, context }, { fields: FIELDS })
  const submission = parseWithZod(formData, { schema: UploadSettingsFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await updateUploadSettings(getDb(context), { actor, input: submission.value })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect('/admin/uploads?saved=1')
}

/** Admins set what members may attach (largest file, kinds, storage per member, files per hour) and
 *  see what uploads hold. */
export default function AdminUploads({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { settings, usage, hardCap } = loaderData
  const [form, fields] = useForm({
    id: 'upload-settings',
    lastResult: actionData?.result,
    constraint: getZodConstraint(UploadSettingsFormSchema),
    defaultValue: {
      maxFileMb: String(Math.round((settings.maxFileBytes / MB) * 10) / 10),
      allowedTypes: settings.allowedTypes,
      quotaMb: String(Math.round(settings.quotaBytes / MB)),
      perHour: String(settings.perHour),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UploadSettingsFormSchema }),
    shouldValidate: 'onBlur',
  })
  const allowed = new Set(fields.allowedTypes.initialValue ?? [])
  return (
    <section className="stack" aria-labelledby="uploads-title">
      <h2 id="uploads-title">{t('uploads.admin.title')}</h2>
      <p>{t('uploads.admin.lead')}</p>
      {loaderData.saved ? (
        <p className="notice" role="status">
          {t('uploads.admin.saved')}
        </p>
      ) : null}

      <section className="panel stack narrow" aria-labelledby="uploads-settings-title">
        <h3 id="uploads-settings-title">{t('uploads.admin.settings')}</h3>
        <Form method="post" {...getFormProps(form)} className="stack">
          <FormErrors id={form.errorId} errors={form.errors} />
          <Field
            label={t('uploads.admin.max_file')}
            hint={t('uploads.admin.max_file_hint', { max: megabytes(hardCap) })}
            errors={fields.maxFileMb.errors}
            inputProps={{ ...getInputProps(fields.maxFileMb, { type: 'number' }), step: '0.1', inputMode: 'decimal' }}
          />
          <fieldset
            className="stack"
            aria-describedby={[
              'upload-types-hint',
              fields.allowedTypes.errors?.length ? fields.allowedTypes.errorId : null,
            ]
              .filter(Boolean)
              .join(' ')}
          >
            <legend>{t('uploads.admin.types')}</legend>
            <p id="upload-types-hint" className="field-hint">
              {t('uploads.admin.types_hint')}
            </p>
            <div className="checkbox-grid">
              {uploadTypes.map((type) => (
                <label key={type} className="choice">
                  <input
                    type="checkbox"
                    name={fields.allowedTypes.name}
                    value={type}
                    defaultChecked={allowed.has(type)}
                  />{' '}
                  {t(`uploads.types.${type}`)}
                </label>
              ))}
            </div>
            <ErrorList id={fields.allowedTypes.errorId} errors={fields.allowedTypes.errors} />
          </fieldset>
          <Field
            label={t('uploads.admin.quota')}
            hint={t('uploads.admin.quota_hint')}
            errors={fields.quotaMb.errors}
            inputProps={{ ...getInputProps(fields.quotaMb, { type: 'number' }), inputMode: 'numeric' }}
          />
          <Field
            label={t('uploads.admin.per_hour')}
            hint={t('uploads.admin.per_hour_hint')}
            errors={fields.perHour.errors}
            inputProps={{ ...getInputProps(fields.perHour, { type: 'number' }), inputMode: 'numeric' }}
          />
          <div>
            <button type="submit" className="button">
              {t('uploads.admin.save')}
            </button>
          </div>
        </Form>
      </section>

      <section className="stack" aria-labelledby="uploads-usage-title">
        <h3 id="uploads-usage-title">{t('uploads.admin.usage')}</h3>
        <dl className="facts">
          <dt>{t('uploads.admin.stored')}</dt>
          <dd>
            {megabytes(usage.storedBytes)} ({t('uploads.admin.files', { count: usage.files })},{' '}
            {t('uploads.admin.images', { count: usage.images })})
          </dd>
          <dt>{t('uploads.admin.unused')}</dt>
          <dd>{t('uploads.admin.files', { count: usage.unused })}</dd>
        </dl>
        <p className="field-hint">{t('uploads.admin.unused_hint')}</p>
        <h4>{t('uploads.admin.top')}</h4>
        {usage.top.length === 0 ? (
          <p className="empty">{t('uploads.admin.nobody')}</p>
        ) : (
          <TableScroll label={t('uploads.admin.top')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('uploads.admin.member')}</th>
                  <th scope="col">{t('uploads.admin.file_count')}</th>
                  <th scope="col">{t('uploads.admin.size')}</th>
                </tr>
              </thead>
              <tbody>
                {usage.top.map((row) => (
                  <tr key={row.userId}>
                    <th scope="row">
                      <Link to={userPath(row.userId)}>{row.displayName}</Link>
                    </th>
                    <td>{row.files}</td>
                    <td>{megabytes(row.bytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </section>
  )
}
