import { Link } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { seatsLine } from '#app/domain/events/reader-status.ts'
import { EventTime } from './event-time.tsx'

export type EventRowData = {
  id: number
  kind: string
  title: string
  locale: string
  startsAt: Date | string
  endsAt: Date | string
  timeZone: string
  capacity: number | null
  status: string
  online: boolean
  venue: string | null
  taken: number
  restricted?: boolean
  recorded?: boolean
  myStatus?: string | null
}

/** One event in a list: kind, title, time in the reader's zone, place and seats left (not for the
 *  reader's own events, whose status says where they stand, nor once the event is over). */
export function EventRow({ event }: { event: EventRowData }) {
  const { t } = useT()
  const seats = seatsLine(event)
  return (
    <li className="event-row">
      <p className="event-kind">
        <span className="badge">{t(`events.kinds.${event.kind}`)}</span>
        {event.status === 'cancelled' ? (
          <span className="badge badge-danger">{t('events.status.cancelled')}</span>
        ) : null}
        {event.status === 'draft' ? <span className="badge">{t('events.status.draft')}</span> : null}
        {event.restricted ? <span className="badge">{t('events.restricted_badge')}</span> : null}
        {event.myStatus ? <span className="badge badge-answered">{t(`events.my_badge.${event.myStatus}`)}</span> : null}
      </p>
      <h3 className="event-row-title" lang={event.locale}>
        <Link to={`/events/${event.id}`}>{event.title}</Link>
      </h3>
      <p className="byline">
        <EventTime startsAt={event.startsAt} endsAt={event.endsAt} timeZone={event.timeZone} />
      </p>
      <p className="byline">
        {event.online ? t('events.online') : event.venue}
        {seats ? t('app.separator') : null}
        {seats?.kind === 'unlimited'
          ? t('events.seats.unlimited')
          : seats?.kind === 'left'
            ? t('events.seats.left', { count: seats.count })
            : seats?.kind === 'full'
              ? t('events.seats.full')
              : null}
        {event.recorded ? (
          <>
            {t('app.separator')}
            {t('events.recording_available')}
          </>
        ) : null}
      </p>
    </li>
  )
}
