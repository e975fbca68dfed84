/** Remembers which once-a-day events (a reader viewing an article or a question) this process has
 *  already written, so repeat requests skip the database. The database stays the source of truth: a
 *  restart or another process just writes once more and finds the row there. One memory per database
 *  handle, emptied when the UTC day changes and bounded in size. */
const memories = new WeakMap<object, { day: string; keys: Set<string> }>()
const MAX_KEYS = 200_000

function memoryOf(db: object, day: string) {
  let memory = memories.get(db)
  if (!memory || memory.day !== day || memory.keys.size >= MAX_KEYS) {
    memory = { day, keys: new Set() }
    memories.set(db, memory)
  }
  return memory
}

export function today(): string {
  return new Date().toISOString().slice(0, 10)
}

/** Whether this process already recorded `key` on `day` (UTC, default today) in this database. */
export function seenToday(db: object, key: string, day = today()): boolean {
  const memory = memories.get(db)
  return !!memory && memory.day === day && memory.keys.has(key)
}

/** Notes that `key` is recorded on `day` in this database. Days other than today are not kept. */
export function rememberToday(db: object, key: string, day = today()): void {
  if (day !== today()) return
  memoryOf(db, day).keys.add(key)
}
