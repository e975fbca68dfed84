import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form } from 'react-router'
import { DraftControls, DraftNotice, type DraftProps, useDraft } from '#app/components/editor/draft-controls.tsx'
import { ErrorList, Field, FormErrors, OneTimeKeyField, SelectField } from '#app/components/forms.tsx'
import { MarkdownField } from '#app/components/qa/markdown-field.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { categoryName, sectionName } from '#app/domain/help/names.ts'
import { ArticleSchema } from '#app/domain/help/schemas.ts'

export type CategoryChoice = {
  id: number
  nameEn: string
  nameJa: string
  sections: { id: number; nameEn: string; nameJa: string }[]
}

export type ArticleFormValues = {
  title: string
  slug: string
  categoryId: string
  sectionId: string
  locale: string
  tags: string
  body: string
  translationOf: string
}

/** The article editor: title, address, place, language, tags and the markdown body with a server
 *  preview. "Save draft" keeps it private; "Publish" saves and publishes in one step. */
export function ArticleForm({
  categories,
  defaultValue,
  lastResult,
  preview,
  published,
  submissionKey,
  draft: drafted,
}: {
  /** The one-time key of a create form (docs/decisions/027); an edit form has none. */
  submissionKey?: string | null
  /** The member's draft of a new article (docs/decisions/040); an edit form keeps none. */
  draft?: DraftProps
  categories: CategoryChoice[]
  defaultValue: ArticleFormValues
  lastResult?: SubmissionResult<string[]>
  preview: string | null
  published: boolean
}) {
  const { t } = useT()
  const { locale } = useViewer()
  const [form, fields] = useForm({
    id: 'article',
    lastResult,
    defaultValue,
    constraint: getZodConstraint(ArticleSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ArticleSchema }),
    shouldValidate: 'onBlur',
  })
  const draft = useDraft({ formId: form.id, formKey: null, saved: null, ...drafted })
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="stack">
      <OneTimeKeyField value={submissionKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <DraftNotice draft={draft} />
      <input {...getInputProps(fields.translationOf, { type: 'hidden' })} />
      <Field
        label={t('help.fields.title')}
        errors={fields.title.errors}
        inputProps={getInputProps(fields.title, { type: 'text' })}
      />
      <Field
        label={t('help.fields.slug')}
        hint={t('help.fields.slug_hint')}
        errors={fields.slug.errors}
        inputProps={{ ...getInputProps(fields.slug, { type: 'text' }), autoComplete: 'off' }}
      />
      <div className="form-row">
        <SelectField
          label={t('help.fields.category')}
          errors={fields.categoryId.errors}
          selectProps={getSelectProps(fields.categoryId)}
          options={categories.map((category) => ({
            value: String(category.id),
            label: categoryName(category, locale),
          }))}
        />
        <div className="field">
          <label htmlFor={fields.sectionId.id}>{t('help.fields.section')}</label>
          <select
            {...getSelectProps(fields.sectionId)}
            aria-describedby={fields.sectionId.errors?.length ? fields.sectionId.errorId : undefined}
          >
            <option value="">{t('help.fields.no_section')}</option>
            {categories
              .filter((category) => category.sections.length)
              .map((category) => (
                <optgroup key={category.id} label={categoryName(category, locale)}>
                  {category.sections.map((section) => (
                    <option key={section.id} value={String(section.id)}>
                      {sectionName(section, locale)}
                    </option>
                  ))}
                </optgroup>
              ))}
          </select>
          <ErrorList id={fields.sectionId.errorId} errors={fields.sectionId.errors} />
        </div>
        <SelectField
          label={t('help.fields.locale')}
          errors={fields.locale.errors}
          selectProps={getSelectProps(fields.locale)}
          options={[
            { value: 'en', label: t('identity.languages.en') },
            { value: 'ja', label: t('identity.languages.ja') },
          ]}
        />
      </div>
      <Field
        label={t('help.fields.tags')}
        hint={t('help.fields.tags_hint')}
        errors={fields.tags.errors}
        inputProps={{ ...getInputProps(fields.tags, { type: 'text' }), autoComplete: 'off' }}
      />
      <MarkdownField
        label={t('help.fields.body')}
        errors={fields.body.errors}
        textareaProps={getTextareaProps(fields.body)}
        previewHtml={preview}
        rows={18}
      />
      <div className="inline-actions">
        {published ? (
          <button type="submit" name="intent" value="save" className="button">
            {t('help.editor.update')}
          </button>
        ) : (
          <>
            <button type="submit" name="intent" value="publish" className="button">
              {t('help.editor.publish')}
            </button>
            <button type="submit" name="intent" value="save" className="button button-secondary">
              {t('help.editor.save_draft')}
            </button>
          </>
        )}
      </div>
      <DraftControls draft={draft} saveButton={false} />
    </Form>
  )
}
