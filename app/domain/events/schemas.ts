import { z } from 'zod'
import { isTimeZone } from '#app/lib/format.ts'
import { locales } from '#app/lib/i18n.ts'
import { nulFree } from '#app/lib/schema-text.ts'
import { zonedLocalToInstant } from '#app/lib/time-zones.ts'

export const eventKinds = ['webinar', 'workshop', 'office_hours', 'training', 'meetup'] as const
export type EventKind = (typeof eventKinds)[number]
export const EVENTS_PER_PAGE = 20

const emptyToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value)

const LocalDateTime = z
  .string({ error: 'events.validation.time_required' })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'events.validation.time_invalid')

const OptionalUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .trim()
    .max(500, 'events.validation.url_invalid')
    .regex(/^https?:\/\/[^\s]+$/i, 'events.validation.url_invalid')
    .optional(),
)

/** A list field sent as repeated form values (checkboxes, multi-select): one value arrives as a string. */
function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z.array(item),
  )
}

/** The event form. Times are typed as local date-times in the event's own time zone and become instants
 *  here; the end must follow the start and the deadline may not pass the start. */
export const EventSchema = z
  .object({
    kind: z.enum(eventKinds, { error: 'events.validation.kind_required' }),
    title: nulFree(
      z
        .string({ error: 'events.validation.title_required' })
        .trim()
        .min(1, 'events.validation.title_required')
        .max(150, 'events.validation.title_too_long'),
    ),
    body: nulFree(
      z
        .string({ error: 'events.validation.body_required' })
        .trim()
        .min(1, 'events.validation.body_required')
        .max(20_000, 'events.validation.body_too_long'),
    ),
    locale: z.enum(locales, { error: 'validation.invalid_choice' }),
    timeZone: z.string({ error: 'validation.time_zone_invalid' }).refine(isTimeZone, 'validation.time_zone_invalid'),
    startsAt: LocalDateTime,
    endsAt: LocalDateTime,
    registrationClosesAt: z.preprocess(emptyToUndefined, LocalDateTime.optional()),
    capacity: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ error: 'events.validation.capacity_invalid' })
        .int('events.validation.capacity_invalid')
        .min(1, 'events.validation.capacity_invalid')
        .max(100_000, 'events.validation.capacity_invalid')
        .optional(),
    ),
    onlineUrl: OptionalUrl,
    venue: nulFree(
      z.preprocess(emptyToUndefined, z.string().trim().max(300, 'events.validation.venue_too_long').optional()),
    ),
    recordingUrl: OptionalUrl,
    hostIds: listOf(z.coerce.number().int().positive()),
    audience: z.enum(['everyone', 'restricted'], { error: 'validation.invalid_choice' }),
    audienceTiers: listOf(z.enum(['high', 'low', 'tech'], { error: 'validation.invalid_choice' })),
    audienceAccountIds: listOf(z.coerce.number().int().positive()),
    /** An onboarding session: the first-steps checklist points new members to the next one. */
    onboarding: z.boolean().default(false),
  })
  .transform((input, ctx) => {
    const startsAt = zonedLocalToInstant(input.startsAt, input.timeZone)
    const endsAt = zonedLocalToInstant(input.endsAt, input.timeZone)
    const closesAt = input.registrationClosesAt ? zonedLocalToInstant(input.registrationClosesAt, input.timeZone) : null
    if (!startsAt) ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'events.validation.time_invalid' })
    if (!endsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'events.validation.time_invalid' })
    if (startsAt && endsAt && endsAt <= startsAt)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'events.validation.end_before_start' })
    if (startsAt && closesAt && closesAt > startsAt)
      ctx.addIssue({
        code: 'custom',
        path: ['registrationClosesAt'],
        message: 'events.validation.deadline_after_start',
      })
    if (!input.onlineUrl && !input.venue)
      ctx.addIssue({ code: 'custom', path: ['venue'], message: 'events.validation.place_required' })
    if (input.audience === 'restricted' && !input.audienceTiers.length && !input.audienceAccountIds.length)
      ctx.addIssue({ code: 'custom', path: ['audienceTiers'], message: 'events.validation.audience_required' })
    if (!startsAt || !endsAt) return z.NEVER
    return { ...input, startsAt, endsAt, registrationClosesAt: closesAt }
  })
export type EventInput = z.output<typeof EventSchema>

/* Event follow-up: attendance and the post-event survey */

/** The attendance checklist: one row per registrant; a row left unmarked is sent without a status. */
export const AttendanceMarksSchema = z.object({
  marks: z
    .array(
      z.object({
        userId: z.coerce.number({ error: 'validation.invalid_choice' }).int().positive('validation.invalid_choice'),
        status: z.enum(['attended', 'no_show'], { error: 'validation.invalid_choice' }).optional(),
      }),
    )
    .max(10_000)
    .default([]),
})

/** The attendance checklist's marks from its form fields (`marks[3].userId`, `marks[3].status`), for
 *  AttendanceMarksSchema. Read in one pass: the checklist of a large webinar sends tens of thousands of
 *  fields, where conform's general parser costs far more than it needs to. */
export function attendanceMarksFrom(form: FormData): { marks: Record<string, FormDataEntryValue>[] } {
  const marks: Record<string, FormDataEntryValue>[] = []
  for (const [name, value] of form) {
    const match = /^marks\[(\d{1,5})\]\.(userId|status)$/.exec(name)
    if (!match) continue
    const index = Number(match[1])
    if (index >= 10_000) continue
    marks[index] = { ...marks[index], [match[2]!]: value }
  }
  return { marks: marks.filter(Boolean) }
}

export const SURVEY_COMMENT_MAX = 2000

/** A whole number from a radio group; nothing chosen (or anything else) is the given message. */
function score(min: number, max: number, message: string) {
  return z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    z.coerce.number({ error: message }).int(message).min(min, message).max(max, message),
  )
}

/** The post-event survey: a rating of the event (1–5), how likely the member is to recommend us (0–10)
 *  and an optional comment, whose NUL characters are dropped because PostgreSQL text cannot hold them. */
export const SurveySchema = z.object({
  rating: score(1, 5, 'events_followup.validation.rating_required'),
  nps: score(0, 10, 'events_followup.validation.nps_required'),
  comment: nulFree(z.string().trim().max(SURVEY_COMMENT_MAX, 'events_followup.validation.comment_too_long').optional()),
})
export type SurveyInput = z.infer<typeof SurveySchema>
