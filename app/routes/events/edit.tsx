import { parseWithZod } from '@conform-to/zod/v4'
import { data, Link, redirect } from 'react-router'
import { EventForm } from '#app/components/events/event-form.tsx'
import { useT } from '#app/components/translation.tsx'
import { eventFormChoices, getEventForEdit, updateEvent } from '#app/domain/events/events.server.ts'
import { EventSchema } from '#app/domain/events/schemas.ts'
import { previewMarkdown } from '#app/domain/qa/preview.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { instantToZonedLocal, timeZoneChoices } from '#app/lib/time-zones.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import { attachmentRefusal, fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/edit'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'events.edit.title')

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'events.manage')
  const db = getDb(context)
  const outcome = await getEventForEdit(db, { actor, eventId: intParam(params.eventId) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const event = outcome.value
  const local = (value: Date | null) => (value ? instantToZonedLocal(value, event.timeZone) : '')
  return {
    event: { id: event.id, title: event.title, status: event.status },
    choices: { ...(await eventFormChoices(db)), timeZones: timeZoneChoices(event.timeZone) },
    defaultValue: {
      kind: event.kind,
      title: event.title,
      body: event.bodyMd,
      locale: event.locale,
      timeZone: event.timeZone,
      startsAt: local(event.startsAt),
      endsAt: local(event.endsAt),
      registrationClosesAt: local(event.registrationClosesAt),
      capacity: event.capacity === null ? '' : String(event.capacity),
      onlineUrl: event.onlineUrl ?? '',
      venue: event.venue ?? '',
      recordingUrl: event.recordingUrl ?? '',
      hostIds: event.hostIds.map(String),
      audience: event.audience,
      audienceTiers: event.audienceTiers,
      audienceAccountIds: event.audienceAccountIds.map(String),
      onboarding: event.onboarding ? 'on' : '',
    },
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(EventSchema), 'intent']

export async function action({ request, params, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'events.manage')
  const eventId = intParam(params.eventId)
  const formData = await readForm({ request, context }, { fields: FIELDS, attach: { to: 'body' } })
  const refusal = attachmentRefusal(formData)
  if (refusal) return failureResponse(context, refusal, parseWithZod(formData, { schema: EventSchema }))
  const submission = parseWithZod(formData, { schema: EventSchema })
  if (formData.get('intent') === 'preview') {
    const preview = await previewMarkdown(getDb(context), actor, String(formData.get('body') ?? '').slice(0, 20_000))
    if (!preview.ok) return failureResponse(context, preview, submission)
    return { result: submission.reply(), preview: preview.value }
  }
  if (submission.status !== 'success') return data({ result: submission.reply(), preview: null }, { status: 400 })
  const outcome = await updateEvent(getDb(context), { actor, eventId, input: submission.value })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`/events/${eventId}?notice=${outcome.value.notified ? 'updated_notified' : 'saved'}`)
}

export default function EditEvent({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  return (
    <div className="narrow stack">
      <nav aria-label={t('events.breadcrumbs')} className="breadcrumbs">
        <Link to="/events">{t('nav.events')}</Link> ›{' '}
        <Link to={`/events/${loaderData.event.id}`}>{loaderData.event.title}</Link>
      </nav>
      <h1>{t('events.edit.title')}</h1>
      {loaderData.event.status === 'published' ? <p className="muted">{t('events.edit.notify_hint')}</p> : null}
      <EventForm
        choices={loaderData.choices}
        defaultValue={loaderData.defaultValue}
        lastResult={actionData?.result}
        preview={actionData && 'preview' in actionData ? actionData.preview : null}
        submit={[{ name: 'intent', value: 'save', label: t('events.edit.save') }]}
      />
    </div>
  )
}
