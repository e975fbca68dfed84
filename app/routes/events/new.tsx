import { parseWithZod } from '@conform-to/zod/v4'
import { data, Link, redirect } from 'react-router'
import { EventForm } from '#app/components/events/event-form.tsx'
import { useT } from '#app/components/translation.tsx'
import { createEvent, eventFormChoices } from '#app/domain/events/events.server.ts'
import { EventSchema } from '#app/domain/events/schemas.ts'
import { getDb, requireCapability } from '#app/lib/auth.server.ts'
import { failureResponse } from '#app/lib/http.server.ts'
import { renderMarkdown } from '#app/lib/markdown.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { instantToZonedLocal, timeZoneChoices } from '#app/lib/time-zones.ts'
import type { Route } from './+types/new'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'events.new.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'events.manage')
  // A week from now at the next full hour, one hour long, in the host's own time zone.
  const start = new Date(Math.ceil((Date.now() + 7 * 86_400_000) / 3_600_000) * 3_600_000)
  return {
    choices: { ...(await eventFormChoices(getDb(context))), timeZones: timeZoneChoices(actor.timeZone) },
    defaultValue: {
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
    },
  }
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'events.manage')
  const formData = await request.formData()
  const intent = formData.get('intent')
  const submission = parseWithZod(formData, { schema: EventSchema })
  if (intent === 'preview') {
    return { result: submission.reply(), preview: renderMarkdown(String(formData.get('body') ?? '').slice(0, 20_000)) }
  }
  if (submission.status !== 'success') return data({ result: submission.reply(), preview: null }, { status: 400 })
  const outcome = await createEvent(getDb(context), { actor, input: submission.value, publish: intent === 'publish' })
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
        choices={loaderData.choices}
        defaultValue={loaderData.defaultValue}
        lastResult={actionData?.result}
        preview={actionData && 'preview' in actionData ? actionData.preview : null}
        submit={[
          { name: 'intent', value: 'publish', label: t('events.new.publish') },
          { name: 'intent', value: 'save', label: t('events.new.save_draft'), secondary: true },
        ]}
      />
    </div>
  )
}
