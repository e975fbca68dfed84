import { sql } from 'drizzle-orm'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { utcDay } from '#app/lib/days.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { notifyHealthChanges } from './crm.server.ts'
import {
  readScoringSettings,
  SCORING_SETTINGS_KEY,
  ScoringSettingsSchema,
  writeScoringSettings,
} from './settings.server.ts'
import type { ScoringSettings } from './settings.ts'
import { type RecomputeResult, recomputeScores } from './snapshots.server.ts'

/** Names "scoring settings" among the advisory locks: two managers saving at once take turns. */
const SETTINGS_LOCK = 7_245_011

/** The leaves of a settings object as `path → value` ("health.weights.trend" → 2), to say in the audit
 *  log exactly what changed. A list (the holiday periods) is one leaf: its old and new rows side by
 *  side say more than each row's own path would. */
function leaves(value: unknown, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix ? `${prefix}.${key}` : key, into)
  } else into[prefix] = value
  return into
}

/** Each setting that differs between two settings objects, with its old and new value (null when it
 *  was or became absent, e.g. a daily cap removed), in path order. */
export function settingsChanges(
  before: ScoringSettings,
  after: ScoringSettings,
): { path: string; from: unknown; to: unknown }[] {
  const old = leaves(before)
  const next = leaves(after)
  return [...new Set([...Object.keys(old), ...Object.keys(next)])]
    .filter((path) => !sameLeaf(old[path], next[path]))
    .sort()
    .map((path) => ({ path, from: old[path] ?? null, to: next[path] ?? null }))
}

/** Whether two leaves hold the same value: lists by their contents, since each read makes new ones. */
function sameLeaf(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b)
  return a === b
}

export type SettingsUpdate = {
  changes: { path: string; from: unknown; to: unknown }[]
  /** Today's snapshot, recomputed with the new settings; null when nothing changed. */
  recomputed: RecomputeResult | null
}

/** Saves new scoring settings (managers, `manage.settings`): validated against the stored shape, written
 *  with an audit entry that lists each changed setting with its old and new value, then today's
 *  snapshot is recomputed with them (after the commit, so a slow recompute never holds the settings
 *  row) and the CRM is told of accounts whose level changed. Saving the same settings again changes
 *  nothing and records nothing. */
export async function updateScoringSettings(
  db: Db,
  { actor, settings, now = new Date() }: { actor: SessionUser; settings: ScoringSettings; now?: Date },
): Promise<Outcome<SettingsUpdate>> {
  if (!can(actor, 'manage.settings')) return fail(403, 'errors.forbidden')
  const parsed = ScoringSettingsSchema.safeParse(settings)
  if (!parsed.success) return fail(400, 'manage.settings.validation.invalid')
  const value = parsed.data as ScoringSettings
  const changes = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SETTINGS_LOCK})`)
    const before = await readScoringSettings(tx)
    const changed = settingsChanges(before, value)
    if (changed.length === 0) return changed
    await writeScoringSettings(tx, value, actor.id)
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'scoring.settings_changed',
      targetType: 'setting',
      targetId: SCORING_SETTINGS_KEY,
      details: { changes: changed },
    })
    return changed
  })
  if (changes.length === 0) return ok({ changes, recomputed: null })
  // A manager's new rules apply at once: the confirmation days guard against noise in the data.
  const recomputed = await recomputeScores(db, { day: utcDay(now), settings: value, rejudge: true })
  await notifyHealthChanges(db, recomputed)
  return ok({ changes, recomputed })
}
