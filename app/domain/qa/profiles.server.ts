import { and, count, desc, eq, isNull, or, type SQL, sql } from 'drizzle-orm'
import type { ActivityType } from '#app/domain/activity/activity-types.ts'
import { can, isStaffRole, type Role, type SessionUser } from '#app/domain/identity/permissions.ts'
import { type LevelProgress, levelProgress } from '#app/domain/scoring/engagement.ts'
import { currentMemberEngagement } from '#app/domain/scoring/member-standing.server.ts'
import type { MemberLevel, ScoringSettings } from '#app/domain/scoring/settings.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { isModerator } from './policies.ts'

const RECENT = 10

export type ProfileQuestion = {
  id: number
  title: string
  score: number
  answerCount: number
  accepted: boolean
  createdAt: Date
}

export type ProfileAnswer = {
  id: number
  question: { id: number; title: string }
  score: number
  accepted: boolean
  createdAt: Date
}

export type Profile = {
  id: number
  displayName: string
  role: Role
  /** Staff, managers and admins get a "Staff" badge. */
  isStaff: boolean
  /** Only staff viewers ever see a disabled user's profile. */
  disabled: boolean
  memberSince: Date
  /** Shown to staff only; null otherwise or when the user belongs to no account. */
  accountName: string | null
  /** The member's company for everyone: their account's name, unless they hid it. Null for staff,
   *  who belong to no account. */
  company: string | null
  /** The member hid their company (told to staff only, who see the account anyway). */
  companyHidden: boolean
  title: string
  bio: string
  avatarUpdatedAt: Date | null
  level: MemberLevel
  /** The user themselves and staff only. */
  points: {
    total: number
    byType: { type: ActivityType; points: number }[]
    progress: LevelProgress | null
    halfLifeDays: number
  } | null
  counts: { questions: number; answers: number; accepted: number }
  recentQuestions: ProfileQuestion[]
  recentAnswers: ProfileAnswer[]
}

/** A user's public profile as this viewer may see it. Unknown and disabled users are not found, except
 *  that staff see disabled users (marked). Everyone sees the member level, picture, title, bio and
 *  company (the account's name, unless the member hid it); points only the user and staff; the
 *  account as such (hidden or not) only staff. Counts and lists leave out deleted posts, and hidden posts (and
 *  answers on hidden questions) that the viewer may not open, so nothing is listed that leads nowhere. */
export async function getProfile(
  db: Db,
  {
    viewer,
    userId,
    asOf = new Date(),
    settings: givenSettings,
  }: { viewer: SessionUser | null; userId: number; asOf?: Date; settings?: ScoringSettings },
): Promise<Outcome<Profile>> {
  const [user] = await db
    .select({
      id: users.id,
      displayName: users.displayName,
      role: users.role,
      createdAt: users.createdAt,
      disabledAt: users.disabledAt,
      accountName: accounts.name,
      title: users.title,
      bio: users.bio,
      hideCompany: users.hideCompany,
      avatarUpdatedAt: users.avatarUpdatedAt,
    })
    .from(users)
    .leftJoin(accounts, eq(accounts.id, users.accountId))
    .where(eq(users.id, userId))
  if (!user || (user.disabledAt && !can(viewer, 'users.view'))) return fail(404, 'profile.not_found')

  const seesPoints = viewer?.id === user.id || can(viewer, 'profiles.view_points')
  const visibleQuestion = visibleTo(viewer, questions)
  const visibleAnswer = and(visibleTo(viewer, answers), visibleQuestion)
  const isAccepted = sql<boolean>`${questions.acceptedAnswerId} is not distinct from ${answers.id}`

  const [questionCount, answerCounts, recentQuestions, recentAnswers, engagement] = await Promise.all([
    db
      .select({ n: count() })
      .from(questions)
      .where(and(eq(questions.authorId, user.id), visibleQuestion)),
    db
      .select({ n: count(), accepted: sql<number>`count(*) filter (where ${isAccepted})`.mapWith(Number) })
      .from(answers)
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(and(eq(answers.authorId, user.id), visibleAnswer)),
    db
      .select({
        id: questions.id,
        title: questions.title,
        score: questions.score,
        answerCount: questions.answerCount,
        accepted: sql<boolean>`${questions.acceptedAnswerId} is not null`,
        createdAt: questions.createdAt,
      })
      .from(questions)
      .where(and(eq(questions.authorId, user.id), visibleQuestion))
      .orderBy(desc(questions.createdAt), desc(questions.id))
      .limit(RECENT),
    db
      .select({
        id: answers.id,
        questionId: questions.id,
        questionTitle: questions.title,
        score: answers.score,
        accepted: isAccepted,
        createdAt: answers.createdAt,
      })
      .from(answers)
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(and(eq(answers.authorId, user.id), visibleAnswer))
      .orderBy(desc(answers.createdAt), desc(answers.id))
      .limit(RECENT),
    currentMemberEngagement(db, { userId: user.id, asOf, settings: givenSettings }),
  ])

  const { settings, ...mine } = engagement
  return ok({
    id: user.id,
    displayName: user.displayName,
    role: user.role,
    isStaff: isStaffRole(user.role),
    disabled: user.disabledAt !== null,
    memberSince: user.createdAt,
    accountName: can(viewer, 'accounts.view') ? user.accountName : null,
    company: user.role === 'member' && !user.hideCompany ? user.accountName : null,
    companyHidden: can(viewer, 'accounts.view') && user.role === 'member' && !!user.accountName && user.hideCompany,
    title: user.title,
    bio: user.bio,
    avatarUpdatedAt: user.avatarUpdatedAt,
    level: mine.level,
    points: seesPoints
      ? {
          total: mine.points,
          byType: Object.entries(mine.byType)
            .map(([type, points]) => ({ type: type as ActivityType, points }))
            .sort((a, b) => b.points - a.points || a.type.localeCompare(b.type)),
          progress: levelProgress(mine.points, mine.level, settings),
          halfLifeDays: settings.halfLifeDays,
        }
      : null,
    counts: {
      questions: questionCount[0]?.n ?? 0,
      answers: answerCounts[0]?.n ?? 0,
      accepted: answerCounts[0]?.accepted ?? 0,
    },
    recentQuestions,
    recentAnswers: recentAnswers.map(({ questionId, questionTitle, ...answer }) => ({
      ...answer,
      question: { id: questionId, title: questionTitle },
    })),
  })
}

/** Which posts a profile lists: never deleted ones (a profile is no place to recover them); hidden
 *  ones only for moderators and the post's author, as on the question page (`canSeePost`). */
function visibleTo(viewer: SessionUser | null, posts: typeof questions | typeof answers): SQL | undefined {
  if (isModerator(viewer)) return isNull(posts.deletedAt)
  const hiddenOk = viewer ? or(isNull(posts.hiddenAt), eq(posts.authorId, viewer.id)) : isNull(posts.hiddenAt)
  return and(isNull(posts.deletedAt), hiddenOk)
}
