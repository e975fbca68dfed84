import {
  MessageChannel,
  type MessagePort,
  type ResourceLimits,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads'

// A small pool of long-lived worker threads that run one CPU-bound job each under a deadline, so that
// the event loop never waits for the work and a job that runs long costs a bounded time.
//
// Protocol of a worker file: it talks on the MessagePort it gets as `workerData.port`. It posts
// `{ ready: true }` once it can take jobs; it receives `{ id, input, deadlineMs }` and answers
// `{ id, output }` or `{ id, error, timedOut? }`. The worker stops its own job at the deadline
// (timedOut) and stays; the pool gives up waiting a margin later, and ends and replaces a worker that
// has not answered within the grace period after that.
//
// The pool's timers read the ports before they decide: when the event loop itself ran late, a
// timer and the answer it waits for are due together, and the timer would run first.

export type PoolFailure = 'deadline' | 'error' | 'busy' | 'unavailable'
export type PoolResult<O> = { ok: true; value: O } | { ok: false; reason: PoolFailure; detail?: string }

export type WorkerPoolOptions = {
  /** Absolute path of the worker's module. */
  file: string
  size: number
  /** The most time a job gets, from the moment a worker takes it; the worker stops it there. */
  deadlineMs: number
  /** How long after the deadline the pool waits for the worker to say so, before the job fails as
   *  `deadline` anyway. */
  marginMs: number
  /** After the deadline, how long a worker may take to answer before it is ended and replaced. */
  graceMs: number
  /** The most time a job waits in line while the pool is serving; past it the job fails as `busy`. */
  maxWaitMs: number
  /** The most time a job waits while no worker has started yet; past it the job fails as `unavailable`. */
  startTimeoutMs: number
  /** Jobs beyond this many waiting fail at once as `busy`. */
  maxQueue: number
  resourceLimits?: ResourceLimits
}

export type WorkerPoolStats = { completed: number; deadline: number; errors: number; busy: number; replaced: number }

export type WorkerPool<I, O> = {
  /** Runs one job; `deadlineMs` replaces the pool's deadline for this job (a background job may wait
   *  longer than a request). */
  run(input: I, options?: { deadlineMs?: number }): Promise<PoolResult<O>>
  /** Resolves once a worker can take jobs; rejects if a worker fails to start before then, or none
   *  has started within `startTimeoutMs`. */
  ready(): Promise<void>
  stats(): WorkerPoolStats
  close(): Promise<void>
}

type Job<I, O> = {
  id: number
  input: I
  deadlineMs: number
  queuedAt: number
  settled: boolean
  resolve: (result: PoolResult<O>) => void
  waitTimer?: NodeJS.Timeout
}

type Slot<I, O> = {
  worker: Worker
  port: MessagePort
  ready: boolean
  job?: Job<I, O>
  deadline?: NodeJS.Timeout
  kill?: NodeJS.Timeout
}

type Reply<O> = { ready?: true; id?: number; output?: O; error?: string; timedOut?: boolean }

/** Starts `size` workers (lazily, at the first job or `ready()`) and keeps that many alive. */
export function createWorkerPool<I, O>(options: WorkerPoolOptions): WorkerPool<I, O> {
  const slots: Slot<I, O>[] = []
  const queue: Job<I, O>[] = []
  const stats: WorkerPoolStats = { completed: 0, deadline: 0, errors: 0, busy: 0, replaced: 0 }
  let nextId = 1
  let started = false
  let closed = false
  let everReady = false
  let startFailures = 0
  let firstReady: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined

  function settle(job: Job<I, O>, result: PoolResult<O>) {
    if (job.settled) return
    job.settled = true
    clearTimeout(job.waitTimer)
    if (result.ok) stats.completed++
    else if (result.reason === 'deadline') stats.deadline++
    else if (result.reason === 'error') stats.errors++
    else stats.busy++
    job.resolve(result)
  }

  function start() {
    if (started || closed) return
    started = true
    for (let i = 0; i < options.size; i++) spawn()
  }

  function spawn() {
    if (closed) return
    const { port1: port, port2 } = new MessageChannel()
    const worker = new Worker(options.file, {
      workerData: { port: port2 },
      transferList: [port2],
      resourceLimits: options.resourceLimits,
    })
    const slot: Slot<I, O> = { worker, port, ready: false }
    slots.push(slot)
    port.on('message', (reply: Reply<O>) => onReply(slot, reply))
    worker.on('error', (error) => replace(slot, error.message))
    worker.on('exit', (code) => replace(slot, `exited with code ${code}`))
  }

  function onReply(slot: Slot<I, O>, reply: Reply<O>) {
    if (!slots.includes(slot)) return
    if (reply.ready) {
      // A starting worker keeps the process alive, so that a script awaiting ready() sees it; a ready
      // one does not: a job in flight has a timer that does.
      slot.worker.unref()
      slot.port.unref()
      slot.ready = true
      everReady = true
      startFailures = 0
      firstReady?.resolve()
      dispatch()
      return
    }
    const job = slot.job
    if (!job || job.id !== reply.id) return
    clearTimeout(slot.deadline)
    clearTimeout(slot.kill)
    slot.job = undefined
    if (reply.error !== undefined) {
      settle(job, { ok: false, reason: reply.timedOut ? 'deadline' : 'error', detail: reply.error })
    } else {
      settle(job, { ok: true, value: reply.output as O })
    }
    dispatch()
  }

  /** Ends a worker that failed, exited or overran its grace period, and starts another in its place. */
  function replace(slot: Slot<I, O>, why: string) {
    const index = slots.indexOf(slot)
    if (index < 0) return
    slots.splice(index, 1)
    clearTimeout(slot.deadline)
    clearTimeout(slot.kill)
    slot.port.close()
    void slot.worker.terminate()
    if (slot.job) settle(slot.job, { ok: false, reason: 'error', detail: why })
    if (closed) return
    stats.replaced++
    if (!slot.ready) {
      // It never started: the module cannot load. Say so to whoever waits for the pool, and try again
      // later rather than in a tight loop.
      startFailures++
      firstReady?.reject(new Error(`worker ${options.file} did not start: ${why}`))
      firstReady = undefined
      const delay = Math.min(30_000, 100 * 2 ** Math.min(startFailures, 9))
      setTimeout(spawn, delay).unref()
      return
    }
    spawn()
  }

  function dispatch() {
    for (const slot of slots) {
      if (!slot.ready || slot.job) continue
      const job = queue.shift()
      if (!job) return
      clearTimeout(job.waitTimer)
      slot.job = job
      slot.port.postMessage({ id: job.id, input: job.input, deadlineMs: job.deadlineMs })
      const late = job.deadlineMs + options.marginMs
      slot.deadline = setTimeout(() => {
        drain()
        settle(job, { ok: false, reason: 'deadline', detail: 'no answer from the worker' })
      }, late)
      slot.kill = setTimeout(() => replace(slot, 'no answer past its deadline'), late + options.graceMs)
      slot.kill.unref()
    }
  }

  /** Takes the answers already waiting on the ports, before a timer decides that none came. */
  function drain() {
    for (const slot of [...slots]) {
      for (let reply = receiveMessageOnPort(slot.port); reply; reply = receiveMessageOnPort(slot.port)) {
        onReply(slot, reply.message as Reply<O>)
      }
    }
  }

  /** A job in line waits at most `maxWaitMs` while the pool serves, `startTimeoutMs` before it ever has. */
  function waitFor(job: Job<I, O>, ms: number) {
    job.waitTimer = setTimeout(() => {
      drain()
      if (job.settled || !queue.includes(job)) return
      const waited = performance.now() - job.queuedAt
      const limit = everReady ? options.maxWaitMs : options.startTimeoutMs
      if (waited < limit) return waitFor(job, limit - waited)
      queue.splice(queue.indexOf(job), 1)
      settle(job, { ok: false, reason: everReady ? 'busy' : 'unavailable', detail: `waited ${Math.round(waited)} ms` })
    }, ms)
  }

  return {
    run(input, { deadlineMs = options.deadlineMs } = {}) {
      return new Promise<PoolResult<O>>((resolve) => {
        const job: Job<I, O> = {
          id: nextId++,
          input,
          deadlineMs,
          queuedAt: performance.now(),
          settled: false,
          resolve,
        }
        if (closed) return settle(job, { ok: false, reason: 'unavailable', detail: 'the pool is closed' })
        if (queue.length >= options.maxQueue) {
          return settle(job, { ok: false, reason: 'busy', detail: `${queue.length} jobs waiting` })
        }
        start()
        queue.push(job)
        waitFor(job, Math.min(options.maxWaitMs, options.startTimeoutMs))
        dispatch()
      })
    },

    ready() {
      if (everReady) return Promise.resolve()
      if (!firstReady) {
        let resolve = () => {}
        let reject = (_error: Error) => {}
        const promise = new Promise<void>((res, rej) => {
          resolve = res
          reject = rej
        })
        firstReady = { promise, resolve, reject }
        const timeout = setTimeout(
          () => reject(new Error(`worker ${options.file} did not start in ${options.startTimeoutMs} ms`)),
          options.startTimeoutMs,
        )
        timeout.unref()
        promise.then(
          () => clearTimeout(timeout),
          () => clearTimeout(timeout),
        )
      }
      start()
      return firstReady.promise
    },

    stats: () => ({ ...stats }),

    async close() {
      closed = true
      for (const job of queue.splice(0)) settle(job, { ok: false, reason: 'unavailable', detail: 'the pool closed' })
      const ending = slots.splice(0).map((slot) => {
        clearTimeout(slot.deadline)
        clearTimeout(slot.kill)
        if (slot.job) settle(slot.job, { ok: false, reason: 'unavailable', detail: 'the pool closed' })
        slot.port.close()
        return slot.worker.terminate()
      })
      await Promise.all(ending)
    },
  }
}
