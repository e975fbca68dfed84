/** The relationship NPS a manager reads at /manage/surveys: NPS per touch tier and calendar quarter
 *  (the tier the account is in today), the send figures and the recent comments with their accounts. */
import { sql } from 'drizzle-orm'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { quarterOf } from '#app/domain/retention/nps-schemas.ts'
import { readScoringSettings } from '#app/domain/scoring/settings.server.ts'
import { type TouchTier, touchTierOf } from '#app/domain/scoring/tiers.ts'
import { type NpsGroups, npsOf } from '#app/lib/nps.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { type Db, rowsOf } from '#db/client.server.ts'

/** Quarters the trend covers, the current one included. */
export const NPS_TREND_QUARTERS = 8
const COMMENT_LIMIT = 20

export type NpsTrendRow = NpsGroups & {
  quarter: string
  /** `all` sums every answer of the quarter, those of deleted accounts too. */
  tier: TouchTier | 'all'
  answers: number
  nps: number | null
}

export type NpsComment = {
  id: number
  accountId: number | null
  accountName: string | null
  score: number
  comment: string
  answeredAt: Date | null
}

export type NpsReport = {
  quarters: string[]
  /** Quarter by quarter (newest first), each with `all` then the tiers that have answers. */
  trend: NpsTrendRow[]
  figures: { sent: number; answered: number; responseRate: number | null; optedOut: number }
  comments: NpsComment[]
}

/** The last `count` calendar quarters ending with the one of `now`, oldest first. */
export function lastQuarters(now: Date, count = NPS_TREND_QUARTERS): string[] {
  const year = now.getUTCFullYear()
  const index = Math.floor(now.getUTCMonth() / 3)
  return Array.from({ length: count }, (_, k) => {
    const back = count - 1 - k
    const total = year * 4 + index - back
    return quarterOf(new Date(Date.UTC(Math.floor(total / 4), (total % 4) * 3, 1)))
  })
}

/** NPS from group counts, through the one NPS formula (`app/lib/nps.ts`). */
export function npsOfGroups({ promoters, passives, detractors }: NpsGroups): number | null {
  return npsOf([
    ...Array<number>(promoters).fill(10),
    ...Array<number>(passives).fill(7),
    ...Array<number>(detractors).fill(0),
  ])
}

type GroupRow = {
  account_id: number | null
  quarter: string
  promoters: number
  passives: number
  detractors: number
}

export async function getNpsReport(
  db: Db,
  { actor, now = new Date() }: { actor: SessionUser; now?: Date },
): Promise<Outcome<NpsReport>> {
  if (!can(actor, 'manage.dashboard')) return fail(403, 'errors.forbidden')
  const quarters = lastQuarters(now)
  const recent = quarters.slice(-4)
  const list = (values: string[]) => `{${values.join(',')}}`
  const [groupRows, accountRows, [figures], commentRows, scoring] = await Promise.all([
    db.execute(sql`
      select account_id, quarter,
             count(*) filter (where score >= 9)::int as promoters,
             count(*) filter (where score between 7 and 8)::int as passives,
             count(*) filter (where score <= 6)::int as detractors
      from nps_surveys
      where score is not null and quarter = any(${list(quarters)}::text[])
      group by 1, 2`),
    db.execute(sql`
      select a.id, a.arr_minor, a.arr_currency, a.touch_tier_override
      from accounts a
      where a.id in (select distinct account_id from nps_surveys where score is not null)`),
    db
      .execute(sql`
        select (select count(*) from nps_surveys where quarter = any(${list(recent)}::text[]))::int as sent,
               (select count(*) from nps_surveys
                 where quarter = any(${list(recent)}::text[]) and score is not null)::int as answered,
               (select count(*) from survey_opt_outs)::int as opted_out`)
      .then((result) => rowsOf<{ sent: number; answered: number; opted_out: number }>(result)),
    db.execute(sql`
      select n.id, n.account_id, a.name as account_name, n.score, n.comment, n.answered_at
      from nps_surveys n
      left join accounts a on a.id = n.account_id
      where n.comment is not null and n.score is not null
      order by n.answered_at desc nulls last, n.id desc
      limit ${COMMENT_LIMIT}`),
    readScoringSettings(db),
  ])

  const tierOf = new Map<number, TouchTier>()
  for (const row of rowsOf<{
    id: number
    arr_minor: string | number | null
    arr_currency: string
    touch_tier_override: TouchTier | null
  }>(accountRows)) {
    tierOf.set(
      Number(row.id),
      touchTierOf(
        {
          arrMinor: row.arr_minor === null ? null : Number(row.arr_minor),
          arrCurrency: row.arr_currency,
          touchTierOverride: row.touch_tier_override,
        },
        scoring,
      ),
    )
  }

  const cells = new Map<string, NpsGroups>()
  const add = (quarter: string, tier: string, row: NpsGroups) => {
    const key = `${quarter}|${tier}`
    const cell = cells.get(key) ?? { promoters: 0, passives: 0, detractors: 0 }
    cell.promoters += row.promoters
    cell.passives += row.passives
    cell.detractors += row.detractors
    cells.set(key, cell)
  }
  for (const row of rowsOf<GroupRow>(groupRows)) {
    const groups = {
      promoters: Number(row.promoters),
      passives: Number(row.passives),
      detractors: Number(row.detractors),
    }
    add(row.quarter, 'all', groups)
    const tier = row.account_id === null ? undefined : tierOf.get(Number(row.account_id))
    if (tier) add(row.quarter, tier, groups)
  }
  const trend: NpsTrendRow[] = []
  for (const quarter of [...quarters].reverse()) {
    for (const tier of ['all', 'high', 'low', 'tech'] as const) {
      const cell = cells.get(`${quarter}|${tier}`)
      if (!cell) continue
      trend.push({
        quarter,
        tier,
        ...cell,
        answers: cell.promoters + cell.passives + cell.detractors,
        nps: npsOfGroups(cell),
      })
    }
  }

  const sent = figures?.sent ?? 0
  const answered = figures?.answered ?? 0
  return ok({
    quarters,
    trend,
    figures: {
      sent,
      answered,
      responseRate: sent === 0 ? null : answered / sent,
      optedOut: figures?.opted_out ?? 0,
    },
    comments: rowsOf<{
      id: number
      account_id: number | null
      account_name: string | null
      score: number
      comment: string
      answered_at: string | Date | null
    }>(commentRows).map((row) => ({
      id: Number(row.id),
      accountId: row.account_id === null ? null : Number(row.account_id),
      accountName: row.account_name,
      score: Number(row.score),
      comment: row.comment,
      answeredAt: row.answered_at ? new Date(row.answered_at) : null,
    })),
  })
}
