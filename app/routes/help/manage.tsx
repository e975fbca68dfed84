import { type FieldMetadata, getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect, useLocation } from 'react-router'
import { Field, FormErrors, SelectField } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { useT } from '#app/components/translation.tsx'
import {
  createCategory,
  createSection,
  deleteCategory,
  deleteSection,
  listArticlesForStaff,
  listHelpCatalog,
  moveCategory,
  moveSection,
  updateCategory,
  updateSection,
} from '#app/domain/help/catalog.server.ts'
import { categoryName } from '#app/domain/help/names.ts'
import { articleEditPath, articlePath, helpCategoryPath } from '#app/domain/help/paths.ts'
import {
  CatalogDeleteFormSchema,
  CatalogMoveFormSchema,
  CategorySchema,
  CreateCategoryFormSchema,
  CreateSectionFormSchema,
  HELP_DESCRIPTION_MAX,
  HELP_NAME_MAX,
  HELP_SLUG_MAX,
  SectionSchema,
  UpdateCategoryFormSchema,
  UpdateSectionFormSchema,
} from '#app/domain/help/schemas.ts'
import { can } from '#app/domain/identity/permissions.ts'
import { getDb, requireCapability } from '#app/lib/auth.server.ts'
import { localeContext } from '#app/lib/context.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { failureResponse, pageParam } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { fail } from '#app/lib/outcome.ts'
import { useRootData } from '#app/root.tsx'
import type { Route } from './+types/manage'

const statuses = ['draft', 'published', 'archived'] as const
const doneKinds = [
  'category_created',
  'category_updated',
  'category_deleted',
  'category_moved',
  'section_created',
  'section_updated',
  'section_deleted',
  'section_moved',
] as const
type DoneKind = (typeof doneKinds)[number]

export const meta: Route.MetaFunction = ({ matches }) =>
  pageTitle(matches, 'help_browse.manage.title', { section: 'nav.help' })

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'help.write')
  const db = getDb(context)
  const url = new URL(request.url)
  const canManage = can(actor, 'help.manage')
  const tab = canManage && url.searchParams.get('tab') === 'categories' ? 'categories' : 'articles'
  const catalog = await listHelpCatalog(db, { locale: context.get(localeContext), viewer: actor })
  const status = statuses.find((value) => value === url.searchParams.get('status'))
  const wanted = Number(url.searchParams.get('category'))
  const categoryId = catalog.some((category) => category.id === wanted) ? wanted : undefined
  let list = null
  if (tab === 'articles') {
    const outcome = await listArticlesForStaff(db, { actor, status, categoryId, page: pageParam(url) })
    if (!outcome.ok) throw failureResponse(context, outcome)
    list = outcome.value
  }
  const done = url.searchParams.get('done')
  return {
    tab,
    canManage,
    catalog: catalog.map((category) => ({
      id: category.id,
      slug: category.slug,
      name: category.name,
      nameEn: category.nameEn,
      nameJa: category.nameJa,
      descriptionEn: category.descriptionEn,
      descriptionJa: category.descriptionJa,
      articleCount: category.articleCount,
      draftCount: category.draftCount ?? 0,
      sections: category.sections,
    })),
    list,
    filter: { status: status ?? '', category: categoryId ? String(categoryId) : '' },
    done: doneKinds.find((kind) => kind === done) ?? null,
  }
}

function done(kind: DoneKind, anchor?: string) {
  return redirect(`/help/manage?tab=categories&done=${kind}${anchor ? `#${anchor}` : ''}`)
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'help.manage')
  const db = getDb(context)
  const formData = await request.formData()
  const intent = formData.get('intent')

  if (intent === 'create-category') {
    const submission = parseWithZod(formData, { schema: CreateCategoryFormSchema })
    if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
    const outcome = await createCategory(db, { actor, input: submission.value })
    if (!outcome.ok) return failureResponse(context, outcome, submission)
    return done('category_created', `category-${outcome.value.id}`)
  }
  if (intent === 'update-category') {
    const submission = parseWithZod(formData, { schema: UpdateCategoryFormSchema })
    if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
    const { categoryId, ...input } = submission.value
    const outcome = await updateCategory(db, { actor, categoryId, input })
    if (!outcome.ok) return failureResponse(context, outcome, submission)
    return done('category_updated', `category-${categoryId}`)
  }
  if (intent === 'create-section') {
    const submission = parseWithZod(formData, { schema: CreateSectionFormSchema })
    if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
    const { categoryId, ...input } = submission.value
    const outcome = await createSection(db, { actor, categoryId, input })
    if (!outcome.ok) return failureResponse(context, outcome, submission)
    return done('section_created', `category-${categoryId}`)
  }
  if (intent === 'update-section') {
    const submission = parseWithZod(formData, { schema: UpdateSectionFormSchema })
    if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
    const { sectionId, ...input } = submission.value
    const outcome = await updateSection(db, { actor, sectionId, input })
    if (!outcome.ok) return failureResponse(context, outcome, submission)
    return done('section_updated', `section-${sectionId}`)
  }
  if (intent === 'move-category' || intent === 'move-section') {
    const submission = parseWithZod(formData, { schema: CatalogMoveFormSchema })
    if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
    const { id, direction } = submission.value
    const outcome =
      intent === 'move-category'
        ? await moveCategory(db, { actor, categoryId: id, direction })
        : await moveSection(db, { actor, sectionId: id, direction })
    if (!outcome.ok) return failureResponse(context, outcome, submission)
    return intent === 'move-category'
      ? done('category_moved', `category-${id}`)
      : done('section_moved', `section-${id}`)
  }
  if (intent === 'delete-category' || intent === 'delete-section') {
    const submission = parseWithZod(formData, { schema: CatalogDeleteFormSchema })
    if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
    const { id } = submission.value
    const outcome =
      intent === 'delete-category'
        ? await deleteCategory(db, { actor, categoryId: id })
        : await deleteSection(db, { actor, sectionId: id })
    if (!outcome.ok) return failureResponse(context, outcome, submission)
    return done(intent === 'delete-category' ? 'category_deleted' : 'section_deleted')
  }
  return failureResponse(context, fail(400, 'errors.bad_request'))
}

type LoaderData = Route.ComponentProps['loaderData']
type CatalogEntry = LoaderData['catalog'][number]
type Result = SubmissionResult<string[]>

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

/** Staff pages of the help center: every article (with filters), and the categories and sections. */
export default function HelpManage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { tab, canManage } = loaderData
  return (
    <div className="stack">
      <nav aria-label={t('help_browse.category.breadcrumbs')} className="breadcrumbs">
        <ol>
          <li>
            <Link to="/help">{t('nav.help')}</Link>
          </li>
          <li>
            <span aria-current="page">{t('help_browse.manage.title')}</span>
          </li>
        </ol>
      </nav>
      <div className="page-heading">
        <h1>{t('help_browse.manage.title')}</h1>
        <Link to="/help/new" className="button">
          {t('help_browse.staff.write')}
        </Link>
      </div>
      {canManage ? (
        <nav aria-label={t('help_browse.manage.tabs')} className="tabs">
          {(['articles', 'categories'] as const).map((value) => (
            <Link
              key={value}
              to={value === 'articles' ? '/help/manage' : '/help/manage?tab=categories'}
              aria-current={tab === value ? 'page' : undefined}
              className={tab === value ? 'tab active' : 'tab'}
            >
              {t(`help_browse.manage.tab.${value}`)}
            </Link>
          ))}
        </nav>
      ) : null}
      {loaderData.done ? (
        <p className="notice" role="status">
          {t(`help_browse.manage.done.${loaderData.done}`)}
        </p>
      ) : null}
      {tab === 'articles' && loaderData.list ? (
        <ArticleList list={loaderData.list} catalog={loaderData.catalog} filter={loaderData.filter} />
      ) : (
        <CategoryManager catalog={loaderData.catalog} actionData={actionData} />
      )}
    </div>
  )
}

function ArticleList({
  list,
  catalog,
  filter,
}: {
  list: NonNullable<LoaderData['list']>
  catalog: CatalogEntry[]
  filter: LoaderData['filter']
}) {
  const { t } = useT()
  const root = useRootData()
  const locale = root?.locale ?? 'en'
  const timeZone = root?.timeZone ?? 'UTC'
  return (
    <section className="stack" aria-labelledby="help-articles-title">
      <h2 id="help-articles-title" className="visually-hidden">
        {t('help_browse.manage.tab.articles')}
      </h2>
      <Form method="get" className="toolbar" aria-label={t('help_browse.manage.filter.label')}>
        <SelectField
          label={t('help_browse.manage.filter.status')}
          selectProps={{ key: filter.status, name: 'status', defaultValue: filter.status }}
          options={[
            { value: '', label: t('help_browse.manage.filter.all_statuses') },
            ...statuses.map((value) => ({ value, label: t(`help_browse.status.${value}`) })),
          ]}
        />
        <SelectField
          label={t('help_browse.manage.filter.category')}
          selectProps={{ key: filter.category, name: 'category', defaultValue: filter.category }}
          options={[
            { value: '', label: t('help_browse.manage.filter.all_categories') },
            ...catalog.map((category) => ({ value: String(category.id), label: category.name })),
          ]}
        />
        <button type="submit" className="button">
          {t('help_browse.manage.filter.submit')}
        </button>
      </Form>
      <p className="muted" role="status">
        {t('help_browse.manage.count', { count: list.total })}
      </p>
      {list.articles.length ? (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('help_browse.manage.columns.title')}</th>
                <th scope="col">{t('help_browse.manage.columns.status')}</th>
                <th scope="col">{t('help_browse.manage.columns.language')}</th>
                <th scope="col">{t('help_browse.manage.columns.category')}</th>
                <th scope="col">{t('help_browse.manage.columns.updated')}</th>
                <th scope="col">{t('help_browse.manage.columns.author')}</th>
                <th scope="col">{t('help_browse.manage.columns.public_page')}</th>
              </tr>
            </thead>
            <tbody>
              {list.articles.map((article) => (
                <tr key={article.id}>
                  <td>
                    <Link to={articleEditPath(article.id)} lang={article.locale}>
                      {article.title}
                    </Link>
                  </td>
                  <td>
                    <span className={`badge help-status-${article.status}`}>
                      {t(`help_browse.status.${article.status}`)}
                    </span>
                  </td>
                  <td>{t(`help_browse.language.${article.locale}`)}</td>
                  <td>{categoryName(article.category, locale)}</td>
                  <td>{formatDateTime(article.updatedAt, locale, timeZone)}</td>
                  <td>{article.authorName ?? t('help_browse.manage.unknown_author')}</td>
                  <td>
                    {article.status === 'published' ? (
                      <Link to={articlePath({ categorySlug: article.category.slug, slug: article.slug })}>
                        {t('help_browse.manage.view')}
                      </Link>
                    ) : (
                      <span className="muted">{t('help_browse.manage.not_public')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">{t('help_browse.manage.empty')}</p>
      )}
      <Pagination page={list.page} perPage={list.perPage} total={list.total} />
    </section>
  )
}

function CategoryManager({
  catalog,
  actionData,
}: {
  catalog: CatalogEntry[]
  actionData: { result: Result } | undefined
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
}: {
  category: CatalogEntry
  first: boolean
  last: boolean
  actionData: { result: Result } | undefined
}) {
  const { t } = useT()
  const locale = useRootData()?.locale ?? 'en'
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
        {category.draftCount ? <> · {t('help_browse.home.drafts', { count: category.draftCount })}</> : null}
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
  const locale = useRootData()?.locale ?? 'en'
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
}: {
  id: string
  intent: 'create-category' | 'update-category'
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
}: {
  id: string
  intent: 'create-section' | 'update-section'
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
