import { parseWithZod } from '@conform-to/zod/v4'
import { data, Link, redirect } from 'react-router'
import { draftReplyOf } from '#app/components/editor/draft-controls.tsx'
import { EventForm, type EventFormValues } from '#app/components/events/event-form.tsx'
import { useT } from '#app/components/translation.tsx'
import { loadDraft } from '#app/domain/drafts/drafts.server.ts'
import { draftKey, withDraft } from '#app/domain/drafts/forms.ts'
import { createEvent, eventFormChoices } from '#app/domain/events/events.server.ts'
import { EventSchema } from '#app/domain/events/schemas.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { previewMarkdown } from '#app/domain/qa/preview.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { issueOneTimeKey, ONE_TIME_KEY_FIELD, sendOnce } from '#app/lib/one-time-key.server.ts'
import { instantToZonedLocal, timeZoneChoices } from '#app/lib/time-zones.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { draftIntent, keepDraft } from '#app/server/drafts.server.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { attachmentRefusal, fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/new'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'events.new.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'events.manage')
  // A week from now at the next full hour, one hour long, in the host's own time zone.
  const start = new Date(Math.ceil((Date.now() + 7 * 86_400_000) / 3_600_000) * 3_600_000)
  const draft = await loadDraft(getDb(context), { user: actor, formKey: EVENT_DRAFT })
  return {
    submissionKey: await issueOneTimeKey(getDb(context), actor),
    choices: { ...(await eventFormChoices(getDb(context))), timeZones: timeZoneChoices(actor.timeZone) },
    draft,
    defaultValue: withDraft(eventDefaults(actor, start), draft),
  }
}

/** The member's draft of a new event (docs/decisions/040). */
const EVENT_DRAFT = draftKey('event')

/** A new event's values: a webinar hosted by `actor`, in their language and time zone, from `start`. */
function eventDefaults(actor: SessionUser, start: Date): EventFormValues {
  return {
    kind: 'webinar',
    title: '',
    body: '',
    locale: actor.locale,
    timeZone: actor.timeZone,
    startsAt: instantToZonedLocal(start, actor.timeZone),
    endsAt: instantToZonedLocal(new Date(start.getTime() + 3_600_000), actor.timeZone),
    registrationClosesAt: '',
    capacity: '',
    onlineUrl: '',
    venue: '',
    recordingUrl: '',
    hostIds: [String(actor.id)],
    audience: 'everyone',
    audienceTiers: [],
    audienceAccountIds: [],
    onboarding: '',
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(EventSchema), 'intent', ONE_TIME_KEY_FIELD]

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'events.manage')
  const formData = await readForm({ request, context }, { fields: FIELDS, attach: { to: 'body' } })
  const refusal = attachmentRefusal(formData)
  if (refusal) return failureResponse(context, refusal, parseWithZod(formData, { schema: EventSchema }))
  const drafted = await draftIntent({ context, db: getDb(context), user: actor, formData, formKey: EVENT_DRAFT })
  if (drafted) return drafted
  const intent = formData.get('intent')
  const submission = parseWithZod(formData, { schema: EventSchema })
  if (intent === 'preview') {
    const preview = await previewMarkdown(getDb(context), actor, String(formData.get('body') ?? '').slice(0, 20_000))
    if (!preview.ok) return failureResponse(context, preview, submission)
    return { result: submission.reply(), preview: preview.value }
  }
  if (submission.status !== 'success') {
    // "Save draft" of an event that lacks a required field: what was typed is kept as the form's draft.
    const draft =
      intent === 'save'
        ? await keepDraft({ context, db: getDb(context), user: actor, formData, formKey: EVENT_DRAFT })
        : null
    return data({ result: submission.reply(), preview: null, draft }, { status: 400 })
  }
  const outcome = await sendOnce(
    getDb(context),
    actor,
    formData,
    (once) =>
      createEvent(getDb(context), {
        actor,
        input: submission.value,
        publish: intent === 'publish',
        once,
      }),
    { draft: EVENT_DRAFT },
  )
  if ('replayed' in outcome) return redirect(outcome.replayed)
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`/events/${outcome.value.id}?notice=${intent === 'publish' ? 'published' : 'saved'}`)
}

export default function NewEvent({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  return (
    <div className="narrow stack">
      <nav aria-label={t('events.breadcrumbs')} className="breadcrumbs">
        <Link to="/events">{t('nav.events')}</Link>
      </nav>
      <h1>{t('events.new.title')}</h1>
      <EventForm
        submissionKey={loaderData.submissionKey}
        choices={loaderData.choices}
        defaultValue={loaderData.defaultValue}
        lastResult={actionData?.result}
        preview={actionData && 'preview' in actionData ? actionData.preview : null}
        submit={[
          { name: 'intent', value: 'publish', label: t('events.new.publish') },
          { name: 'intent', value: 'save', label: t('events.new.save_draft'), secondary: true },
        ]}
        draft={{ formKey: EVENT_DRAFT, saved: loaderData.draft, reply: draftReplyOf(actionData) }}
      />
    </div>
  )
}
