import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { formatDateTime, intlLocale } from '#app/lib/format.ts'

const timeOnly = new Map<string, Intl.DateTimeFormat>()

function formatTime(value: Date, locale: string, timeZone: string): string {
  const key = `${locale}|${timeZone}`
  let formatter = timeOnly.get(key)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(intlLocale(locale), { timeStyle: 'short', timeZone })
    timeOnly.set(key, formatter)
  }
  return formatter.format(value)
}

/** "Dec 1, 2026, 3:00 PM – 4:00 PM (Asia/Tokyo)" in the reader's time zone, with the event's own zone
 *  beside it when they differ, so nobody has to convert. */
export function EventTime({
  startsAt,
  endsAt,
  timeZone,
}: {
  startsAt: Date | string
  endsAt: Date | string
  timeZone: string
}) {
  const { t } = useT()
  const { locale, timeZone: readerZone } = useViewer()
  const start = new Date(startsAt)
  const end = new Date(endsAt)
  const range = (zone: string) => `${formatDateTime(start, locale, zone)} – ${formatTime(end, locale, zone)}`
  return (
    <span className="event-time">
      <time dateTime={start.toISOString()}>{range(readerZone)}</time>{' '}
      <span className="muted">{t('events.time.reader_zone', { zone: readerZone })}</span>
      {readerZone !== timeZone ? (
        <span className="event-zone muted">
          {t('app.separator')}
          {t('events.time.event_zone', { time: range(timeZone), zone: timeZone })}
        </span>
      ) : null}
    </span>
  )
}
