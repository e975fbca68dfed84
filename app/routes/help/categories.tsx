import { parseWithZod } from '@conform-to/zod/v4'
import { data, Link, redirect } from 'react-router'
import { CategoryManager } from '#app/components/help/category-manager.tsx'
import { ManageHeader } from '#app/components/help/manage-header.tsx'
import { useT } from '#app/components/translation.tsx'
import {
  categoriesDonePath,
  createCategory,
  createSection,
  deleteCategory,
  deleteSection,
  listHelpCatalog,
  moveCategory,
  moveSection,
  updateCategory,
  updateSection,
} from '#app/domain/help/catalog.server.ts'
import {
  CatalogDeleteFormSchema,
  CatalogMoveFormSchema,
  CreateCategoryFormSchema,
  CreateSectionFormSchema,
  UpdateCategoryFormSchema,
  UpdateSectionFormSchema,
} from '#app/domain/help/schemas.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { issueOneTimeKey, ONE_TIME_KEY_FIELD, sendOnce } from '#app/lib/one-time-key.server.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs, unknownIntent } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/categories'

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
  pageTitle(matches, 'help_browse.manage.tab.categories', { section: 'nav.help' })

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'help.manage')
  const catalog = await listHelpCatalog(getDb(context), { locale: context.get(localeContext), viewer: actor })
  const done = new URL(request.url).searchParams.get('done')
  return {
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
    done: doneKinds.find((kind) => kind === done) ?? null,
    submissionKey: await issueOneTimeKey(getDb(context), actor),
  }
}

function done(kind: DoneKind, anchor?: string) {
  return redirect(categoriesDonePath(kind, anchor))
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [
  ...fieldsOf(
    CreateCategoryFormSchema,
    UpdateCategoryFormSchema,
    CreateSectionFormSchema,
    UpdateSectionFormSchema,
    CatalogMoveFormSchema,
    CatalogDeleteFormSchema,
  ),
  'intent',
  ONE_TIME_KEY_FIELD,
]

/** What each form's handler gets: the staff member managing the catalog. */
type CatalogIntent = IntentArgs<{ actor: SessionUser }>

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'help.manage')
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  return dispatchIntent(
    { context, db, actor, formData },
    {
      'create-category': handleCreateCategory,
      'update-category': handleUpdateCategory,
      'create-section': handleCreateSection,
      'update-section': handleUpdateSection,
      'move-category': handleMoveCategory,
      'move-section': handleMoveSection,
      'delete-category': handleDeleteCategory,
      'delete-section': handleDeleteSection,
    },
    unknownIntent,
  )
}

async function handleCreateCategory({ context, db, actor, formData }: CatalogIntent) {
  const submission = parseWithZod(formData, { schema: CreateCategoryFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await sendOnce(db, actor, formData, (once) =>
    createCategory(db, { actor, input: submission.value, once }),
  )
  if ('replayed' in outcome) return redirect(outcome.replayed)
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return done('category_created', `category-${outcome.value.id}`)
}

async function handleUpdateCategory({ context, db, actor, formData }: CatalogIntent) {
  const submission = parseWithZod(formData, { schema: UpdateCategoryFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const { categoryId, ...input } = submission.value
  const outcome = await updateCategory(db, { actor, categoryId, input })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return done('category_updated', `category-${categoryId}`)
}

async function handleCreateSection({ context, db, actor, formData }: CatalogIntent) {
  const submission = parseWithZod(formData, { schema: CreateSectionFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const { categoryId, ...input } = submission.value
  const outcome = await sendOnce(db, actor, formData, (once) => createSection(db, { actor, categoryId, input, once }))
  if ('replayed' in outcome) return redirect(outcome.replayed)
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return done('section_created', `category-${categoryId}`)
}

async function handleUpdateSection({ context, db, actor, formData }: CatalogIntent) {
  const submission = parseWithZod(formData, { schema: UpdateSectionFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const { sectionId, ...input } = submission.value
  const outcome = await updateSection(db, { actor, sectionId, input })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return done('section_updated', `section-${sectionId}`)
}

async function handleMoveCategory({ context, db, actor, formData }: CatalogIntent) {
  const submission = parseWithZod(formData, { schema: CatalogMoveFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const { id, direction } = submission.value
  const outcome = await moveCategory(db, { actor, categoryId: id, direction })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return done('category_moved', `category-${id}`)
}

async function handleMoveSection({ context, db, actor, formData }: CatalogIntent) {
  const submission = parseWithZod(formData, { schema: CatalogMoveFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const { id, direction } = submission.value
  const outcome = await moveSection(db, { actor, sectionId: id, direction })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return done('section_moved', `section-${id}`)
}

async function handleDeleteCategory({ context, db, actor, formData }: CatalogIntent) {
  const submission = parseWithZod(formData, { schema: CatalogDeleteFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await deleteCategory(db, { actor, categoryId: submission.value.id })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return done('category_deleted')
}

async function handleDeleteSection({ context, db, actor, formData }: CatalogIntent) {
  const submission = parseWithZod(formData, { schema: CatalogDeleteFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await deleteSection(db, { actor, sectionId: submission.value.id })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return done('section_deleted')
}

/** Staff arrange the help center: categories and their sections. */
export default function HelpCategories({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  return (
    <div className="stack">
      <ManageHeader current="categories" canManage />
      {loaderData.done ? (
        <p className="notice" role="status">
          {t(`help_browse.manage.done.${loaderData.done}`)}
        </p>
      ) : null}
      <CategoryManager catalog={loaderData.catalog} actionData={actionData} submissionKey={loaderData.submissionKey} />
      <p>
        <Link to="/help">{t('nav.help')}</Link>
      </p>
    </div>
  )
}
