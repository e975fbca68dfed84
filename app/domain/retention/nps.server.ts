/** Relationship NPS: the periodic "How likely are you to recommend…" email to members, answered with one
 *  click from the email (the link carries a signed token naming the survey), the unsubscribe link and
 *  header (RFC 8058), the members' own on/off switch and the managers' settings. Answers count in the
 *  account's sentiment measure (`scoring/health-inputs.server.ts`); the trend is in
 *  `reporting/nps-report.server.ts`. */
import { and, eq, isNotNull, sql } from 'drizzle-orm'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { readScoringSettings } from '#app/domain/scoring/settings.server.ts'
import { touchTierOf } from '#app/domain/scoring/tiers.ts'
import { env } from '#app/lib/env.server.ts'
import { defaultLocale, isLocale, translator } from '#app/lib/i18n.ts'
import type { JobDefinition } from '#app/lib/jobs.server.ts'
import { dispatchEmails, queueEmail } from '#app/lib/mail.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { readSetting, writeSetting } from '#app/lib/settings.server.ts'
import { signValue, verifySigned } from '#app/lib/signing.server.ts'
import { type Db, rowsOf } from '#db/client.server.ts'
import { accounts } from '#db/schema/identity.ts'
import { npsSurveys, surveyOptOuts } from '#db/schema/retention.ts'
import {
  defaultNpsSettings,
  NPS_ANSWER_DAYS,
  NPS_COMMENT_MAX,
  NPS_SETTING_KEY,
  type NpsSettings,
  NpsSettingsSchema,
  quarterOf,
} from './nps-schemas.ts'

export const NPS_SEND_JOB = 'retention.nps_send'
/** Signing purposes: a survey's token and a member's unsubscribe token are worthless for each other. */
const SURVEY_PURPOSE = 'nps'
const UNSUBSCRIBE_PURPOSE = 'nps-unsubscribe'
/** At most this many surveys a run; the daily job takes the rest the next day. */
export const NPS_BATCH = 500
const DAY_MS = 24 * 60 * 60 * 1000
const ACTIVE_DAYS = 90

export async function readNpsSettings(db: Db): Promise<NpsSettings> {
  return readSetting(db, NPS_SETTING_KEY, NpsSettingsSchema, defaultNpsSettings)
}

/** Stores the survey settings (managers), audited with what they were and what they became. */
export async function updateNpsSettings(
  db: Db,
  { actor, settings }: { actor: SessionUser; settings: NpsSettings },
): Promise<Outcome<{ changed: boolean }>> {
  if (!can(actor, 'manage.settings')) return fail(403, 'errors.forbidden')
  const parsed = NpsSettingsSchema.safeParse(settings)
  if (!parsed.success) return fail(400, 'errors.bad_request')
  return db.transaction(async (tx) => {
    const before = await readNpsSettings(tx)
    if (JSON.stringify(before) === JSON.stringify(parsed.data)) return ok({ changed: false })
    await writeSetting(tx, { key: NPS_SETTING_KEY, value: parsed.data, actorId: actor.id })
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'retention.nps_settings_changed',
      targetType: 'setting',
      targetId: NPS_SETTING_KEY,
      details: { from: before, to: parsed.data },
    })
    return ok({ changed: true })
  })
}

function appUrl(): string {
  return env().APP_URL.replace(/\/+$/, '')
}

export async function surveyToken(db: Db, surveyId: number): Promise<string> {
  return signValue(db, SURVEY_PURPOSE, String(surveyId))
}

export async function unsubscribeToken(db: Db, userId: number): Promise<string> {
  return signValue(db, UNSUBSCRIBE_PURPOSE, String(userId))
}

export function npsAnswerPath(token: string, score: number): string {
  return `/surveys/nps/${token}/${score}`
}

export function unsubscribePath(token: string): string {
  return `/surveys/unsubscribe/${token}`
}

/** The accounts whose members are asked under the settings: null for every account. */
async function accountsInTiers(db: Db, settings: NpsSettings): Promise<number[] | null> {
  if (settings.audience === 'all') return null
  const scoring = await readScoringSettings(db)
  const rows = await db
    .select({
      id: accounts.id,
      arrMinor: accounts.arrMinor,
      arrCurrency: accounts.arrCurrency,
      touchTierOverride: accounts.touchTierOverride,
    })
    .from(accounts)
  return rows
    .filter((account) =>
      settings.tiers.includes(
        touchTierOf(
          {
            arrMinor: account.arrMinor === null ? null : Number(account.arrMinor),
            arrCurrency: account.arrCurrency,
            touchTierOverride: account.touchTierOverride,
          },
          scoring,
        ),
      ),
    )
    .map((account) => account.id)
}

type SentRow = { id: number; user_id: number; email: string; display_name: string; locale: string }

export type SendResult = { surveyIds: number[]; emailIds: number[] }

/** Sends the survey to every member who is due, at most `limit` a run, in one statement: a confirmed,
 *  enabled member (role member) of an account not churned, joined at least `firstAfterDays` ago, not
 *  opted out, in the chosen tiers (and active in the last 90 days, when asked), whose last survey is
 *  older than the cadence. The unique (member, quarter) index keeps it to one survey a member a
 *  calendar quarter, whatever runs at the same time: the insert skips what another run took, and only
 *  the rows this run inserted get an email (in the member's language, with the List-Unsubscribe
 *  headers of RFC 8058). Emails are dispatched after commit. Does nothing while the survey is off. */
export async function sendDueSurveys(
  db: Db,
  now: Date = new Date(),
  { limit = NPS_BATCH }: { limit?: number } = {},
): Promise<SendResult> {
  const settings = await readNpsSettings(db)
  if (!settings.enabled) return { surveyIds: [], emailIds: [] }
  const tierAccounts = await accountsInTiers(db, settings)
  if (tierAccounts !== null && tierAccounts.length === 0) return { surveyIds: [], emailIds: [] }
  const at = now.toISOString()
  const quarter = quarterOf(now)
  const inTiers = tierAccounts === null ? sql`` : sql`and u.account_id = any(${`{${tierAccounts.join(',')}}`}::int[])`
  const active = settings.activeOnly
    ? sql`and exists (select 1 from activity_events e where e.user_id = u.id
             and e.occurred_at > ${at}::timestamptz - make_interval(days => ${ACTIVE_DAYS})
             and e.occurred_at <= ${at}::timestamptz)`
    : sql``
  const result = await db.transaction(async (tx) => {
    const sent = rowsOf<SentRow>(
      await tx.execute(sql`
        with due as (
          select u.id, u.account_id
          from users u
          join accounts a on a.id = u.account_id
          where u.role = 'member'
            and u.email_verified_at is not null
            and u.disabled_at is null
            and (a.churned_at is null or a.churned_at > ${at}::timestamptz)
            and u.created_at <= ${at}::timestamptz - make_interval(days => ${settings.firstAfterDays})
            and not exists (select 1 from survey_opt_outs o where o.user_id = u.id)
            and not exists (
              select 1 from nps_surveys p
              where p.user_id = u.id
                and (p.quarter = ${quarter}
                     or p.sent_at > ${at}::timestamptz - make_interval(months => ${settings.cadenceMonths}))
            )
            ${inTiers}
            ${active}
          order by u.id
          limit ${limit}
        ),
        inserted as (
          insert into nps_surveys (user_id, account_id, quarter, sent_at)
          select id, account_id, ${quarter}, ${at}::timestamptz from due
          on conflict (user_id, quarter) do nothing
          returning id, user_id
        )
        select i.id, i.user_id, u.email, u.display_name, u.locale
        from inserted i join users u on u.id = i.user_id
        order by i.id`),
    )
    const emailIds: number[] = []
    for (const row of sent) {
      const t = translator(isLocale(row.locale) ? row.locale : defaultLocale)
      const product = settings.productName || t('app.name')
      const token = await surveyToken(tx, Number(row.id))
      const unsubscribe = `${appUrl()}${unsubscribePath(await unsubscribeToken(tx, Number(row.user_id)))}`
      const choices = Array.from({ length: 11 }, (_, score) =>
        t('nps.email.choice', { score, link: `${appUrl()}${npsAnswerPath(token, score)}` }),
      )
      const text = [
        t('nps.email.greeting', { name: row.display_name }),
        t('nps.email.question', { product }),
        t('nps.email.scale'),
        choices.join('\n'),
        t('nps.email.after'),
        t('nps.email.footer', { product, link: unsubscribe }),
      ].join('\n\n')
      emailIds.push(
        await queueEmail(tx, {
          to: row.email,
          subject: t('nps.email.subject', { product }),
          text,
          template: 'nps_survey',
          headers: {
            'List-Unsubscribe': `<${unsubscribe}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        }),
      )
    }
    return { surveyIds: sent.map((row) => Number(row.id)), emailIds }
  })
  await dispatchEmails(result.emailIds)
  return result
}

export const npsJobs: JobDefinition[] = [
  {
    name: NPS_SEND_JOB,
    handler: async (db) => {
      await sendDueSurveys(db)
    },
    // Daily, in the Japanese morning (UTC 01:30), after the nightly scores.
    cron: '30 1 * * *',
    queue: { policy: 'singleton' },
  },
]

/** What the answer page shows: the member's own answer, nothing else of theirs or anyone's. */
export type NpsSurveyView = { score: number | null; comment: string | null; productName: string }

type SurveyRow = { id: number; sentAt: Date; score: number | null; comment: string | null }

/** The survey a token names, if it is one of ours (404 otherwise: forged, made for another purpose, or
 *  for a survey that is gone) and still open (410 once 60 days have passed since it was sent). */
async function surveyFromToken(db: Db, token: string, now: Date): Promise<Outcome<SurveyRow>> {
  const value = await verifySigned(db, SURVEY_PURPOSE, token)
  if (!value || !/^[1-9][0-9]{0,9}$/.test(value)) return fail(404, 'nps.invalid_link')
  const [row] = await db
    .select({ id: npsSurveys.id, sentAt: npsSurveys.sentAt, score: npsSurveys.score, comment: npsSurveys.comment })
    .from(npsSurveys)
    .where(eq(npsSurveys.id, Number(value)))
  if (!row) return fail(404, 'nps.invalid_link')
  if (now.getTime() - row.sentAt.getTime() > NPS_ANSWER_DAYS * DAY_MS) return fail(410, 'nps.expired')
  return ok(row)
}

async function viewOf(db: Db, row: Pick<SurveyRow, 'score' | 'comment'>): Promise<NpsSurveyView> {
  const settings = await readNpsSettings(db)
  return { score: row.score, comment: row.comment, productName: settings.productName }
}

/** The survey as its page shows it, recording nothing (a link scanner's visit, a page reload). */
export async function openNpsSurvey(
  db: Db,
  { token, now = new Date() }: { token: string; now?: Date },
): Promise<Outcome<NpsSurveyView>> {
  const survey = await surveyFromToken(db, token, now)
  if (!survey.ok) return survey
  return ok(await viewOf(db, survey.value))
}

/** Records (or changes) the answer of the survey the token names. The same score again changes nothing;
 *  another one replaces it and moves `answered_at`, the time the sentiment measure weighs it at. */
export async function answerNpsSurvey(
  db: Db,
  { token, score, now = new Date() }: { token: string; score: number | null; now?: Date },
): Promise<Outcome<NpsSurveyView>> {
  const survey = await surveyFromToken(db, token, now)
  if (!survey.ok) return survey
  if (score === null || !Number.isInteger(score) || score < 0 || score > 10) {
    return fail(400, 'nps.invalid_score', { field: 'score' })
  }
  if (survey.value.score === score) return ok(await viewOf(db, survey.value))
  const [row] = await db
    .update(npsSurveys)
    .set({ score, answeredAt: now })
    .where(eq(npsSurveys.id, survey.value.id))
    .returning({ score: npsSurveys.score, comment: npsSurveys.comment })
  return ok(await viewOf(db, row!))
}

/** Adds (or replaces) the comment of an answered survey. */
export async function commentNpsSurvey(
  db: Db,
  { token, comment, now = new Date() }: { token: string; comment: string; now?: Date },
): Promise<Outcome<NpsSurveyView>> {
  const survey = await surveyFromToken(db, token, now)
  if (!survey.ok) return survey
  const text = comment.trim()
  if (!text) return fail(400, 'nps.validation.comment_required', { field: 'comment' })
  if (text.length > NPS_COMMENT_MAX) return fail(400, 'nps.validation.comment_too_long', { field: 'comment' })
  const [row] = await db
    .update(npsSurveys)
    .set({ comment: text })
    .where(and(eq(npsSurveys.id, survey.value.id), isNotNull(npsSurveys.score)))
    .returning({ score: npsSurveys.score, comment: npsSurveys.comment })
  if (!row) return fail(409, 'nps.answer_first', { field: 'comment' })
  return ok(await viewOf(db, row))
}

async function userFromUnsubscribeToken(db: Db, token: string): Promise<number | null> {
  const value = await verifySigned(db, UNSUBSCRIBE_PURPOSE, token)
  return value && /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : null
}

/** Whether an unsubscribe token is one of ours (the confirm page shows its button only then). */
export async function checkUnsubscribeToken(db: Db, token: string): Promise<Outcome<null>> {
  return (await userFromUnsubscribeToken(db, token)) === null ? fail(404, 'nps.unsubscribe.invalid') : ok(null)
}

/** The member the token names asks for no more survey emails. Idempotent; a member who is gone is
 *  simply not there to record. */
export async function unsubscribeFromSurveys(db: Db, { token }: { token: string }): Promise<Outcome<null>> {
  const userId = await userFromUnsubscribeToken(db, token)
  if (userId === null) return fail(404, 'nps.unsubscribe.invalid')
  await db.execute(sql`
    insert into survey_opt_outs (user_id)
    select id from users where id = ${userId}
    on conflict (user_id) do nothing`)
  return ok(null)
}

/** Whether the member receives survey emails (their settings page). */
export async function surveyEmailsEnabled(db: Db, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ userId: surveyOptOuts.userId })
    .from(surveyOptOuts)
    .where(eq(surveyOptOuts.userId, userId))
  return !row
}

/** Turns the member's own survey emails on or off. */
export async function setSurveyEmails(
  db: Db,
  { user, enabled }: { user: SessionUser; enabled: boolean },
): Promise<Outcome<{ enabled: boolean }>> {
  if (enabled) await db.delete(surveyOptOuts).where(eq(surveyOptOuts.userId, user.id))
  else await db.insert(surveyOptOuts).values({ userId: user.id }).onConflictDoNothing()
  return ok({ enabled })
}
