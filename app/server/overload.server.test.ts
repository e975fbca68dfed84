import { expect, test } from 'vitest'
import {
  createLoadShedder,
  eventLoopDelaySampler,
  initialCap,
  isCongested,
  MIN_IN_FLIGHT_TO_SHED,
  nextCap,
  overloadedReply,
  type Period,
  type SheddingOptions,
  shedReason,
} from './overload.server.ts'

const options: SheddingOptions = {
  delayThresholdMs: 200,
  maxInFlight: 256,
  minInFlight: MIN_IN_FLIGHT_TO_SHED,
  latencyTargetMs: 1_000,
  adjustEveryMs: 500,
}
const busy = MIN_IN_FLIGHT_TO_SHED

/** A period that kept up (loop on time, requests quick), with `peakInFlight` at once. */
function onTime(peakInFlight: number, rest: Partial<Period> = {}): Period {
  return { delayMs: 20, peakInFlight, medianMs: 80, ...rest }
}

test('a late event loop sheds only while requests are piling up; a full cap sheds on its own', () => {
  const limit = 256
  expect(shedReason({ delayMs: 50, inFlight: busy, limit }, options)).toBeNull()
  expect(shedReason({ delayMs: 200, inFlight: busy, limit }, options)).toBeNull()
  expect(shedReason({ delayMs: 201, inFlight: busy, limit }, options)).toBe('event_loop_delay')
  // A cold start, a GC pause or a background job with hardly a request waiting: no use refusing them.
  expect(shedReason({ delayMs: 900, inFlight: busy - 1, limit }, options)).toBeNull()
  expect(shedReason({ delayMs: 0, inFlight: 255, limit }, options)).toBeNull()
  expect(shedReason({ delayMs: 0, inFlight: 256, limit }, options)).toBe('in_flight')
  expect(shedReason({ delayMs: 0, inFlight: 40, limit: 40 }, options)).toBe('in_flight')
})

test('congestion is a late loop or slow requests, with requests piling up', () => {
  expect(isCongested(onTime(busy), options)).toBe(false)
  expect(isCongested(onTime(busy, { delayMs: 250 }), options)).toBe(true)
  // Waiting for the database pool: the loop keeps up, the requests do not.
  expect(isCongested(onTime(busy, { medianMs: 1_500 }), options)).toBe(true)
  expect(isCongested(onTime(busy - 1, { delayMs: 900, medianMs: 5_000 }), options)).toBe(false)
  expect(isCongested(onTime(busy, { medianMs: 5_000 }), { ...options, latencyTargetMs: 0 })).toBe(false)
})

test('the cap starts small and doubles while reached without congestion, until congestion is first seen', () => {
  const start = initialCap(options)
  expect(start).toEqual({ limit: busy, slowStart: true })
  expect(nextCap(start, onTime(start.limit), options)).toEqual({ limit: 16, slowStart: true })
  // Not reached: no evidence that more would do, so no change.
  expect(nextCap({ limit: 16, slowStart: true }, onTime(10), options).limit).toBe(16)
  expect(nextCap({ limit: 200, slowStart: true }, onTime(200), options).limit).toBe(256)
})

test('once congested the cap falls to nine tenths of what was in flight, and grows by a tenth', () => {
  expect(nextCap({ limit: 64, slowStart: true }, onTime(64, { delayMs: 400 }), options)).toEqual({
    limit: 57,
    slowStart: false,
  })
  expect(nextCap({ limit: 100, slowStart: false }, onTime(90, { medianMs: 2_000 }), options).limit).toBe(81)
  expect(nextCap({ limit: 48, slowStart: false }, onTime(48), options).limit).toBe(53)
  expect(nextCap({ limit: 12, slowStart: false }, onTime(9, { delayMs: 400 }), options).limit).toBe(busy)
  // Late with hardly anything in flight: not the requests' doing, the cap stays.
  expect(nextCap({ limit: 30, slowStart: false }, onTime(2, { delayMs: 400 }), options).limit).toBe(30)
  expect(nextCap({ limit: 250, slowStart: false }, onTime(250), options).limit).toBe(256)
})

test('0 turns either check off: no delay check leaves a fixed cap, no ceiling leaves the cap unbounded', () => {
  const noDelay = { ...options, delayThresholdMs: 0 }
  expect(initialCap(noDelay)).toEqual({ limit: 256, slowStart: false })
  expect(shedReason({ delayMs: 10_000, inFlight: 100, limit: 256 }, noDelay)).toBeNull()
  expect(nextCap({ limit: 256, slowStart: false }, onTime(256, { medianMs: 9_000 }), noDelay).limit).toBe(256)
  const noCeiling = { ...options, maxInFlight: 0 }
  expect(nextCap({ limit: 4096, slowStart: true }, onTime(4096), noCeiling).limit).toBe(8192)
  const noCap = { ...noDelay, maxInFlight: 0 }
  expect(shedReason({ delayMs: 0, inFlight: 10_000, limit: initialCap(noCap).limit }, noCap)).toBeNull()
})

test('the shedder counts requests in flight, refuses past the cap or while the loop is late, and adjusts the cap each period', () => {
  let delayMs = 0
  let clock = 0
  const shedder = createLoadShedder(options, { delayMs: () => delayMs }, () => clock)
  for (let i = 0; i < busy; i++) expect(shedder.admit()).toBeNull()
  expect(shedder.admit()).toBe('in_flight')
  // A refused request is not in flight.
  expect(shedder.state()).toMatchObject({ overloaded: true, inFlight: busy, limit: busy, shed: 1 })

  // Reached without congestion: the cap doubles.
  clock += 500
  for (let i = busy; i < 16; i++) expect(shedder.admit()).toBeNull()
  expect(shedder.state()).toMatchObject({ inFlight: 16, limit: 16 })

  // Late: everything is refused at once, and next period the cap is cut.
  delayMs = 350
  expect(shedder.admit()).toBe('event_loop_delay')
  clock += 500
  expect(shedder.admit()).toBe('event_loop_delay')
  expect(shedder.state()).toMatchObject({ inFlight: 16, limit: 14, shed: 3 })

  // The loop catches up as requests finish (quickly); the cap, not the late loop, holds the line.
  delayMs = 20
  for (let i = 0; i < 8; i++) shedder.release(90)
  for (let i = 8; i < 14; i++) expect(shedder.admit()).toBeNull()
  expect(shedder.admit()).toBe('in_flight')
  clock += 500
  expect(shedder.admit()).toBeNull()
  expect(shedder.state()).toMatchObject({ overloaded: false, inFlight: 15, limit: 16, shed: 4 })

  // The loop keeps up but the requests that finish took seconds: the cap is cut all the same.
  for (let i = 0; i < 5; i++) shedder.release(3_000)
  clock += 500
  expect(shedder.state()).toMatchObject({ inFlight: 10, limit: 13 })
  for (let i = 0; i < 100; i++) shedder.release(50)
  expect(shedder.state()).toMatchObject({ overloaded: false, inFlight: 0 })
})

test('the sampler sees the event loop blocked, and forgets it within a second', async () => {
  const sampler = eventLoopDelaySampler()
  try {
    await new Promise((resolve) => setTimeout(resolve, 300))
    const blockedFor = 250
    const started = Date.now()
    while (Date.now() - started < blockedFor) {
      // Busy: the loop cannot run a timer.
    }
    // Read a few times over the next 200 ms: on a busy machine the histogram's own timer may record the
    // blocked turn a little after the loop is free again.
    let seen = 0
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      seen = Math.max(seen, sampler.delayMs())
    }
    expect(seen).toBeGreaterThan(blockedFor * 0.6)
    await new Promise((resolve) => setTimeout(resolve, 700))
    expect(sampler.delayMs()).toBeLessThan(blockedFor * 0.6)
  } finally {
    sampler.stop()
  }
})

test('the refusal is short, translated, and says when to come back', () => {
  const en = overloadedReply('en-GB,en;q=0.9')
  expect(en).toMatchObject({ status: 503, body: 'The site is very busy right now. Please try again in a moment.' })
  expect(en.headers).toMatchObject({ 'Retry-After': '1', 'Cache-Control': 'no-store', 'Content-Language': 'en' })
  expect(overloadedReply('ja').body).toBe('現在アクセスが集中しています。少し待ってからもう一度お試しください。')
  expect(overloadedReply(undefined).headers['Content-Language']).toBe('en')
})
