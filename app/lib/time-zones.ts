const partsFormatters = new Map<string, Intl.DateTimeFormat>()

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    partsFormatters.set(timeZone, formatter)
  }
  return formatter
}

function wallClock(instant: number, timeZone: string) {
  const parts = Object.fromEntries(
    partsFormatter(timeZone)
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  )
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  }
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const c = wallClock(instant, timeZone)
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - Math.floor(instant / 1000) * 1000
}

/** The instant a wall-clock time ("2026-12-01T15:00") names in a time zone. In a gap (spring forward)
 *  the time is moved past the gap; in an overlap (fall back) the earlier instant is chosen. */
export function zonedLocalToInstant(local: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local)
  if (!match) return null
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number]
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null
  const asUtc = Date.UTC(y, mo - 1, d, h, mi)
  const check = new Date(asUtc)
  if (check.getUTCDate() !== d) return null
  try {
    const first = asUtc - offsetAt(asUtc, timeZone)
    const second = asUtc - offsetAt(first, timeZone)
    const candidates = [first, second].sort((a, b) => a - b)
    const exact = candidates.filter((instant) => instantToZonedLocal(new Date(instant), timeZone) === local)
    // No exact match: the time falls in a gap, and the later reading lies just past it.
    return new Date(exact[0] ?? candidates[1]!)
  } catch {
    return null
  }
}

/** The wall-clock time of an instant in a zone, as a datetime-local field expects ("2026-12-01T15:00"). */
export function instantToZonedLocal(instant: Date, timeZone: string): string {
  const c = wallClock(instant.getTime(), timeZone)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${c.year}-${pad(c.month)}-${pad(c.day)}T${pad(c.hour)}:${pad(c.minute)}`
}

/** The IANA zones this runtime knows, computed once. The list omits the alias "UTC", which is the
 *  default zone, so it is added first. */
const knownZones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')]

/** The zones a time-zone select offers. A stored zone the runtime lists under another name stays
 *  selectable, or saving the form would change it. */
export function timeZoneChoices(current?: string): string[] {
  return !current || knownZones.includes(current) ? knownZones : [current, ...knownZones]
}
