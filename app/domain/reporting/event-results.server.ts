import { sql } from 'drizzle-orm'
import { npsGroups, npsOf } from '#app/lib/nps.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import type { events } from '#db/schema/events.ts'
import type { ReportPeriod } from './periods.ts'

type EventKind = (typeof events.$inferSelect)['kind']

/** One event that ended in the period, with its attendance and survey figures. */
export type EventInsightRow = {
  eventId: number
  title: string
  kind: EventKind
  startsAt: Date
  /** Seats held: registered, attended and no-show. */
  seats: number
  attended: number
  noShows: number
  /** Seats whose attendance was never marked. */
  unmarked: number
  /** attended ÷ (attended + no-shows); null before anything was marked. */
  attendanceRate: number | null
  answers: number
  /** Mean of the 1–5 ratings; null without answers. */
  averageRating: number | null
  nps: number | null
}

/** The events section of the manager dashboard. */
export type EventInsights = {
  /** Sign-ups made in the period (a registration row's `created_at`: the member's first sign-up for
   *  the event), whatever became of them; `waitlisted` and `cancelled` say how many are in those
   *  states now. */
  registrations: number
  waitlisted: number
  cancelled: number
  /** Published events whose end falls in the period; the figures below are theirs. */
  eventsEnded: number
  attended: number
  noShows: number
  unmarked: number
  /** attended ÷ (attended + no-shows) over those events; null when nothing was marked. */
  attendanceRate: number | null
  answers: number
  averageRating: number | null
  nps: number | null
  promoters: number
  passives: number
  detractors: number
  /** The events that ended in the period, latest start first. */
  events: EventInsightRow[]
}

type RegistrationRow = { registrations: number | string; waitlisted: number | string; cancelled: number | string }
type EventRow = {
  id: number
  title: string
  kind: EventKind
  starts_at: string | Date
  attended: number | string
  no_shows: number | string
  unmarked: number | string
}
type SurveyRow = { event_id: number; nps: number | string; answers: number | string; rating_sum: number | string }

/** The event figures of a period, in three set-based queries whatever the number of events:
 *  sign-ups made in the period; attendance of the published events that ended in it (attended ÷
 *  (attended + no-show): seats never marked are left out rather than counted as absences, since an
 *  unmarked list says nothing about who came); and the survey answers of those same events (average
 *  rating, NPS with its groups, by the maths of `nps.ts`). Tying the survey to the event's end keeps an
 *  event's attendance and its answers in the same period. */
export async function eventInsights(db: Db, { from, to }: ReportPeriod): Promise<EventInsights> {
  const start = from.toISOString()
  const end = to.toISOString()
  const ended = sql`e.status = 'published' and e.ends_at >= ${start}::timestamptz and e.ends_at < ${end}::timestamptz`
  const [registrationRows, eventRows, surveyRows] = await Promise.all([
    db.execute(sql`
      select count(*)::int as registrations,
             count(*) filter (where status = 'waitlisted')::int as waitlisted,
             count(*) filter (where status = 'cancelled')::int as cancelled
      from event_registrations
      where created_at >= ${start}::timestamptz and created_at < ${end}::timestamptz`),
    db.execute(sql`
      select e.id, e.title, e.kind, e.starts_at,
             count(r.id) filter (where r.status = 'attended')::int as attended,
             count(r.id) filter (where r.status = 'no_show')::int as no_shows,
             count(r.id) filter (where r.status = 'registered')::int as unmarked
      from events e
      left join event_registrations r on r.event_id = e.id
      where ${ended}
      group by e.id
      order by e.starts_at desc, e.id desc`),
    db.execute(sql`
      select s.event_id, s.nps, count(*)::int as answers, sum(s.rating)::int as rating_sum
      from event_surveys s
      join events e on e.id = s.event_id
      where ${ended}
      group by s.event_id, s.nps`),
  ])

  // NPS needs the answers themselves; the query gives how many answered each score, per event.
  const surveys = new Map<number, { scores: number[]; ratingSum: number }>()
  for (const row of rowsOf<SurveyRow>(surveyRows)) {
    const id = Number(row.event_id)
    const entry = surveys.get(id) ?? { scores: [], ratingSum: 0 }
    for (let i = 0; i < Number(row.answers); i++) entry.scores.push(Number(row.nps))
    entry.ratingSum += Number(row.rating_sum)
    surveys.set(id, entry)
  }

  const rows: EventInsightRow[] = rowsOf<EventRow>(eventRows).map((row) => {
    const attended = Number(row.attended)
    const noShows = Number(row.no_shows)
    const unmarked = Number(row.unmarked)
    const survey = surveys.get(Number(row.id))
    const answers = survey?.scores.length ?? 0
    return {
      eventId: Number(row.id),
      title: row.title,
      kind: row.kind,
      startsAt: new Date(row.starts_at),
      seats: attended + noShows + unmarked,
      attended,
      noShows,
      unmarked,
      attendanceRate: attended + noShows === 0 ? null : attended / (attended + noShows),
      answers,
      averageRating: survey && answers > 0 ? survey.ratingSum / answers : null,
      nps: npsOf(survey?.scores ?? []),
    }
  })

  const allScores = [...surveys.values()].flatMap((survey) => survey.scores)
  const ratingSum = [...surveys.values()].reduce((sum, survey) => sum + survey.ratingSum, 0)
  const attended = rows.reduce((sum, row) => sum + row.attended, 0)
  const noShows = rows.reduce((sum, row) => sum + row.noShows, 0)
  const registration = rowsOf<RegistrationRow>(registrationRows)[0]
  return {
    registrations: Number(registration?.registrations ?? 0),
    waitlisted: Number(registration?.waitlisted ?? 0),
    cancelled: Number(registration?.cancelled ?? 0),
    eventsEnded: rows.length,
    attended,
    noShows,
    unmarked: rows.reduce((sum, row) => sum + row.unmarked, 0),
    attendanceRate: attended + noShows === 0 ? null : attended / (attended + noShows),
    answers: allScores.length,
    averageRating: allScores.length === 0 ? null : ratingSum / allScores.length,
    nps: npsOf(allScores),
    ...npsGroups(allScores),
    events: rows,
  }
}
