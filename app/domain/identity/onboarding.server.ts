import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { env } from '#app/lib/env.server.ts'
import { translator } from '#app/lib/i18n.ts'
import { queueEmail } from '#app/lib/mail.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { readSetting, writeSetting } from '#app/lib/settings.server.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { articles } from '#db/schema/help.ts'
import { users } from '#db/schema/identity.ts'
import { recordAudit } from './audit.server.ts'
import {
  defaultOnboardingSettings,
  enabledSteps,
  type FirstStepKind,
  ONBOARDING_SETTING_KEY,
  type OnboardingSettings,
  OnboardingSettingsSchema,
  renderWelcomeEmail,
} from './onboarding.ts'
import { can, type SessionUser } from './permissions.ts'

// A new member is welcomed once (an email in their language with the first three steps), and the home
// page shows them a checklist of first steps that ticks itself from the activity ledger until they
// dismiss it. Staff edit the steps and the email at /manage/onboarding. docs/decisions/039.

/** The first-steps settings as stored, or the defaults. */
export async function readOnboardingSettings(db: Db): Promise<OnboardingSettings> {
  return readSetting(db, ONBOARDING_SETTING_KEY, OnboardingSettingsSchema, defaultOnboardingSettings)
}

function appUrl(): string {
  return env().APP_URL.replace(/\/+$/, '')
}

/** Queues the welcome email for a member who has just joined (confirmed their address, or arrived by
 *  single sign-on), once: returns the outbox id to dispatch after commit, or null when it was already
 *  sent or the member cannot receive it. Call inside the transaction that completes the joining. Once
 *  is kept by one conditional update of `welcomed_at`: a second caller, even a concurrent one, waits
 *  on the row and then finds it set. */
export async function welcomeMember(tx: Db, userId: number): Promise<number | null> {
  const [member] = await tx
    .update(users)
    .set({ welcomedAt: new Date() })
    .where(
      and(
        eq(users.id, userId),
        eq(users.role, 'member'),
        isNull(users.welcomedAt),
        isNotNull(users.emailVerifiedAt),
        isNull(users.disabledAt),
      ),
    )
    .returning({ email: users.email, displayName: users.displayName, locale: users.locale })
  if (!member) return null
  const settings = await readOnboardingSettings(tx)
  const t = translator(member.locale)
  const mail = renderWelcomeEmail(settings, {
    locale: member.locale,
    name: member.displayName,
    community: t('app.name'),
    appUrl: appUrl(),
  })
  return queueEmail(tx, { to: member.email, subject: mail.subject, text: mail.text, template: 'welcome' })
}

/** Records that the member saved their profile: the first step "complete your profile" ticks from it.
 *  Once per member (the ledger's unique key). */
export async function recordProfileCompleted(tx: Db, user: Pick<SessionUser, 'id' | 'accountId'>): Promise<void> {
  await recordActivity(tx, { type: 'profile_completed', user, uniqueKey: `profile_completed:${user.id}` })
}

export type FirstStep = {
  kind: FirstStepKind
  title: string
  description: string
  done: boolean
  /** Where the step is done: the page itself, not the lasting `/first-steps/<kind>` address. */
  href: string
}

export type FirstSteps = { steps: FirstStep[]; done: number; total: number; allDone: boolean }

/** What the route found for the steps that point at other contexts' pages. */
export type FirstStepTargets = {
  /** The getting-started article in the member's language, and every translation's id (reading any
   *  of them ticks the step); null when none is configured or published. */
  article: { path: string; ids: number[] } | null
  /** The next onboarding webinar the member may see; null when none is planned. */
  webinar: { id: number; title: string } | null
}

/** Where each step is done when there is nothing more precise to point at. */
export const stepFallbackPaths: Record<FirstStepKind, string> = {
  profile: '/settings',
  article: '/help',
  question: '/questions/new',
  webinar: '/events',
}

/** The member's first-steps checklist in their language, each step ticked from the ledger, or null
 *  when it is not shown: for staff, an unconfirmed member, or one who dismissed it. */
export async function getFirstSteps(
  db: Db,
  { user, targets }: { user: SessionUser; targets: FirstStepTargets },
): Promise<FirstSteps | null> {
  if (user.role !== 'member' || !user.emailVerified) return null
  const articleIds = (targets.article?.ids ?? []).map(String)
  const [[member], settings, rows] = await Promise.all([
    db.select({ dismissedAt: users.onboardingDismissedAt }).from(users).where(eq(users.id, user.id)),
    readOnboardingSettings(db),
    db.execute(sql`
      select
        exists (select 1 from activity_events where user_id = ${user.id}::int and type = 'profile_completed') as profile,
        exists (select 1 from activity_events where user_id = ${user.id}::int and type = 'article_viewed'
                and (cardinality(${`{${articleIds.join(',')}}`}::text[]) = 0
                     or subject_id = any(${`{${articleIds.join(',')}}`}::text[]))) as article,
        exists (select 1 from activity_events where user_id = ${user.id}::int
                and type in ('question_asked', 'answer_posted')) as question,
        exists (select 1 from activity_events e join events ev on ev.id::text = e.subject_id
                where e.user_id = ${user.id}::int and e.type = 'event_registered' and e.subject_type = 'event'
                  and ev.onboarding) as webinar`),
  ])
  if (!member || member.dismissedAt) return null
  const done = rowsOf<Record<FirstStepKind, boolean>>(rows)[0]
  const steps = enabledSteps(settings).map(
    (step): FirstStep => ({
      kind: step.kind,
      title: step.title[user.locale],
      description: step.description[user.locale],
      done: Boolean(done?.[step.kind]),
      href:
        step.kind === 'article' && targets.article
          ? targets.article.path
          : step.kind === 'webinar' && targets.webinar
            ? `/events/${targets.webinar.id}`
            : stepFallbackPaths[step.kind],
    }),
  )
  const doneCount = steps.filter((step) => step.done).length
  return { steps, done: doneCount, total: steps.length, allDone: steps.length > 0 && doneCount === steps.length }
}

/** Hides the checklist for good. Idempotent: a second dismissal keeps the first time. */
export async function dismissFirstSteps(db: Db, user: Pick<SessionUser, 'id'>): Promise<void> {
  await db
    .update(users)
    .set({ onboardingDismissedAt: new Date() })
    .where(and(eq(users.id, user.id), isNull(users.onboardingDismissedAt)))
}

/** Stores the steps and the email (staff), audited with what they were and what they became. The
 *  getting-started article must exist and be published. */
export async function updateOnboardingSettings(
  db: Db,
  { actor, settings }: { actor: SessionUser; settings: OnboardingSettings },
): Promise<Outcome<{ changed: boolean }>> {
  if (!can(actor, 'onboarding.manage')) return fail(403, 'errors.forbidden')
  const parsed = OnboardingSettingsSchema.safeParse(settings)
  if (!parsed.success) return fail(400, 'errors.bad_request')
  return db.transaction(async (tx) => {
    if (parsed.data.articleId !== null) {
      const [article] = await tx
        .select({ id: articles.id })
        .from(articles)
        .where(and(eq(articles.id, parsed.data.articleId), eq(articles.status, 'published')))
      if (!article) return fail(400, 'onboarding.validation.article_invalid', { field: 'articleId' })
    }
    const before = await readOnboardingSettings(tx)
    if (JSON.stringify(before) === JSON.stringify(parsed.data)) return ok({ changed: false })
    await writeSetting(tx, { key: ONBOARDING_SETTING_KEY, value: parsed.data, actorId: actor.id })
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'identity.onboarding_settings_changed',
      targetType: 'setting',
      targetId: ONBOARDING_SETTING_KEY,
      details: { from: before, to: parsed.data },
    })
    return ok({ changed: true })
  })
}
