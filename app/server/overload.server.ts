import { monitorEventLoopDelay } from 'node:perf_hooks'
import { env } from '#app/lib/env.server.ts'
import { defaultLocale, type Locale, localeFromAcceptLanguage, translator } from '#app/lib/i18n.ts'

// Load shedding (docs/decisions/018-overload-shedding.md). When the process has more work than it can
// do, a request that waits in line only times out later, after costing memory and a socket; answering
// it at once with 503 and Retry-After keeps the requests it does take reasonably fast.
// - While the event loop runs late (CPU-bound work: rendering, hashing), new requests are refused.
// - That alone is not enough: a Node server runs every request it takes interleaved with the others,
//   so a burst let in while the loop was on time is all slow together, and requests queued for the
//   database pool wait without making the loop late at all. So the requests in flight are capped, and
//   the cap follows the load the way TCP's congestion window does. It starts small and doubles while
//   it is reached without congestion ("slow start"). Once congestion has been seen it grows by a
//   tenth per period, and each congested period cuts it to nine tenths of what was in flight.
//   Congestion means the loop was late, or the requests that finished took a median of more than
//   LATENCY_TARGET_MS.
// scripts/start.js asks before anything else runs.

export type SheddingOptions = {
  /** The event loop is "late" above this many milliseconds. 0 turns the delay check off, and with
   *  it the adaptive cap: the cap then stays at `maxInFlight`. */
  delayThresholdMs: number
  /** The most requests in flight, ever; 0 for no fixed ceiling. */
  maxInFlight: number
  /** Where the cap starts and the least it falls to. Below it nothing is congestion, and a late loop
   *  refuses nothing: a late loop with hardly a request waiting is a cold start, a GC pause, a
   *  background job or a noisy neighbour, and refusing the few requests there are would not help. */
  minInFlight: number
  /** Requests piling up where the loop cannot see them (the database pool): the period's finished
   *  requests took a median of more than this; 0 turns it off. */
  latencyTargetMs: number
  /** How often the cap is adjusted: the delay figure covers about this long. */
  adjustEveryMs: number
}

/** See `SheddingOptions.minInFlight`. */
export const MIN_IN_FLIGHT_TO_SHED = 8
/** See `SheddingOptions.latencyTargetMs`: a page here renders in well under a second when the process
 *  keeps up, so a median over a second means the requests are waiting for one another. */
export const LATENCY_TARGET_MS = 1_000

export type ShedReason = 'event_loop_delay' | 'in_flight'

/** The cap on requests in flight (Infinity for none), and whether it is still in slow start. */
export type Cap = { limit: number; slowStart: boolean }

/** What one period showed: the event loop's delay, the most requests in flight at once, and the
 *  median duration of the requests that finished in it (0 when none did). */
export type Period = { delayMs: number; peakInFlight: number; medianMs: number }

/** Seconds a shed client is asked to wait: the delay is measured over half a second, so by then the
 *  answer may well be different. */
export const SHED_RETRY_AFTER_SECONDS = 1

/** Durations kept per period to take the median of; more would say nothing new. */
const DURATION_SAMPLES = 512

function isLate(delayMs: number, options: SheddingOptions): boolean {
  return options.delayThresholdMs > 0 && delayMs > options.delayThresholdMs
}

function ceiling(options: SheddingOptions): number {
  return options.maxInFlight > 0 ? options.maxInFlight : Number.POSITIVE_INFINITY
}

/** The decision, pure: why a new request should be refused now, or null to take it. */
export function shedReason(
  load: { delayMs: number; inFlight: number; limit: number },
  options: SheddingOptions,
): ShedReason | null {
  if (isLate(load.delayMs, options) && load.inFlight >= options.minInFlight) return 'event_loop_delay'
  if (load.inFlight >= load.limit) return 'in_flight'
  return null
}

/** The cap to begin with: small, in slow start; the fixed ceiling when the delay check is off. */
export function initialCap(options: SheddingOptions): Cap {
  if (options.delayThresholdMs <= 0) return { limit: ceiling(options), slowStart: false }
  return { limit: Math.min(ceiling(options), options.minInFlight), slowStart: true }
}

/** Whether a period was congested: the loop late or the requests slow, with requests piling up. */
export function isCongested(period: Period, options: SheddingOptions): boolean {
  if (period.peakInFlight < options.minInFlight) return false
  const slow = options.latencyTargetMs > 0 && period.medianMs > options.latencyTargetMs
  return isLate(period.delayMs, options) || slow
}

/** The cap for the next period, pure. Congested: nine tenths of what was in flight, and slow start
 *  is over. Otherwise, if the cap was reached: doubled in slow start, else a tenth more; if it was not
 *  reached, as it was. Always within [minInFlight, maxInFlight]. */
export function nextCap(cap: Cap, period: Period, options: SheddingOptions): Cap {
  if (options.delayThresholdMs <= 0) return cap
  if (isCongested(period, options)) {
    const cut = Math.floor(Math.min(cap.limit, period.peakInFlight) * 0.9)
    return { limit: Math.max(options.minInFlight, cut), slowStart: false }
  }
  if (period.peakInFlight < cap.limit) return cap
  const grown = cap.slowStart ? cap.limit * 2 : cap.limit + Math.max(1, Math.ceil(cap.limit * 0.1))
  return { limit: Math.min(ceiling(options), grown), slowStart: cap.slowStart }
}

export type LoadShedder = {
  /** Counts the request in and returns null, or returns why it is refused (and does not count it). */
  admit(): ShedReason | null
  /** Counts an admitted request out, with how long it took; call it once, when its response has
   *  finished or was abandoned. */
  release(durationMs: number): void
  state(): { overloaded: boolean; delayMs: number; inFlight: number; limit: number; shed: number }
  stop(): void
}

function median(values: number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/** A shedder over any delay source (the event-loop sampler in production, a stub in tests) and
 *  clock. The cap is adjusted lazily, on the first request of each period. */
export function createLoadShedder(
  options: SheddingOptions,
  delay: { delayMs(): number; stop?(): void },
  now: () => number = () => performance.now(),
): LoadShedder {
  let inFlight = 0
  let peakInFlight = 0
  let durations: number[] = []
  let shed = 0
  let cap = initialCap(options)
  let periodStart = now()
  function load() {
    const delayMs = delay.delayMs()
    const at = now()
    if (at - periodStart >= options.adjustEveryMs) {
      cap = nextCap(cap, { delayMs, peakInFlight, medianMs: median(durations) }, options)
      periodStart = at
      peakInFlight = inFlight
      durations = []
    }
    return { delayMs, inFlight, limit: cap.limit }
  }
  return {
    admit() {
      const reason = shedReason(load(), options)
      if (reason) shed++
      else inFlight++
      peakInFlight = Math.max(peakInFlight, inFlight)
      return reason
    },
    release(durationMs) {
      inFlight = Math.max(0, inFlight - 1)
      if (durations.length < DURATION_SAMPLES) durations.push(durationMs)
    },
    state() {
      const current = load()
      return { overloaded: shedReason(current, options) !== null, ...current, shed }
    },
    stop() {
      delay.stop?.()
    },
  }
}

/** The event loop's delay: the 99th percentile of the last two 250-ms windows, whichever is worse, so
 *  the figure covers about the last half second and falls back within that once the load is gone. */
export function eventLoopDelaySampler({ windowMs = 250, resolutionMs = 10 } = {}) {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs })
  histogram.enable()
  let previous = 0
  let latest = 0
  // The histogram records the time between its timer's runs, the resolution included.
  const read = () => Math.max(0, histogram.percentile(99) / 1e6 - resolutionMs)
  const timer = setInterval(() => {
    previous = latest
    latest = histogram.count > 0 ? read() : 0
    histogram.reset()
  }, windowMs)
  timer.unref()
  return {
    delayMs: () => Math.max(previous, latest, histogram.count > 0 ? read() : 0),
    stop() {
      clearInterval(timer)
      histogram.disable()
    },
  }
}

let active: LoadShedder | null = null

/** Starts shedding as the environment says (OVERLOAD_DELAY_MS, MAX_IN_FLIGHT); null when both are off.
 *  The Node server calls it once; /healthz reads the state it leaves. */
export function startLoadShedding(): LoadShedder | null {
  active?.stop()
  const options = {
    delayThresholdMs: env().OVERLOAD_DELAY_MS,
    maxInFlight: env().MAX_IN_FLIGHT,
    minInFlight: MIN_IN_FLIGHT_TO_SHED,
    latencyTargetMs: LATENCY_TARGET_MS,
    adjustEveryMs: 500,
  }
  active =
    options.delayThresholdMs > 0 || options.maxInFlight > 0
      ? createLoadShedder(options, options.delayThresholdMs > 0 ? eventLoopDelaySampler() : { delayMs: () => 0 })
      : null
  return active
}

/** True while new requests are being refused (false when shedding is off). */
export function isOverloaded(): boolean {
  return active?.state().overloaded ?? false
}

const bodies = new Map<Locale, string>()

/** The 503 a shed request gets: plain text in the reader's language, built once per language so that
 *  refusing costs next to nothing. */
export function overloadedReply(acceptLanguage: string | undefined): {
  status: 503
  headers: Record<string, string>
  body: string
} {
  const locale = localeFromAcceptLanguage(acceptLanguage ?? null) ?? defaultLocale
  let body = bodies.get(locale)
  if (body === undefined) {
    body = translator(locale)('errors.overloaded')
    bodies.set(locale, body)
  }
  return {
    status: 503,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Language': locale,
      'Retry-After': String(SHED_RETRY_AFTER_SECONDS),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
    body,
  }
}
