/** The health track record from the database (`/manage/health-check`, issue 21): the sampled
 *  snapshots of `account_scores`, the churns and contractions of `account_outcomes`, and the levels
 *  before each of them, handed to the pure `trackRecord` (track-record.ts). */
import { sql } from 'drizzle-orm'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { readScoringSettings } from '#app/domain/scoring/settings.server.ts'
import { type HealthLevel, healthMeasures, type ScoringSettings } from '#app/domain/scoring/settings.ts'
import { type SettingsUpdate, updateScoringSettings } from '#app/domain/scoring/update-settings.server.ts'
import { addDays, utcDay } from '#app/lib/days.ts'
import { fail, type Outcome } from '#app/lib/outcome.ts'
import { type Db, rowsOf } from '#db/client.server.ts'
import {
  type LevelPoint,
  type TrackEvent,
  type TrackRecord,
  type TrackRecordOptions,
  type TrackSample,
  trackRecord,
  trackRecordDefaults,
  type Weights,
} from './track-record.ts'
import type { EventTableRow } from './track-record-columns.ts'

export type TrackRecordData = {
  samples: TrackSample[]
  events: TrackEvent[]
  /** The level of each event's account on the snapshot nearest on or before each lookback day. */
  history: LevelPoint[]
  accountNames: Record<number, string>
  /** The first and last snapshot days; null without any snapshot. */
  firstDay: string | null
  lastDay: string | null
}

/** The most a hard risk let a score be, by today's settings (the cap a snapshot carried is not
 *  stored; its band is, and the band's top is a setting). */
function capOf(hardRisk: string | null, settings: ScoringSettings): number | null {
  if (!hardRisk) return null
  const { goodFrom, normalFrom } = settings.health.overall
  const band = hardRisk === 'detractors' ? settings.health.sentiment.detractorCap : 'BAD'
  return Math.round((band === 'BAD' ? normalFrom : goodFrom) * 10 - 1) / 10
}

/** The position in `healthMeasures` of each name in a list of them, per distinct list (the snapshots of
 *  one scoring version all list the same names). */
const namesCache = new Map<string, number[]>()
function positionsOf(names: string): number[] {
  let positions = namesCache.get(names)
  if (!positions) {
    positions = (JSON.parse(names) as unknown[]).map((name) =>
      typeof name === 'string' ? (healthMeasures as readonly string[]).indexOf(name) : -1,
    )
    namesCache.set(names, positions)
  }
  return positions
}

/** The measures of a sample, in the order of `healthMeasures`, from the three JSON arrays the query
 *  reads out of the stored components: their names, scores (null = no data) and weights. A few weight
 *  lists recur (the factors go by tier and answers), so each distinct one is parsed once. */
function parseMeasures(
  names: string | null,
  scores: string | null,
  weights: string | null,
  parsedWeights: Map<string, unknown[]>,
): { scores: (number | null)[]; weights: number[] } {
  const scoreOut: (number | null)[] = new Array(healthMeasures.length).fill(null)
  const weightOut: number[] = new Array(healthMeasures.length).fill(0)
  if (!names || !scores || !weights) return { scores: scoreOut, weights: weightOut }
  const positions = positionsOf(names)
  const scoreList = JSON.parse(scores) as unknown[]
  let weightList = parsedWeights.get(weights)
  if (!weightList) {
    weightList = JSON.parse(weights) as unknown[]
    parsedWeights.set(weights, weightList)
  }
  positions.forEach((at, i) => {
    if (at < 0) return
    const score = scoreList[i]
    const weight = weightList[i]
    scoreOut[at] = typeof score === 'number' ? score : null
    weightOut[at] = typeof weight === 'number' ? weight : 0
  })
  return { scores: scoreOut, weights: weightOut }
}

/** Sample days a query takes. */
const SAMPLE_DAYS_A_QUERY = 4

/** The samples of some sample days: each account's snapshot of the day itself where it has one (most
 *  do: the daily job scores every account), found through the day index; for the others the latest in
 *  the `spacingDays` before, one index probe each. Only the measures' names, scores and weights are
 *  read out of the components (three JSON paths), not their reasons. */
async function sampleQuery(db: Db, days: string[], spacingDays: number): Promise<SampleRow[]> {
  const list = `{${days.join(',')}}`
  return rowsOf<SampleRow>(
    await db.execute(sql`
      with d(day) as materialized (select unnest(${list}::date[])),
      hit as materialized (select x.* from account_scores x where x.as_of = any(${list}::date[])),
      picked as (
        select * from hit
        union all
        select p.* from d cross join accounts a
        cross join lateral (
          select * from account_scores x
          where x.account_id = a.id and x.as_of < d.day and x.as_of > d.day - ${spacingDays}::int
          order by x.as_of desc limit 1
        ) p
        where not exists (select 1 from hit h where h.account_id = a.id and h.as_of = d.day)
      )
      select s.account_id, s.as_of::text as day, s.level, s.score, s.hard_risk,
        jsonb_path_query_array(s.components, '$[*].measure')::text as measures,
        jsonb_path_query_array(s.components, '$[*].score')::text as scores,
        jsonb_path_query_array(s.components, '$[*].weight')::text as weights
      from picked s`),
  )
}

type SampleRow = {
  account_id: number
  day: string
  level: HealthLevel
  score: number | null
  hard_risk: string | null
  measures: string | null
  scores: string | null
  weights: string | null
}

type EventRow = { account_id: number; day: string; kind: 'churn' | 'contraction'; name: string }
type LookbackRow = { account_id: number; day: string; level: HealthLevel }

/** Everything the track record is computed from, set-based: the sample days are every `spacingDays`
 *  from the first snapshot (first, first + N, …, up to the window that holds the last snapshot); each
 *  account's sample on a sample day is its latest snapshot in the N days up to it (so an account
 *  scored weekly is sampled too; `sampleQuery`). The events are every churn and contraction
 *  in `account_outcomes`, and the churn of an account marked churned (`accounts.churned_at`) that has
 *  no churn row; the lookback levels a second query finds the same way. */
export async function loadTrackRecordData(
  db: Db,
  { spacingDays = trackRecordDefaults.spacingDays, lookbackDays = trackRecordDefaults.lookbackDays } = {},
  settings?: ScoringSettings,
): Promise<TrackRecordData> {
  const scoring = settings ?? (await readScoringSettings(db))
  const [bounds] = rowsOf<{ first: string | null; last: string | null }>(
    await db.execute(sql`select min(as_of)::text as first, max(as_of)::text as last from account_scores`),
  )
  const firstDay = bounds?.first ?? null
  const lastDay = bounds?.last ?? null
  const days: string[] = []
  if (firstDay && lastDay) {
    for (let day = firstDay; day <= addDays(lastDay, spacingDays - 1); day = addDays(day, spacingDays)) days.push(day)
  }
  // Days in groups, each group its own query: on a server the groups run side by side on the pool's
  // connections (reading the components is most of the time); on PGlite they simply run in turn.
  const groups: string[][] = []
  for (let i = 0; i < days.length; i += SAMPLE_DAYS_A_QUERY) groups.push(days.slice(i, i + SAMPLE_DAYS_A_QUERY))
  const sampleRows = (await Promise.all(groups.map((group) => sampleQuery(db, group, spacingDays)))).flat()
  const parsedWeights = new Map<string, unknown[]>()
  const samples: TrackSample[] = sampleRows.map((row) => ({
    accountId: row.account_id,
    day: row.day,
    level: row.level,
    score: row.score === null ? null : Number(row.score),
    ...parseMeasures(row.measures, row.scores, row.weights, parsedWeights),
    cap: capOf(row.hard_risk, scoring),
  }))

  const eventRows = rowsOf<EventRow>(
    await db.execute(sql`
      select o.account_id, o.effective_on::text as day, o.kind::text as kind, a.name
      from account_outcomes o join accounts a on a.id = o.account_id
      where o.kind in ('churn', 'contraction')
      union all
      select a.id, (a.churned_at at time zone 'UTC')::date::text, 'churn', a.name
      from accounts a
      where a.churned_at is not null
        and not exists (select 1 from account_outcomes o where o.account_id = a.id and o.kind = 'churn')
      order by 2 desc, 1`),
  )
  const events = eventRows.map((row) => ({ accountId: row.account_id, day: row.day, kind: row.kind }))
  const accountNames: Record<number, string> = {}
  for (const row of eventRows) accountNames[row.account_id] = row.name

  const lookbacks = events.flatMap((event) =>
    lookbackDays.map((days) => ({ account: event.accountId, day: addDays(event.day, -days) })),
  )
  const history =
    lookbacks.length === 0
      ? []
      : rowsOf<LookbackRow>(
          await db.execute(sql`
            select s.account_id, s.as_of::text as day, s.level
            from json_to_recordset(${JSON.stringify(lookbacks)}::json) as l(account int, day date)
            cross join lateral (
              select x.account_id, x.as_of, x.level from account_scores x
              where x.account_id = l.account and x.as_of <= l.day
              order by x.as_of desc limit 1
            ) s`),
        ).map((row) => ({ accountId: row.account_id, day: row.day, level: row.level }))
  return { samples, events, history, accountNames, firstDay, lastDay }
}

export type HealthCheck = {
  record: TrackRecord
  /** The churns and contractions with their accounts' names, for the table. */
  events: EventTableRow[]
  accountNames: Record<number, string>
  todayWeights: Weights
  spacingDays: number
  firstDay: string | null
  lastDay: string | null
  /** Whether the reader may apply the fitted weights (`manage.settings`). */
  canApply: boolean
}

/** The health check page's figures (`manage.dashboard`): the track record of the stored history up to
 *  today, with "what if" for the weights given and the fitted weight set. */
export async function getHealthCheck(
  db: Db,
  {
    actor,
    whatIfWeights = null,
    fit = true,
    now = new Date(),
    options,
  }: {
    actor: SessionUser
    whatIfWeights?: Weights | null
    /** Fit a weight set (the CSV files do without). */
    fit?: boolean
    now?: Date
    options?: TrackRecordOptions
  },
): Promise<Outcome<HealthCheck>> {
  if (!can(actor, 'manage.dashboard')) return fail(403, 'errors.forbidden')
  const settings = await readScoringSettings(db)
  const spacingDays = options?.spacingDays ?? trackRecordDefaults.spacingDays
  const data = await loadTrackRecordData(db, { spacingDays, lookbackDays: options?.lookbackDays }, settings)
  const todayWeights = settings.health.weights
  const record = trackRecord({
    samples: data.samples,
    events: data.events,
    history: data.history,
    observedUntil: utcDay(now),
    todayWeights,
    whatIfWeights,
    fit,
    options,
  })
  return {
    ok: true,
    value: {
      record,
      events: record.events.map((event) => ({
        ...event,
        accountName: data.accountNames[event.accountId] ?? `#${event.accountId}`,
      })),
      accountNames: data.accountNames,
      todayWeights,
      spacingDays,
      firstDay: data.firstDay,
      lastDay: data.lastDay,
      canApply: can(actor, 'manage.settings'),
    },
  }
}

/** Applies a weight set (the fitted one, as the manager confirmed it) through the settings writer, so
 *  it is validated, audited and re-judged like a change made at /manage/settings. */
export async function applyHealthWeights(
  db: Db,
  { actor, weights, now = new Date() }: { actor: SessionUser; weights: Weights; now?: Date },
): Promise<Outcome<SettingsUpdate>> {
  if (!can(actor, 'manage.settings')) return fail(403, 'errors.forbidden')
  const settings = await readScoringSettings(db)
  return updateScoringSettings(db, {
    actor,
    settings: { ...settings, health: { ...settings.health, weights: { ...settings.health.weights, ...weights } } },
    now,
  })
}
