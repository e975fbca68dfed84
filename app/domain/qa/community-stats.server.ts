import { sql } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'

/** A period [from, to): `from` included, `to` excluded. */
export type CommunityPeriod = { from: Date; to: Date }

/** How the community did in a period (the manager dashboard's community section). */
export type CommunityStats = {
  /** Distinct customers (role member) with at least one activity-ledger row in the period, any type. */
  activeMembers: number
  /** Questions asked in the period that are neither hidden nor deleted. */
  questions: number
  /** Of those, the ones with at least one visible answer posted before the period's end. */
  answered: number
  /** answered ÷ questions; null without questions. */
  answeredRate: number | null
  /** Of the questions, the ones whose accepted answer is visible. */
  accepted: number
  /** The median time from a question to its first visible answer, in seconds, over the answered
   *  questions; null when none was answered. */
  medianFirstAnswerSeconds: number | null
  /** Who wrote each answered question's first visible answer: a customer (a member) or staff. */
  firstAnswersByCustomers: number
  firstAnswersByStaff: number
  /** firstAnswersByCustomers ÷ answered; null when nothing was answered. */
  customerFirstAnswerShare: number | null
  /** Who wrote the accepted answers. */
  acceptedByCustomers: number
  acceptedByStaff: number
  /** acceptedByCustomers ÷ accepted; null without an accepted answer. */
  customerAcceptedShare: number | null
}

type QuestionRow = {
  questions: number | string
  answered: number | string
  accepted: number | string
  first_by_customers: number | string
  first_by_staff: number | string
  accepted_by_customers: number | string
  accepted_by_staff: number | string
  median_seconds: number | string | null
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole)

/** The community figures of a period, in two set-based queries whatever the volume.
 *
 *  - An active member is a customer with any ledger row in the period (a visit counts: reading is
 *    taking part); staff are not members of the community they run.
 *  - A question is in the period by its `created_at`; hidden and deleted questions are left out.
 *  - "Answered" means at least one visible (neither hidden nor deleted) answer, not an accepted one:
 *    many askers never accept, and the dashboard asks whether anyone replied. Accepted answers are
 *    counted beside it. Only answers posted before the period's end count, so a past period's figures
 *    do not change when its questions are answered later.
 *  - The first answer of a question is its earliest visible answer (ties by id); the median time to it
 *    is `percentile_cont(0.5)` over the answered questions (an answer dated before its question, as an
 *    import can leave, counts as instant).
 *  - Customer or staff is the author's role now: a member is a customer, every other role is staff. */
export async function communityStats(db: Db, { from, to }: CommunityPeriod): Promise<CommunityStats> {
  const start = from.toISOString()
  const end = to.toISOString()
  const [memberRows, questionRows] = await Promise.all([
    db.execute(sql`
      select count(distinct e.user_id)::int as members
      from activity_events e
      join users u on u.id = e.user_id
      where e.occurred_at >= ${start}::timestamptz and e.occurred_at < ${end}::timestamptz
        and u.role = 'member'`),
    db.execute(sql`
      with asked as (
        select q.id, q.created_at, q.accepted_answer_id
        from questions q
        where q.created_at >= ${start}::timestamptz and q.created_at < ${end}::timestamptz
          and q.hidden_at is null and q.deleted_at is null
      ),
      first_answers as (
        select distinct on (a.question_id) a.question_id, a.created_at, u.role
        from answers a
        join asked on asked.id = a.question_id
        join users u on u.id = a.author_id
        where a.hidden_at is null and a.deleted_at is null and a.created_at < ${end}::timestamptz
        order by a.question_id, a.created_at, a.id
      )
      select count(*)::int as questions,
             count(f.question_id)::int as answered,
             count(acc.id)::int as accepted,
             count(*) filter (where f.role = 'member')::int as first_by_customers,
             count(*) filter (where f.role <> 'member')::int as first_by_staff,
             count(*) filter (where accu.role = 'member')::int as accepted_by_customers,
             count(*) filter (where accu.role <> 'member')::int as accepted_by_staff,
             percentile_cont(0.5) within group (
               order by extract(epoch from greatest(f.created_at - asked.created_at, interval '0'))
             ) filter (where f.question_id is not null) as median_seconds
      from asked
      left join first_answers f on f.question_id = asked.id
      left join answers acc on acc.id = asked.accepted_answer_id
        and acc.hidden_at is null and acc.deleted_at is null and acc.created_at < ${end}::timestamptz
      left join users accu on accu.id = acc.author_id`),
  ])
  const members = Number(rowsOf<{ members: number | string }>(memberRows)[0]?.members ?? 0)
  const row = rowsOf<QuestionRow>(questionRows)[0]
  const n = (value: number | string | undefined) => Number(value ?? 0)
  const questions = n(row?.questions)
  const answered = n(row?.answered)
  const accepted = n(row?.accepted)
  const firstByCustomers = n(row?.first_by_customers)
  const acceptedByCustomers = n(row?.accepted_by_customers)
  const median = row?.median_seconds
  return {
    activeMembers: members,
    questions,
    answered,
    answeredRate: share(answered, questions),
    accepted,
    medianFirstAnswerSeconds: median === null || median === undefined ? null : Number(median),
    firstAnswersByCustomers: firstByCustomers,
    firstAnswersByStaff: n(row?.first_by_staff),
    customerFirstAnswerShare: share(firstByCustomers, answered),
    acceptedByCustomers,
    acceptedByStaff: n(row?.accepted_by_staff),
    customerAcceptedShare: share(acceptedByCustomers, accepted),
  }
}
