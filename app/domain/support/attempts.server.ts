import { randomUUID } from 'node:crypto'
import { and, desc, eq, isNull, lte, sql } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { requireVerified } from '#app/domain/identity/email-verification.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import type { Locale } from '#app/lib/i18n.ts'
import type { JobDefinition } from '#app/lib/jobs.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { articlePath, questionPath } from '#app/lib/paths.ts'
import { hitRateLimit, type RateRule, rateRules, waitParams } from '#app/lib/rate-limit.server.ts'
import { withoutNul } from '#app/lib/schema-text.ts'
import { signValue, verifySigned } from '#app/lib/signing.server.ts'
import type { Db } from '#db/client.server.ts'
import { articles, helpCategories } from '#db/schema/help.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { deflectionAttempts, type OpenedSuggestion, type ShownSuggestion } from '#db/schema/support.ts'
import { activeSearchEngine } from '#search/active.server.ts'
import { isMeaningful, normalizeQuery, parseQuery } from '#search/text.ts'
import { IMPLICIT_WINDOW_HOURS } from './options.ts'
import { SUBJECT_MAX } from './schemas.ts'
import type { Suggestion, SuggestionContent } from './suggestions.ts'

export type Attempt = typeof deflectionAttempts.$inferSelect

/** A help article or answered question offered before a request goes out. */
export const SUGGESTION_LIMIT = 5

/** The help articles and answered questions that best match a subject, best first. Questions without
 *  an answer cannot answer anyone, so they are left out. Search trouble yields no suggestions rather
 *  than keeping anyone from asking for help. */
export async function suggestionsFor(
  db: Db,
  { q, locale, limit = SUGGESTION_LIMIT }: { q: string; locale: Locale; limit?: number },
): Promise<Suggestion[]> {
  if (!parseQuery(q).some(isMeaningful)) return []
  try {
    const { hits } = await activeSearchEngine(db).search({ q, types: ['article', 'question'], locale, limit: 20 })
    return hits
      .filter((hit) => hit.type === 'article' || hit.answerCount > 0)
      .slice(0, limit)
      .map((hit) => ({
        doc: hit.id,
        type: hit.type as Suggestion['type'],
        title: hit.title,
        url: hit.url,
        snippet: hit.highlights.snippet,
        titleParts: hit.highlights.title,
        accepted: hit.accepted,
        locale: hit.locale,
      }))
  } catch (error) {
    console.error('[support] suggestions', error)
    return []
  }
}

const ATTEMPT_PURPOSE = 'support.attempt'

/** A new attempt key for `user`: issued by the server each time the contact form is opened, signed and
 *  bound to the member, so only keys the server handed this member can ever start an attempt. */
export async function issueAttemptKey(db: Db, user: Pick<SessionUser, 'id'>): Promise<string> {
  return signValue(db, `${ATTEMPT_PURPOSE}:${user.id}`, randomUUID())
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The attempt's id in a key (`<uuid>.<signature>` as issued, or the bare id of an attempt that
 *  exists), and whether the server signed it for `user`; null for anything else. */
async function readAttemptKey(db: Db, user: Pick<SessionUser, 'id'>, key: string) {
  const id = key.split('.')[0] ?? ''
  if (!UUID.test(id)) return null
  const issued = key.includes('.') && (await verifySigned(db, `${ATTEMPT_PURPOSE}:${user.id}`, key)) === id
  return { id, issued }
}

/** The attempt `key` of `user`, locked until the transaction ends. With `create`, a key the server
 *  issued to this member starts the attempt (with their account and language) on first use; without,
 *  only an attempt that exists counts. Another member's key, or one the server never issued, is
 *  unknown. */
export async function lockAttempt(
  tx: Db,
  user: SessionUser,
  key: string,
  { create = false }: { create?: boolean } = {},
): Promise<Attempt | null> {
  const read = await readAttemptKey(tx, user, key)
  if (!read) return null
  if (create && read.issued) {
    await tx
      .insert(deflectionAttempts)
      .values({ key: read.id, userId: user.id, accountId: user.accountId, locale: user.locale })
      .onConflictDoNothing({ target: deflectionAttempts.key })
  }
  const [attempt] = await tx.select().from(deflectionAttempts).where(eq(deflectionAttempts.key, read.id)).for('update')
  return attempt && attempt.userId === user.id ? attempt : null
}

/** Counts one request of the contact form against the member's allowance, or says when to try again. */
async function paceContactForm(db: Db, user: SessionUser, rule: RateRule, kind: string) {
  const pace = await hitRateLimit(db, `support:${kind}:${user.id}`, rule)
  return pace.allowed
    ? null
    : fail(429, `support.errors.${kind === 'suggest' ? 'too_fast' : 'actions_too_fast'}`, {
        params: waitParams(pace.retryAfterSeconds, 'minutes'),
      })
}

/** Adds newly shown suggestions to the attempt's list (the first showing of each counts, with its
 *  place then) and makes `query` the subject they were found for. */
function mergeShown(shown: ShownSuggestion[], query: string, suggestions: Suggestion[], at: Date): ShownSuggestion[] {
  const seen = new Set(shown.map((s) => s.doc))
  const added = suggestions
    .map((s, index) => ({ doc: s.doc, rank: index + 1, title: s.title, query, at: at.toISOString() }))
    .filter((s) => !seen.has(s.doc))
  return [...shown, ...added]
}

/** Finds suggestions for the subject typed so far and records them on the attempt: what the member was
 *  offered is part of what the figures stand on. Returns the suggestions to show. */
export async function suggestForAttempt(
  db: Db,
  { user, key, q, now = new Date() }: { user: SessionUser; key: string; q: string; now?: Date },
): Promise<Outcome<{ suggestions: Suggestion[]; query: string }>> {
  const unverified = requireVerified(user)
  if (unverified) return unverified
  // The subject as typed so far, which the contact form sends even when the rest is invalid.
  const query = withoutNul(q).trim().slice(0, SUBJECT_MAX)
  const suggestions = await suggestionsFor(db, { q: query, locale: user.locale })
  return db.transaction(async (tx) => {
    const attempt = await lockAttempt(tx, user, key, { create: true })
    if (!attempt) return fail(404, 'support.errors.attempt_invalid')
    if (query) {
      await tx
        .update(deflectionAttempts)
        .set({ query, shown: mergeShown(attempt.shown, query, suggestions, now), updatedAt: now })
        .where(eq(deflectionAttempts.id, attempt.id))
    }
    return ok({ suggestions, query })
  })
}

/** Whether the suggestions for this subject have already been put in front of the member (as they
 *  typed, or on an earlier submit), so sending the request needs no second look. */
export function suggestionsSeenFor(attempt: Pick<Attempt, 'query'> | null, subject: string): boolean {
  return !!attempt && normalizeQuery(attempt.query) === normalizeQuery(subject)
}

export async function findAttempt(db: Db, user: SessionUser, key: string): Promise<Attempt | null> {
  const read = await readAttemptKey(db, user, key)
  if (!read) return null
  const [attempt] = await db
    .select()
    .from(deflectionAttempts)
    .where(and(eq(deflectionAttempts.key, read.id), eq(deflectionAttempts.userId, user.id)))
  return attempt ?? null
}

function withOpened(opened: OpenedSuggestion[], doc: string, at: Date): OpenedSuggestion[] {
  return opened.some((o) => o.doc === doc) ? opened : [...opened, { doc, at: at.toISOString() }]
}

/** What an opened suggestion shows in place: the article, or the question with its best answer. */

/** Readable content behind a suggestion id, or null when it is gone, hidden or unpublished. */
export async function suggestionContent(db: Db, doc: string): Promise<SuggestionContent | null> {
  const [type, raw] = doc.split(':')
  const id = Number(raw)
  if (!Number.isSafeInteger(id)) return null
  if (type === 'article') {
    const [row] = await db
      .select({
        title: articles.title,
        html: articles.bodyHtml,
        slug: articles.slug,
        categorySlug: helpCategories.slug,
      })
      .from(articles)
      .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
      .where(and(eq(articles.id, id), eq(articles.status, 'published')))
    return row ? { doc, title: row.title, url: articlePath(row), html: row.html, answerHtml: null } : null
  }
  if (type !== 'question') return null
  const [question] = await db
    .select({
      id: questions.id,
      title: questions.title,
      html: questions.bodyHtml,
      acceptedId: questions.acceptedAnswerId,
    })
    .from(questions)
    .where(and(eq(questions.id, id), isNull(questions.hiddenAt), isNull(questions.deletedAt)))
  if (!question) return null
  // The accepted answer, or else the best-voted visible one.
  const [answer] = await db
    .select({ html: answers.bodyHtml })
    .from(answers)
    .where(and(eq(answers.questionId, id), isNull(answers.hiddenAt), isNull(answers.deletedAt)))
    .orderBy(sql`${answers.id} = ${question.acceptedId ?? 0} desc`, desc(answers.score), answers.id)
    .limit(1)
  return {
    doc,
    title: question.title,
    url: questionPath(question),
    html: question.html,
    answerHtml: answer?.html ?? null,
  }
}

/** Records that the member opened a suggestion (in place or in a new tab) and returns its content. An
 *  opened suggestion with no ticket after 72 hours is an implicit deflection. Opening twice records once. */
export async function openSuggestion(
  db: Db,
  { user, key, doc, now = new Date() }: { user: SessionUser; key: string; doc: string; now?: Date },
): Promise<Outcome<SuggestionContent>> {
  const unverified = requireVerified(user)
  if (unverified) return unverified
  const paced = await paceContactForm(db, user, rateRules.supportActionsPerUser, 'action')
  if (paced) return paced
  const content = await suggestionContent(db, doc)
  if (!content) return fail(404, 'support.errors.suggestion_gone')
  return db.transaction(async (tx) => {
    const attempt = await lockAttempt(tx, user, key)
    if (!attempt) return fail(404, 'support.errors.attempt_invalid')
    if (!wasShown(attempt, doc)) return fail(404, 'support.errors.suggestion_not_offered')
    const opened = withOpened(attempt.opened, doc, now)
    if (opened !== attempt.opened) {
      await tx.update(deflectionAttempts).set({ opened, updatedAt: now }).where(eq(deflectionAttempts.id, attempt.id))
    }
    return ok(content)
  })
}

/** Whether the server put `doc` in front of the member during this attempt. */
function wasShown(attempt: Attempt, doc: string): boolean {
  return attempt.shown.some((shown) => shown.doc === doc)
}

/** "This solved my problem": the attempt becomes an explicit deflection, credited to the member and
 *  their account in the ledger. Only an attempt the server started for this member counts, only for a
 *  suggestion the server showed in it, and only once however often it is clicked; the member's clicks
 *  are paced. An attempt that already became a ticket stays a ticket. */
export async function markSolved(
  db: Db,
  { user, key, doc, now = new Date() }: { user: SessionUser; key: string; doc: string; now?: Date },
): Promise<Outcome<{ counted: boolean }>> {
  const unverified = requireVerified(user)
  if (unverified) return unverified
  const paced =
    (await paceContactForm(db, user, rateRules.supportActionsPerUser, 'action')) ??
    (await paceContactForm(db, user, rateRules.supportSolvedPerUser, 'solved'))
  if (paced) return paced
  if (!(await suggestionContent(db, doc))) return fail(404, 'support.errors.suggestion_gone')
  return db.transaction(async (tx) => {
    const attempt = await lockAttempt(tx, user, key)
    if (!attempt) return fail(404, 'support.errors.attempt_invalid')
    if (attempt.outcome === 'filed') return fail(409, 'support.errors.already_filed')
    if (attempt.outcome === 'explicit') return ok({ counted: false })
    if (!wasShown(attempt, doc)) return fail(404, 'support.errors.suggestion_not_offered')
    // Pending, or decided implicit/abandoned by the job and now confirmed by the member: explicit.
    await tx
      .update(deflectionAttempts)
      .set({
        outcome: 'explicit',
        solvedDoc: doc,
        solvedAt: now,
        decidedAt: now,
        opened: withOpened(attempt.opened, doc, now),
        updatedAt: now,
      })
      .where(eq(deflectionAttempts.id, attempt.id))
    await recordActivity(tx, {
      type: 'ticket_deflected',
      user,
      subject: { type: 'deflection_attempt', id: attempt.id },
      uniqueKey: deflectedKey(attempt.id),
      occurredAt: now,
    })
    return ok({ counted: true })
  })
}

export function deflectedKey(attemptId: number): string {
  return `ticket_deflected:attempt:${attemptId}`
}

/** Decides every attempt left pending for 72 hours: one that opened a suggestion and was followed by
 *  no ticket from the same member within the window is an implicit deflection; the rest are abandoned.
 *  Implicit deflections stay in their own outcome and write nothing to the ledger: only a member's own
 *  "this solved my problem" counts as a deflection there. One statement, so an attempt being filed at
 *  the same moment (its row locked) is re-checked and skipped. */
export async function decideStaleAttempts(
  db: Db,
  now: Date = new Date(),
): Promise<{ implicit: number; abandoned: number }> {
  const cutoff = new Date(now.getTime() - IMPLICIT_WINDOW_HOURS * 3600 * 1000)
  const decided = await db
    .update(deflectionAttempts)
    .set({
      outcome: sql`case when jsonb_array_length(${deflectionAttempts.opened}) > 0 and not exists (
          select 1 from tickets t
          where t.user_id = ${deflectionAttempts.userId}
            and t.created_at >= ${deflectionAttempts.createdAt}
            and t.created_at < ${deflectionAttempts.createdAt} + make_interval(hours => ${IMPLICIT_WINDOW_HOURS})
        ) then 'implicit'::deflection_outcome else 'abandoned'::deflection_outcome end`,
      decidedAt: now,
      updatedAt: now,
    })
    .where(and(eq(deflectionAttempts.outcome, 'pending'), lte(deflectionAttempts.createdAt, cutoff)))
    .returning({ outcome: deflectionAttempts.outcome })
  return {
    implicit: decided.filter((d) => d.outcome === 'implicit').length,
    abandoned: decided.filter((d) => d.outcome === 'abandoned').length,
  }
}

export const DECIDE_ATTEMPTS_JOB = 'support.decide_attempts'

export const attemptJobs: JobDefinition[] = [
  {
    name: DECIDE_ATTEMPTS_JOB,
    handler: async (db) => {
      await decideStaleAttempts(db)
    },
    cron: '7 * * * *',
  },
]
