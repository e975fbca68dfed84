import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { listTags } from '#app/domain/qa/questions.server.ts'
import { MergeTagsSchema, RenameTagSchema } from '#app/domain/qa/schemas.ts'
import { mergeTags, renameTag, type TagChange } from '#app/domain/qa/tag-admin.server.ts'
import { normalizeTag } from '#app/domain/qa/tags.ts'
import { pageTitle } from '#app/lib/meta.ts'
import type { Failure } from '#app/lib/outcome.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs, unknownIntent } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/tags-manage'

export const meta: Route.MetaFunction = ({ matches }) =>
  pageTitle(matches, 'editor.tags.manage.title', { section: 'qa.tags_page.title' })

const PATH = '/tags/manage'
const DATALIST_ID = 'tags-in-use'

/** What was done, read back from the address the form redirected to (names normalised again). */
function doneOf(url: URL) {
  const kind = url.searchParams.get('done')
  if (kind !== 'renamed' && kind !== 'merged') return null
  const from = normalizeTag((url.searchParams.get('from') ?? '').slice(0, 100))
  const to = normalizeTag((url.searchParams.get('to') ?? '').slice(0, 100))
  const count = Number(url.searchParams.get('questions'))
  if (!from || !to || !Number.isSafeInteger(count) || count < 0) return null
  return { kind, from, to, count }
}

export async function loader({ request, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'qa.manage_tags')
  return { tags: await listTags(getDb(context)), done: doneOf(new URL(request.url)) }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(RenameTagSchema, MergeTagsSchema), 'intent']

type TagIntent = IntentArgs<{ actor: SessionUser }>

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'qa.manage_tags')
  const formData = await readForm({ request, context }, { fields: FIELDS })
  return dispatchIntent(
    { context, db: getDb(context), actor, formData },
    { rename: handleRename, merge: handleMerge },
    unknownIntent,
  )
}

function doneAt(kind: 'renamed' | 'merged', change: TagChange) {
  const query = new URLSearchParams({
    done: kind,
    from: change.from,
    to: change.to,
    questions: String(change.questions),
  })
  return redirect(`${PATH}?${query}`)
}

/** A refusal beside its field, tagged with the form it belongs to; what was typed is kept. */
function refused(args: TagIntent, failure: Failure, submission: Parameters<typeof failureResponse>[2]) {
  const response = failureResponse(args.context, failure, submission)
  return data({ intent: args.intent, ...response.data }, response.init ?? undefined)
}

async function handleRename(args: TagIntent) {
  const submission = parseWithZod(args.formData, { schema: RenameTagSchema })
  if (submission.status !== 'success') return data({ intent: args.intent, result: submission.reply() }, { status: 400 })
  const outcome = await renameTag(args.db, { actor: args.actor, ...submission.value })
  if (!outcome.ok) return refused(args, outcome, submission)
  return doneAt('renamed', outcome.value)
}

async function handleMerge(args: TagIntent) {
  const submission = parseWithZod(args.formData, { schema: MergeTagsSchema })
  if (submission.status !== 'success') return data({ intent: args.intent, result: submission.reply() }, { status: 400 })
  const outcome = await mergeTags(args.db, { actor: args.actor, ...submission.value })
  if (!outcome.ok) return refused(args, outcome, submission)
  return doneAt('merged', outcome.value)
}

export default function ManageTags({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { done, tags } = loaderData
  const resultOf = (intent: string) => (actionData?.intent === intent ? actionData.result : undefined)
  const [renameForm, renameFields] = useForm({
    id: 'rename-tag',
    lastResult: resultOf('rename'),
    constraint: getZodConstraint(RenameTagSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RenameTagSchema }),
    shouldValidate: 'onBlur',
  })
  const [mergeForm, mergeFields] = useForm({
    id: 'merge-tags',
    lastResult: resultOf('merge'),
    constraint: getZodConstraint(MergeTagsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MergeTagsSchema }),
    shouldValidate: 'onBlur',
  })
  const tagInput = { type: 'text', autoComplete: 'off', list: DATALIST_ID } as const
  return (
    <div className="stack">
      <p>
        <Link to="/tags">{t('qa.tags_page.title')}</Link>
      </p>
      <h1>{t('editor.tags.manage.title')}</h1>
      <p className="muted">{t('editor.tags.manage.lead')}</p>
      {done ? (
        <p className="notice" role="status">
          {t(done.kind === 'renamed' ? 'editor.tags.manage.renamed' : 'editor.tags.manage.merged', {
            from: done.from,
            to: done.to,
            count: done.count,
          })}
        </p>
      ) : null}
      <div className="tag-manage-forms">
        <Form method="post" {...getFormProps(renameForm)} className="panel stack" aria-labelledby="rename-tag-title">
          <h2 id="rename-tag-title">{t('editor.tags.manage.rename_title')}</h2>
          <p className="field-hint">{t('editor.tags.manage.rename_hint')}</p>
          <FormErrors id={renameForm.errorId} errors={renameForm.errors} />
          <Field
            label={t('editor.tags.manage.rename_from')}
            errors={renameFields.from.errors}
            inputProps={{ ...getInputProps(renameFields.from, tagInput), ...tagInput }}
          />
          <Field
            label={t('editor.tags.manage.rename_to')}
            errors={renameFields.to.errors}
            inputProps={{ ...getInputProps(renameFields.to, { type: 'text' }), autoComplete: 'off' }}
          />
          <button type="submit" name="intent" value="rename" className="button">
            {t('editor.tags.manage.rename_submit')}
          </button>
        </Form>
        <Form method="post" {...getFormProps(mergeForm)} className="panel stack" aria-labelledby="merge-tags-title">
          <h2 id="merge-tags-title">{t('editor.tags.manage.merge_title')}</h2>
          <p className="field-hint">{t('editor.tags.manage.merge_hint')}</p>
          <FormErrors id={mergeForm.errorId} errors={mergeForm.errors} />
          <Field
            label={t('editor.tags.manage.merge_from')}
            errors={mergeFields.from.errors}
            inputProps={{ ...getInputProps(mergeFields.from, tagInput), ...tagInput }}
          />
          <Field
            label={t('editor.tags.manage.merge_into')}
            errors={mergeFields.into.errors}
            inputProps={{ ...getInputProps(mergeFields.into, tagInput), ...tagInput }}
          />
          <button type="submit" name="intent" value="merge" className="button">
            {t('editor.tags.manage.merge_submit')}
          </button>
        </Form>
      </div>
      <datalist id={DATALIST_ID}>
        {tags.map((tag) => (
          <option key={tag.name} value={tag.name}>
            {t('editor.tags.questions', { count: tag.questions })}
          </option>
        ))}
      </datalist>
    </div>
  )
}
