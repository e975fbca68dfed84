import { can, type SessionUser } from '#app/domain/identity/permissions.ts'

export type Viewer = Pick<SessionUser, 'id' | 'role'> | null
type Moderated = { authorId: number; hiddenAt: Date | null; deletedAt: Date | null }
type QuestionState = Moderated & { lockedAt: Date | null; duplicateOfId?: number | null }

export function isModerator(viewer: Viewer): boolean {
  return can(viewer, 'qa.moderate')
}

/** Deleted posts are seen by staff only; hidden posts by staff and their author (who is told why). */
export function canSeePost(viewer: Viewer, post: Moderated): boolean {
  if (isModerator(viewer)) return true
  if (post.deletedAt) return false
  if (post.hiddenAt) return viewer?.id === post.authorId
  return true
}

/** A locked question is frozen for members: no answers, comments, votes, edits or acceptance. Staff
 *  still act on it. */
export function isFrozenFor(viewer: Viewer, question: QuestionState): boolean {
  return !!question.lockedAt && !isModerator(viewer)
}

export function canEditPost(viewer: Viewer, post: Moderated): boolean {
  if (!viewer) return false
  return viewer.id === post.authorId || can(viewer, 'qa.edit_any')
}

export function canAcceptOn(viewer: Viewer, question: Moderated): boolean {
  if (!viewer) return false
  return viewer.id === question.authorId || can(viewer, 'qa.edit_any')
}

/** Duplicates are closed to new answers: the answers belong on the original. */
export function acceptsAnswers(viewer: Viewer, question: QuestionState): boolean {
  return !isFrozenFor(viewer, question) && (!question.duplicateOfId || isModerator(viewer))
}
