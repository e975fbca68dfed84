import { type FieldMetadata, getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, Link, useLocation } from 'react-router'
import { Field, FormErrors, OneTimeKeyField } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import type { CatalogCategory } from '#app/domain/help/catalog.ts'
import {
  CategorySchema,
  HELP_DESCRIPTION_MAX,
  HELP_NAME_MAX,
  HELP_SLUG_MAX,
  SectionSchema,
} from '#app/domain/help/schemas.ts'
import { helpCategoryPath } from '#app/lib/paths.ts'

type Result = SubmissionResult<string[]>

/** A help category as the management page shows it. */
export type CatalogEntry = Pick<
  CatalogCategory,
  'id' | 'slug' | 'name' | 'nameEn' | 'nameJa' | 'descriptionEn' | 'descriptionJa' | 'articleCount' | 'sections'
> & { draftCount: number }

/** The action's result when it came from the form with this intent (and, for a form repeated per
 *  row, this row's id), so each error appears next to the form that caused it. */
function resultFor(
  actionData: { result: Result } | undefined,
  intent: string,
  idField?: string,
  id?: number,
): Result | undefined {
  const sent = actionData?.result.initialValue
  if (sent?.intent !== intent) return undefined
  if (idField && String(sent[idField]) !== String(id)) return undefined
  return actionData?.result
}

/** Categories and their sections: rename, reorder, add and delete, each a plain form. */
export function CategoryManager({
  catalog,
  actionData,
  submissionKey,
}: {
  catalog: CatalogEntry[]
  actionData: { result: Result } | undefined
  /** The one-time key the "new" forms carry (docs/decisions/027). */
  submissionKey: string
}) {
  const { t } = useT()
  // A new location after each successful change remounts the forms, emptying the "new" ones.
  const { key } = useLocation()
  return (
    <section className="stack" aria-labelledby="help-categories-title">
      <h2 id="help-categories-title" className="visually-hidden">
        {t('help_browse.manage.tab.categories')}
      </h2>
      {catalog.length ? (
        <ol className="help-manage-categories">
          {catalog.map((category, index) => (
            <CategoryPanel
              key={`${category.id}-${key}`}
              category={category}
              first={index === 0}
              last={index === catalog.length - 1}
              actionData={actionData}
              submissionKey={submissionKey}
            />
          ))}
        </ol>
      ) : (
        <p className="empty">{t('help_browse.manage.no_categories')}</p>
      )}
      <section className="panel stack" aria-labelledby="new-category-title">
        <h3 id="new-category-title">{t('help_browse.manage.new_category')}</h3>
        <CategoryForm
          key={`new-category-${key}`}
          id="new-category"
          intent="create-category"
          submissionKey={submissionKey}
          lastResult={resultFor(actionData, 'create-category')}
          submitLabel={t('help_browse.manage.create_category')}
        />
      </section>
    </section>
  )
}

function CategoryPanel({
  category,
  first,
  last,
  actionData,
  submissionKey,
}: {
  category: CatalogEntry
  first: boolean
  last: boolean
  actionData: { result: Result } | undefined
  submissionKey: string
}) {
  const { t } = useT()
  const { locale } = useViewer()
  const otherName = locale === 'ja' ? category.nameEn : category.nameJa
  const editResult = resultFor(actionData, 'update-category', 'categoryId', category.id)
  const newSectionResult = resultFor(actionData, 'create-section', 'categoryId', category.id)
  return (
    <li id={`category-${category.id}`} className="panel stack">
      <div className="help-manage-row">
        <h3>
          <Link to={helpCategoryPath(category.slug)}>{category.name}</Link> <span className="muted">{otherName}</span>
        </h3>
        <MoveForm
          intent="move-category"
          id={category.id}
          name={category.name}
          first={first}
          last={last}
          actionData={actionData}
        />
      </div>
      <p className="muted">
        {t('help_browse.manage.address', { slug: category.slug })} ·{' '}
        {t('help_browse.home.articles', { count: category.articleCount })}
        {category.draftCount ? (
          <>
            {t('app.separator')}
            {t('help_browse.home.drafts', { count: category.draftCount })}
          </>
        ) : null}
      </p>
      <details open={!!editResult}>
        <summary>{t('help_browse.manage.edit_category')}</summary>
        <CategoryForm
          id={`edit-category-${category.id}`}
          intent="update-category"
          categoryId={category.id}
          defaultValue={{
            slug: category.slug,
            nameEn: category.nameEn,
            nameJa: category.nameJa,
            descriptionEn: category.descriptionEn,
            descriptionJa: category.descriptionJa,
          }}
          lastResult={editResult}
          submitLabel={t('help_browse.manage.save')}
        />
      </details>
      <h4>{t('help_browse.manage.sections')}</h4>
      {category.sections.length ? (
        <ol className="help-manage-sections">
          {category.sections.map((section, index) => (
            <SectionRow
              key={section.id}
              section={section}
              first={index === 0}
              last={index === category.sections.length - 1}
              actionData={actionData}
            />
          ))}
        </ol>
      ) : (
        <p className="muted">{t('help_browse.manage.no_sections')}</p>
      )}
      <details open={!!newSectionResult}>
        <summary>{t('help_browse.manage.new_section')}</summary>
        <SectionForm
          id={`new-section-${category.id}`}
          intent="create-section"
          submissionKey={submissionKey}
          parentId={category.id}
          lastResult={newSectionResult}
          submitLabel={t('help_browse.manage.create_section')}
        />
      </details>
      <DeleteForm
        intent="delete-category"
        id={category.id}
        name={category.name}
        hint={t('help_browse.manage.delete_category_hint')}
        actionData={actionData}
      />
    </li>
  )
}

function SectionRow({
  section,
  first,
  last,
  actionData,
}: {
  section: CatalogEntry['sections'][number]
  first: boolean
  last: boolean
  actionData: { result: Result } | undefined
}) {
  const { t } = useT()
  const { locale } = useViewer()
  const editResult = resultFor(actionData, 'update-section', 'sectionId', section.id)
  const deleteResult = resultFor(actionData, 'delete-section', 'id', section.id)
  return (
    <li id={`section-${section.id}`} className="stack">
      <div className="help-manage-row">
        <p>
          <strong>{section.name}</strong>{' '}
          <span className="muted">{locale === 'ja' ? section.nameEn : section.nameJa}</span>
        </p>
        <MoveForm
          intent="move-section"
          id={section.id}
          name={section.name}
          first={first}
          last={last}
          actionData={actionData}
        />
      </div>
      <details open={!!editResult || !!deleteResult}>
        <summary>{t('help_browse.manage.edit_section')}</summary>
        <SectionForm
          id={`edit-section-${section.id}`}
          intent="update-section"
          sectionId={section.id}
          defaultValue={{ nameEn: section.nameEn, nameJa: section.nameJa }}
          lastResult={editResult}
          submitLabel={t('help_browse.manage.save')}
        />
        <DeleteForm
          intent="delete-section"
          id={section.id}
          name={section.name}
          hint={t('help_browse.manage.delete_section_hint')}
          actionData={actionData}
        />
      </details>
    </li>
  )
}

type CategoryValues = {
  slug: string
  nameEn: string
  nameJa: string
  descriptionEn: string
  descriptionJa: string
}

/** Creates (no `categoryId`) or edits a category. Plain form: works without JavaScript, and a refused
 *  submission comes back with what was typed and each error next to its field. */
function CategoryForm({
  id,
  intent,
  categoryId,
  defaultValue,
  lastResult,
  submitLabel,
  submissionKey,
}: {
  id: string
  intent: 'create-category' | 'update-category'
  submissionKey?: string
  categoryId?: number
  defaultValue?: CategoryValues
  lastResult?: Result
  submitLabel: string
}) {
  const { t } = useT()
  // The browser checks the typed fields; the hidden intent and id are the server's business.
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CategorySchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <input type="hidden" name="intent" value={intent} />
      {categoryId ? <input type="hidden" name="categoryId" value={categoryId} /> : null}
      <OneTimeKeyField value={submissionKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <NameFields
        nameEn={fields.nameEn}
        nameJa={fields.nameJa}
        labels={[t('help_browse.manage.fields.nameEn'), t('help_browse.manage.fields.nameJa')]}
      />
      <Field
        label={t('help_browse.manage.fields.slug')}
        hint={t('help_browse.manage.fields.slug_hint')}
        errors={fields.slug.errors}
        inputProps={{ ...getInputProps(fields.slug, { type: 'text' }), maxLength: HELP_SLUG_MAX, autoComplete: 'off' }}
      />
      <div className="help-manage-fields">
        <Field
          label={t('help_browse.manage.fields.descriptionEn')}
          hint={t('help_browse.manage.fields.description_hint')}
          errors={fields.descriptionEn.errors}
          inputProps={{ ...getInputProps(fields.descriptionEn, { type: 'text' }), maxLength: HELP_DESCRIPTION_MAX }}
        />
        <Field
          label={t('help_browse.manage.fields.descriptionJa')}
          hint={t('help_browse.manage.fields.description_hint')}
          errors={fields.descriptionJa.errors}
          inputProps={{
            ...getInputProps(fields.descriptionJa, { type: 'text' }),
            maxLength: HELP_DESCRIPTION_MAX,
            lang: 'ja',
          }}
        />
      </div>
      <div>
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </div>
    </Form>
  )
}

/** The English and Japanese names every category and section has. */
function NameFields({
  nameEn,
  nameJa,
  labels,
}: {
  // The forms' values are untyped (their schemas pre-process input), so any field metadata fits.
  nameEn: FieldMetadata<unknown>
  nameJa: FieldMetadata<unknown>
  labels: [string, string]
}) {
  return (
    <div className="help-manage-fields">
      <Field
        label={labels[0]}
        errors={nameEn.errors}
        inputProps={{ ...getInputProps(nameEn, { type: 'text' }), required: true, maxLength: HELP_NAME_MAX }}
      />
      <Field
        label={labels[1]}
        errors={nameJa.errors}
        inputProps={{
          ...getInputProps(nameJa, { type: 'text' }),
          required: true,
          maxLength: HELP_NAME_MAX,
          lang: 'ja',
        }}
      />
    </div>
  )
}

/** Adds a section to a category (`parentId`) or renames one (`sectionId`). */
function SectionForm({
  id,
  intent,
  parentId,
  sectionId,
  defaultValue,
  lastResult,
  submitLabel,
  submissionKey,
}: {
  id: string
  intent: 'create-section' | 'update-section'
  submissionKey?: string
  parentId?: number
  sectionId?: number
  defaultValue?: { nameEn: string; nameJa: string }
  lastResult?: Result
  submitLabel: string
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SectionSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <input type="hidden" name="intent" value={intent} />
      {parentId ? <input type="hidden" name="categoryId" value={parentId} /> : null}
      {sectionId ? <input type="hidden" name="sectionId" value={sectionId} /> : null}
      <OneTimeKeyField value={submissionKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <NameFields
        nameEn={fields.nameEn}
        nameJa={fields.nameJa}
        labels={[t('help_browse.manage.fields.sectionNameEn'), t('help_browse.manage.fields.sectionNameJa')]}
      />
      <div>
        <button type="submit" className="button button-secondary">
          {submitLabel}
        </button>
      </div>
    </Form>
  )
}

/** "Move up" and "Move down" for one row; the pressed button sends its direction. */
function MoveForm({
  intent,
  id,
  name,
  first,
  last,
  actionData,
}: {
  intent: 'move-category' | 'move-section'
  id: number
  name: string
  first: boolean
  last: boolean
  actionData: { result: Result } | undefined
}) {
  const { t } = useT()
  const [form] = useForm({ id: `${intent}-${id}`, lastResult: resultFor(actionData, intent, 'id', id) })
  return (
    <Form method="post" {...getFormProps(form)} className="help-manage-actions">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        name="direction"
        value="up"
        className="button button-small button-secondary"
        disabled={first}
        aria-label={t('help_browse.manage.move_up_label', { name })}
      >
        {t('help_browse.manage.move_up')}
      </button>
      <button
        type="submit"
        name="direction"
        value="down"
        className="button button-small button-secondary"
        disabled={last}
        aria-label={t('help_browse.manage.move_down_label', { name })}
      >
        {t('help_browse.manage.move_down')}
      </button>
      <FormErrors id={form.errorId} errors={form.errors} />
    </Form>
  )
}

function DeleteForm({
  intent,
  id,
  name,
  hint,
  actionData,
}: {
  intent: 'delete-category' | 'delete-section'
  id: number
  name: string
  hint: string
  actionData: { result: Result } | undefined
}) {
  const { t } = useT()
  const [form] = useForm({ id: `${intent}-${id}`, lastResult: resultFor(actionData, intent, 'id', id) })
  return (
    <Form method="post" {...getFormProps(form)} className="help-manage-delete">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <p className="field-hint">{hint}</p>
      <button
        type="submit"
        className="button button-small button-danger"
        aria-label={t('help_browse.manage.delete_label', { name })}
      >
        {t('help_browse.manage.delete')}
      </button>
    </Form>
  )
}
