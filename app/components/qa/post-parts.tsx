import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { useRef } from 'react'
import { Form, Link } from 'react-router'
import { TextWithUploadLinks } from '#app/components/editor/upload-links.tsx'
import { ErrorList, FormErrors, OneTimeKeyField, useResetAfterSuccess } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { CommentSchema, DuplicateSchema, FlagSchema, flagReasons } from '#app/domain/qa/schemas.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { userPath } from '#app/lib/paths.ts'
import { StaffBadge } from './post-byline.tsx'

// A question page holds a comment and a flag form per post: their constraints are read from the
// schemas once, not on every render of every form.
const commentConstraint = getZodConstraint(CommentSchema)
const flagConstraint = getZodConstraint(FlagSchema)
const duplicateConstraint = getZodConstraint(DuplicateSchema)

type PostRef = { postType: 'question' | 'answer'; postId: number }
type FormResult = SubmissionResult<string[]> | undefined

export type CommentData = {
  id: number
  body: string
  createdAt: Date | string
  hiddenAt: Date | string | null
  deletedAt: Date | string | null
  authorId: number
  authorName: string
  authorRole: string
}

/** The comments under a post, oldest first. Hidden or deleted ones reach only staff, marked. */
export function CommentList({ comments, moderator }: { comments: CommentData[]; moderator: boolean }) {
  const { t } = useT()
  const viewer = useViewer()
  if (!comments.length) return null
  return (
    <ul className="comment-list" aria-label={t('qa.comments.title')}>
      {comments.map((comment) => (
        <li
          key={comment.id}
          id={`comment-${comment.id}`}
          className={comment.hiddenAt || comment.deletedAt ? 'moderated' : undefined}
        >
          <span className="comment-body">
            <TextWithUploadLinks text={comment.body} />
          </span>
          {' – '}
          <Link to={userPath(comment.authorId)}>{comment.authorName}</Link>
          {comment.authorRole !== 'member' ? <StaffBadge /> : null}{' '}
          <time className="muted" dateTime={new Date(comment.createdAt).toISOString()}>
            {formatDateTime(comment.createdAt, viewer.locale, viewer.timeZone)}
          </time>
          {comment.deletedAt ? <span className="badge">{t('qa.deleted_badge')}</span> : null}
          {comment.hiddenAt ? <span className="badge">{t('qa.hidden_badge')}</span> : null}
          {moderator ? (
            <ModerationButtons
              target={{ targetType: 'comment', targetId: comment.id }}
              hidden={!!comment.hiddenAt}
              deleted={!!comment.deletedAt}
            />
          ) : null}
        </li>
      ))}
    </ul>
  )
}

/** "Add a comment", folded until opened (a native disclosure, so no JavaScript is needed). It opens by
 *  itself when it comes back with an error, with what was typed; once sent, it closes empty. */
export function CommentForm({
  post,
  lastResult,
  submissionKey,
}: {
  post: PostRef
  lastResult: FormResult
  submissionKey: string | null
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: `comment-${post.postType}-${post.postId}`,
    lastResult,
    constraint: commentConstraint,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CommentSchema }),
    shouldValidate: 'onSubmit',
  })
  const { details, onSubmit } = useFoldedReset(form, lastResult)
  return (
    <details ref={details} className="comment-form" open={!!lastResult && lastResult.status === 'error'}>
      <summary>{t('qa.comments.add')}</summary>
      <Form method="post" {...getFormProps(form)} onSubmit={onSubmit} className="stack">
        <OneTimeKeyField value={submissionKey} />
        <input type="hidden" name="intent" value="comment" />
        <input type="hidden" name="postType" value={post.postType} />
        <input type="hidden" name="postId" value={post.postId} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <div className="field">
          <label htmlFor={fields.body.id}>{t('qa.comments.label')}</label>
          <textarea
            {...getTextareaProps(fields.body)}
            rows={3}
            aria-describedby={fields.body.errors?.length ? fields.body.errorId : undefined}
          />
          <ErrorList id={fields.body.errorId} errors={fields.body.errors} />
        </div>
        <button type="submit" className="button button-small">
          {t('qa.comments.submit')}
        </button>
      </Form>
    </details>
  )
}

export type FlagTargetRef = { targetType: 'question' | 'answer' | 'comment'; targetId: number }

/** "Flag" with a reason and an optional note, folded until opened; once sent, it closes empty. */
export function FlagForm({
  target,
  lastResult,
  submissionKey,
}: {
  target: FlagTargetRef
  lastResult: FormResult
  submissionKey: string | null
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: `flag-${target.targetType}-${target.targetId}`,
    lastResult,
    constraint: flagConstraint,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: FlagSchema }),
    shouldValidate: 'onSubmit',
  })
  const { details, onSubmit } = useFoldedReset(form, lastResult)
  return (
    <details ref={details} className="flag-form" open={!!lastResult && lastResult.status === 'error'}>
      <summary>{t('qa.flag.open')}</summary>
      <Form method="post" {...getFormProps(form)} onSubmit={onSubmit} className="stack">
        <OneTimeKeyField value={submissionKey} />
        <input type="hidden" name="intent" value="flag" />
        <input type="hidden" name="targetType" value={target.targetType} />
        <input type="hidden" name="targetId" value={target.targetId} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset aria-describedby={fields.reason.errors?.length ? fields.reason.errorId : undefined}>
          <legend>{t('qa.flag.reason')}</legend>
          {flagReasons.map((reason) => (
            <label key={reason} className="choice">
              <input
                type="radio"
                name={fields.reason.name}
                value={reason}
                defaultChecked={fields.reason.initialValue === reason}
              />{' '}
              {t(`qa.flag.reasons.${reason}`)}
            </label>
          ))}
          <ErrorList id={fields.reason.errorId} errors={fields.reason.errors} />
        </fieldset>
        <div className="field">
          <label htmlFor={fields.note.id}>{t('qa.flag.note')}</label>
          <textarea
            {...getTextareaProps(fields.note)}
            rows={2}
            aria-describedby={fields.note.errors?.length ? fields.note.errorId : undefined}
          />
          <ErrorList id={fields.note.errorId} errors={fields.note.errors} />
        </div>
        <button type="submit" className="button button-small button-secondary">
          {t('qa.flag.submit')}
        </button>
      </Form>
    </details>
  )
}

/** A folded create form that empties and closes once its submission went through. */
function useFoldedReset(
  form: { reset: () => void; onSubmit: (event: React.FormEvent<HTMLFormElement>) => void },
  lastResult: FormResult,
) {
  const details = useRef<HTMLDetailsElement>(null)
  const { markSent } = useResetAfterSuccess({
    failed: lastResult?.status === 'error',
    onSuccess: () => {
      form.reset()
      if (details.current) details.current.open = false
    },
  })
  return {
    details,
    onSubmit(event: React.FormEvent<HTMLFormElement>) {
      form.onSubmit(event)
      markSent(event)
    },
  }
}

/** Staff buttons on any post: hide / unhide and delete / restore. */
export function ModerationButtons({
  target,
  hidden,
  deleted,
}: {
  target: FlagTargetRef
  hidden: boolean
  deleted: boolean
}) {
  const { t } = useT()
  return (
    <Form method="post" className="inline-actions moderation-buttons">
      <input type="hidden" name="intent" value="moderate" />
      <input type="hidden" name="targetType" value={target.targetType} />
      <input type="hidden" name="targetId" value={target.targetId} />
      <button type="submit" name="action" value={hidden ? 'unhide' : 'hide'} className="link-button">
        {hidden ? t('qa.moderation.unhide') : t('qa.moderation.hide')}
      </button>
      <button type="submit" name="action" value={deleted ? 'restore' : 'delete'} className="link-button">
        {deleted ? t('qa.moderation.restore') : t('qa.moderation.delete')}
      </button>
    </Form>
  )
}

/** Staff tools for a whole question: lock, and duplicate marking. */
export function QuestionModeration({
  locked,
  duplicateOfId,
  lastResult,
}: {
  locked: boolean
  duplicateOfId: number | null
  lastResult: FormResult
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'duplicate',
    lastResult,
    constraint: duplicateConstraint,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DuplicateSchema }),
    shouldValidate: 'onSubmit',
  })
  return (
    <details className="moderation-tools" open={!!lastResult && lastResult.status === 'error'}>
      <summary>{t('qa.moderation.tools')}</summary>
      <div className="stack">
        <Form method="post">
          <button
            type="submit"
            name="intent"
            value={locked ? 'unlock' : 'lock'}
            className="button button-small button-secondary"
          >
            {locked ? t('qa.moderation.unlock') : t('qa.moderation.lock')}
          </button>
        </Form>
        {duplicateOfId ? (
          <Form method="post">
            <button
              type="submit"
              name="intent"
              value="clear-duplicate"
              className="button button-small button-secondary"
            >
              {t('qa.moderation.clear_duplicate')}
            </button>
          </Form>
        ) : (
          <Form method="post" {...getFormProps(form)} className="toolbar">
            <input type="hidden" name="intent" value="duplicate" />
            <div className="field">
              <label htmlFor={fields.duplicateOf.id}>{t('qa.moderation.duplicate_of')}</label>
              <input
                id={fields.duplicateOf.id}
                name={fields.duplicateOf.name}
                defaultValue={fields.duplicateOf.initialValue}
                type="text"
                aria-invalid={fields.duplicateOf.errors?.length ? true : undefined}
                aria-describedby={fields.duplicateOf.errors?.length ? fields.duplicateOf.errorId : undefined}
              />
              <ErrorList id={fields.duplicateOf.errorId} errors={fields.duplicateOf.errors} />
            </div>
            <button type="submit" className="button button-small button-secondary">
              {t('qa.moderation.mark_duplicate')}
            </button>
          </Form>
        )}
      </div>
    </details>
  )
}

type ActionablePost = {
  id: number
  canEdit: boolean
  editedAt: Date | string | null
  hiddenAt: Date | string | null
  deletedAt: Date | string | null
}

/** The row under a post: whatever the caller adds first (accepting), then edit, revisions, flag and,
 *  for staff, hide and delete. */
export function PostActions({
  postType,
  post,
  mine,
  viewer,
  flagResult,
  submissionKey,
  children,
}: {
  postType: 'question' | 'answer'
  post: ActionablePost
  mine: boolean
  viewer: { canFlag: boolean; canModerate: boolean }
  flagResult: FormResult
  /** The one-time key of the flag form. */
  submissionKey: string | null
  children?: React.ReactNode
}) {
  const { t } = useT()
  return (
    <div className="post-actions">
      {children}
      {post.canEdit ? <Link to={`/posts/${postType}/${post.id}/edit`}>{t('qa.edit')}</Link> : null}
      {post.editedAt ? <Link to={`/posts/${postType}/${post.id}/revisions`}>{t('qa.revisions.link')}</Link> : null}
      {viewer.canFlag && !mine ? (
        <FlagForm
          target={{ targetType: postType, targetId: post.id }}
          lastResult={flagResult}
          submissionKey={submissionKey}
        />
      ) : null}
      {viewer.canModerate ? (
        <ModerationButtons
          target={{ targetType: postType, targetId: post.id }}
          hidden={!!post.hiddenAt}
          deleted={!!post.deletedAt}
        />
      ) : null}
    </div>
  )
}
