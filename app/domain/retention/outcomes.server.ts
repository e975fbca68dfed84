import { parse } from 'csv-parse/sync'
import { eq, sql } from 'drizzle-orm'
import {
  accountFormValuesByExternalId,
  RowRefused,
  saveAccountByExternalId,
  toMinorUnits,
} from '#app/domain/identity/accounts.server.ts'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import {
  type AppliedOutcome,
  applyOutcome,
  type DerivedAccount,
  listOutcomes,
  type OutcomeHistoryRow,
  type OutcomeRow,
  type OutcomeSource,
  removeOutcome,
} from '#app/domain/identity/outcomes.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { AccountSchema } from '#app/domain/identity/schemas.ts'
import { readWebhookEndpoint } from '#app/domain/notify/webhook-receivers.server.ts'
import { dispatchDeliveries, queueWebhookDeliveries } from '#app/domain/notify/webhooks.server.ts'
import type { ApiCaller } from '#app/domain/support/api-tokens.server.ts'
import { currencyDigits } from '#app/lib/format.ts'
import { type Failure, fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { accounts } from '#db/schema/identity.ts'
import { apiAccountKeys, apiOutcomeKeys, type OutcomeInput, OutcomeSchema } from './schemas.ts'

/** Recording what happened to an account's contract, from the three ways in: the account page (admins),
 *  the CSV import and the CRM API (a token with the `crm` scope). Each checks who may, parses with
 *  `OutcomeSchema`, records through `applyOutcome` (app/domain/identity/outcomes.server.ts, which holds
 *  the rules), audits, and queues the signed `account.outcome_recorded` webhook to the CRM in the same
 *  transaction; the delivery is dispatched after commit. */

export const OUTCOME_RECORDED_EVENT = 'account.outcome_recorded'

/** Who records: a signed-in person or an API token. */
export type Recorder = { actor: SessionUser; apiCaller?: undefined } | { apiCaller: ApiCaller; actor?: undefined }

function mayRecord(recorder: Recorder): boolean {
  return recorder.actor ? can(recorder.actor, 'accounts.manage') : recorder.apiCaller.scopes.includes('crm')
}

type Money = { amount_minor: number; currency: string }

/** The body of an `account.outcome_recorded` delivery to the CRM webhook.
 *
 *  ```json
 *  {
 *    "event": "account.outcome_recorded",
 *    "delivery_id": 913,
 *    "created_at": "2026-11-12T09:15:03.120Z",
 *    "account": { "id": 42, "external_id": "CRM-42", "name": "Acme Holdings",
 *                 "arr": { "amount_minor": 0, "currency": "JPY" }, "status": "churned",
 *                 "churned_at": "2026-11-10T00:00:00.000Z", "renewal_date": "2026-12-01" },
 *    "outcome": { "id": 77, "kind": "churn", "effective_on": "2026-11-10",
 *                 "arr_before": { "amount_minor": 2400000, "currency": "JPY" },
 *                 "arr_after": { "amount_minor": 0, "currency": "JPY" },
 *                 "next_renewal_on": null, "reason": "budget", "note": "Budget cut",
 *                 "source": "form", "external_id": null, "recorded_at": "2026-11-12T09:15:03.001Z" }
 *  }
 *  ```
 *
 *  Amounts are integers in minor units of the currency (JPY has none, USD two); days are `YYYY-MM-DD`,
 *  times ISO 8601. `account` is the account after the outcome. Sent for every outcome recorded, the
 *  CRM's own API calls included (compare `outcome.external_id` to skip those); headers, signature and
 *  retries as every webhook (`verifyWebhookSignature` in app/domain/notify/webhooks.server.ts). */
export type OutcomeRecordedPayload = {
  event: typeof OUTCOME_RECORDED_EVENT
  delivery_id: number
  created_at: string
  account: AccountState
  outcome: OutcomeDocument
}

export type AccountState = {
  id: number
  external_id: string | null
  name: string
  arr: Money | null
  status: 'active' | 'churned'
  churned_at: string | null
  renewal_date: string | null
}

export type OutcomeDocument = {
  id: number
  kind: OutcomeRow['kind']
  effective_on: string
  arr_before: Money
  arr_after: Money
  next_renewal_on: string | null
  reason: OutcomeRow['reason']
  note: string | null
  source: OutcomeRow['source']
  external_id: string | null
  recorded_at: string
}

export function accountState(account: DerivedAccount): AccountState {
  return {
    id: account.id,
    external_id: account.externalId,
    name: account.name,
    arr: account.arrMinor === null ? null : { amount_minor: account.arrMinor, currency: account.arrCurrency },
    status: account.churnedAt ? 'churned' : 'active',
    churned_at: account.churnedAt ? account.churnedAt.toISOString() : null,
    renewal_date: account.renewalDate,
  }
}

export function outcomeDocument(row: OutcomeRow): OutcomeDocument {
  return {
    id: row.id,
    kind: row.kind,
    effective_on: row.effectiveOn,
    arr_before: { amount_minor: row.arrBeforeMinor, currency: row.currency },
    arr_after: { amount_minor: row.arrAfterMinor, currency: row.currency },
    next_renewal_on: row.nextRenewalOn,
    reason: row.reason,
    note: row.note,
    source: row.source,
    external_id: row.externalId,
    recorded_at: new Date(row.createdAt).toISOString(),
  }
}

/** Queues the webhook of a recorded outcome in the caller's transaction, when a CRM URL is set. */
async function queueOutcomeWebhook(tx: Db, applied: AppliedOutcome): Promise<number[]> {
  const { url } = await readWebhookEndpoint(tx, 'crm')
  if (!url) return []
  const now = new Date()
  return queueWebhookDeliveries(tx, 'crm', [
    {
      event: OUTCOME_RECORDED_EVENT,
      accountId: applied.account.id,
      url,
      body: (deliveryId): OutcomeRecordedPayload => ({
        event: OUTCOME_RECORDED_EVENT,
        delivery_id: deliveryId,
        created_at: now.toISOString(),
        account: accountState(applied.account),
        outcome: outcomeDocument(applied.outcome),
      }),
    },
  ])
}

/** Converts a parsed outcome's amount to minor units of the account's currency. */
function arrMinorOf(input: OutcomeInput, currency: string): number | null | Failure {
  if (input.arr === null) return null
  // An amount in another currency is refused by applyOutcome; here it is read in the account's.
  const minor = toMinorUnits(input.arr, input.currency ?? currency)
  return minor === null ? fail(400, 'validation.amount_invalid', { field: 'arr' }) : minor
}

/** Records and audits one outcome and queues its webhook, in the caller's transaction. */
async function recordIn(
  tx: Db,
  {
    recorder,
    accountId,
    input,
    source,
  }: { recorder: Recorder; accountId: number; input: OutcomeInput; source: OutcomeSource },
): Promise<Outcome<AppliedOutcome & { deliveryIds: number[] }>> {
  const [account] = await tx.select({ currency: accounts.arrCurrency }).from(accounts).where(eq(accounts.id, accountId))
  if (!account) return fail(404, 'errors.not_found')
  const arrAfterMinor = arrMinorOf(input, account.currency)
  if (arrAfterMinor !== null && typeof arrAfterMinor === 'object') return arrAfterMinor
  const applied = await applyOutcome(tx, {
    accountId,
    kind: input.kind,
    effectiveOn: input.effectiveOn,
    arrAfterMinor,
    currency: input.currency,
    nextRenewalOn: input.nextRenewalOn,
    reason: input.reason,
    note: input.note,
    source,
    externalId: input.externalId,
    recordedById: recorder.actor?.id ?? null,
  })
  if (!applied.ok) return applied
  if (!applied.value.created) return ok({ ...applied.value, deliveryIds: [] })
  const { outcome } = applied.value
  await recordAudit(tx, {
    actorUserId: recorder.actor?.id ?? null,
    action: 'account.outcome_recorded',
    targetType: 'account',
    targetId: accountId,
    details: {
      outcomeId: outcome.id,
      kind: outcome.kind,
      effectiveOn: outcome.effectiveOn,
      arrBeforeMinor: outcome.arrBeforeMinor,
      arrAfterMinor: outcome.arrAfterMinor,
      currency: outcome.currency,
      source,
      ...(outcome.externalId ? { externalId: outcome.externalId } : {}),
      ...(recorder.apiCaller ? { apiToken: recorder.apiCaller.prefix } : {}),
    },
  })
  return ok({ ...applied.value, deliveryIds: await queueOutcomeWebhook(tx, applied.value) })
}

/** Records one outcome of an account: admins (`accounts.manage`) from the account page, or the CRM with
 *  a `crm`-scoped token. `input` is parsed already (`OutcomeSchema`). Audited, and sent to the CRM
 *  webhook after commit. An external id already recorded answers the first row (`created: false`),
 *  nothing written or sent again. */
export async function recordOutcome(
  db: Db,
  {
    accountId,
    input,
    source,
    ...recorder
  }: Recorder & { accountId: number; input: OutcomeInput; source: OutcomeSource },
): Promise<Outcome<AppliedOutcome>> {
  if (!mayRecord(recorder as Recorder)) return fail(403, 'errors.forbidden')
  const outcome = await db.transaction((tx) =>
    recordIn(tx, { recorder: recorder as Recorder, accountId, input, source }),
  )
  if (!outcome.ok) return outcome
  await dispatchDeliveries(outcome.value.deliveryIds)
  const { deliveryIds: _sent, ...applied } = outcome.value
  return ok(applied)
}

/** Removes one outcome row (an admin's correction of a mistake), audited with what the row said; the
 *  account's ARR, renewal date and churn follow the rows left. */
export async function removeAccountOutcome(
  db: Db,
  { actor, accountId, outcomeId }: { actor: SessionUser; accountId: number; outcomeId: number },
): Promise<Outcome<{ account: DerivedAccount }>> {
  if (!can(actor, 'accounts.manage')) return fail(403, 'errors.forbidden')
  return db.transaction(async (tx) => {
    const removed = await removeOutcome(tx, { accountId, outcomeId })
    if (!removed.ok) return removed
    const row = removed.value.removed
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'account.outcome_removed',
      targetType: 'account',
      targetId: accountId,
      details: {
        outcomeId: row.id,
        kind: row.kind,
        effectiveOn: row.effectiveOn,
        arrBeforeMinor: row.arrBeforeMinor,
        arrAfterMinor: row.arrAfterMinor,
        currency: row.currency,
        source: row.source,
      },
    })
    return ok({ account: removed.value.account })
  })
}

/** An account's outcome history for the account pages: staff read it (`accounts.view`). */
export async function accountOutcomeHistory(
  db: Db,
  { actor, accountId }: { actor: SessionUser; accountId: number },
): Promise<Outcome<OutcomeHistoryRow[]>> {
  if (!can(actor, 'accounts.view')) return fail(403, 'errors.forbidden')
  return ok(await listOutcomes(db, accountId))
}

/* ------------------------------------------------------------------------------------------------ */
/* CSV import                                                                                        */

export type OutcomeImportReport = {
  recorded: number
  /** Rows whose external id the account had already recorded: nothing written. */
  skipped: number
  errors: { line: number; messages: { code: string; field?: string; params?: Record<string, string | number> }[] }[]
}

/** The columns an outcome import understands (header names are case-insensitive). */
export const outcomeImportColumns = [
  'account',
  'account_external_id',
  'kind',
  'effective_on',
  'arr',
  'currency',
  'next_renewal_on',
  'reason',
  'note',
  'external_id',
] as const

const fieldToColumn: Record<string, string> = {
  effectiveOn: 'effective_on',
  nextRenewalOn: 'next_renewal_on',
  externalId: 'external_id',
}

/** Imports outcomes from CSV (admins): each row names its account by `account_external_id` or by
 *  `account` (its name, any case), and is recorded as the form records one. Every bad row is reported
 *  by its line and skipped; each good row is recorded in its own savepoint, so one refusal cannot undo
 *  the others. A row whose `external_id` the account already has is counted as skipped, so a file can be
 *  imported again. One audit entry for the import, one per recorded outcome; one webhook per outcome. */
export async function importOutcomesCsv(
  db: Db,
  { actor, csv }: { actor: SessionUser; csv: string },
): Promise<Outcome<OutcomeImportReport>> {
  if (!can(actor, 'accounts.manage')) return fail(403, 'errors.forbidden')
  let records: { record: Record<string, string>; line: number }[]
  try {
    records = (
      parse(csv.replace(/^\uFEFF/, ''), {
        columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
        skip_empty_lines: true,
        trim: true,
        relax_column_count: true,
        info: true,
      }) as { record: Record<string, string>; info: { lines: number } }[]
    ).map(({ record, info }) => ({ record, line: info.lines }))
  } catch (error) {
    const line = (error as { lines?: number }).lines
    return fail(400, 'accounts.import_unreadable', { params: { line: line ?? 1 } })
  }
  if (records.length === 0) return fail(400, 'accounts.import_empty')
  const header = records[0]!.record
  if (!('kind' in header) || !('effective_on' in header) || !('account' in header || 'account_external_id' in header)) {
    return fail(400, 'outcomes.import.missing_columns')
  }

  const report: OutcomeImportReport = { recorded: 0, skipped: 0, errors: [] }
  const deliveryIds: number[] = []
  await db.transaction(async (tx) => {
    for (const { record, line } of records) {
      const refuse = (messages: OutcomeImportReport['errors'][number]['messages']) =>
        report.errors.push({ line, messages })
      const parsed = OutcomeSchema.safeParse({
        kind: record.kind?.toLowerCase() || undefined,
        effectiveOn: record.effective_on,
        arr: record.arr,
        currency: record.currency,
        nextRenewalOn: record.next_renewal_on,
        reason: record.reason?.toLowerCase(),
        note: record.note,
        externalId: record.external_id,
      })
      const accountId = await findAccount(tx, record)
      // One message per column: a malformed day fails both its pattern and its calendar check.
      const messages = parsed.success
        ? []
        : Object.entries(issueFields(parsed.error.issues, fieldToColumn)).map(([field, code]) => ({ code, field }))
      if (accountId === null) {
        messages.unshift({
          code: 'outcomes.import.account_not_found',
          field: record.account_external_id ? 'account_external_id' : 'account',
        })
      }
      if (messages.length > 0 || !parsed.success || accountId === null) {
        refuse(messages)
        continue
      }
      try {
        await tx.transaction(async (sp) => {
          const recorded = await recordIn(sp, { recorder: { actor }, accountId, input: parsed.data, source: 'import' })
          if (!recorded.ok) throw new RowRefused(recorded)
          if (recorded.value.created) report.recorded++
          else report.skipped++
          deliveryIds.push(...recorded.value.deliveryIds)
        })
      } catch (error) {
        if (!(error instanceof RowRefused)) throw error
        const { code, field, params } = error.failure
        refuse([{ code, field: field ? (fieldToColumn[field] ?? field) : undefined, params }])
      }
    }
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'account.outcomes_imported',
      targetType: 'accounts',
      details: { recorded: report.recorded, skipped: report.skipped, rejected: report.errors.length },
    })
  })
  await dispatchDeliveries(deliveryIds)
  return ok(report)
}

async function findAccount(tx: Db, record: Record<string, string>): Promise<number | null> {
  const externalId = record.account_external_id?.trim()
  const name = record.account?.trim()
  if (!externalId && !name) return null
  const [row] = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(externalId ? eq(accounts.externalId, externalId) : sql`lower(${accounts.name}) = ${name!.toLowerCase()}`)
  return row?.id ?? null
}

/* ------------------------------------------------------------------------------------------------ */
/* The CRM API                                                                                       */

/** A failure of the API, with a message per offending field (snake_case keys) for a 400/422. */
export type ApiFailure = Failure & { fields?: Record<string, string> }

const outcomeFieldToKey = Object.fromEntries(Object.entries(apiOutcomeKeys).map(([key, field]) => [field, key]))
const accountFieldToKey = Object.fromEntries(Object.entries(apiAccountKeys).map(([key, field]) => [field, key]))

/** Renames a JSON object's snake_case keys to the schema's fields; refuses keys it does not know and
 *  values that are neither strings, numbers nor null (lists only where `lists` allows). */
function renameBody(
  body: unknown,
  keys: Record<string, string>,
  lists: string[] = [],
): { ok: true; value: Record<string, unknown> } | ApiFailure {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ...fail(400, 'outcomes.api.invalid_body'), fields: { _: 'outcomes.api.not_an_object' } }
  }
  const fields: Record<string, string> = {}
  const value: Record<string, unknown> = {}
  for (const [key, raw] of Object.entries(body)) {
    const field = Object.hasOwn(keys, key) ? keys[key] : undefined
    if (!field) {
      fields[key] = 'outcomes.api.unknown_field'
      continue
    }
    if (raw === null) continue
    if (typeof raw === 'number' && Number.isFinite(raw)) value[field] = String(raw)
    else if (typeof raw === 'string') value[field] = raw
    else if (Array.isArray(raw) && lists.includes(key) && raw.every((item) => typeof item === 'string')) {
      value[field] = raw.join(', ')
    } else fields[key] = 'outcomes.api.wrong_type'
  }
  if (Object.keys(fields).length > 0) return { ...fail(400, 'outcomes.api.invalid_body'), fields }
  return { ok: true, value }
}

/** Field issues of a zod parse as `{ key: catalogue code }`, keyed by the API's names. */
function issueFields(issues: { path: PropertyKey[]; message: string }[], toKey: Record<string, string>) {
  const fields: Record<string, string> = {}
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '_')
    fields[toKey[field] ?? field] ??= issue.message
  }
  return fields
}

/** The field's API name on a domain failure. */
function withKeyField(failure: Failure, toKey: Record<string, string>): ApiFailure {
  const key = failure.field ? (toKey[failure.field] ?? failure.field) : undefined
  return { ...failure, field: key, fields: key ? { [key]: failure.code } : undefined }
}

/** `POST /api/v1/accounts/:accountId/outcomes`: parses the JSON body and records it for the CRM. 400
 *  for a body that is not an outcome (`fields` names each key), 404 for an unknown account, 409/400
 *  for a rule of the account's history. Answers the outcome with `created` (false when its
 *  `external_id` was recorded before). */
export async function recordOutcomeFromApi(
  db: Db,
  { apiCaller, accountId, body }: { apiCaller: ApiCaller; accountId: number; body: unknown },
): Promise<Outcome<{ created: boolean; outcome: OutcomeDocument; account: AccountState }> | ApiFailure> {
  const renamed = renameBody(body, apiOutcomeKeys)
  if (!renamed.ok) return renamed
  const parsed = OutcomeSchema.safeParse(renamed.value)
  if (!parsed.success) {
    return { ...fail(400, 'outcomes.api.invalid_fields'), fields: issueFields(parsed.error.issues, outcomeFieldToKey) }
  }
  const recorded = await recordOutcome(db, { apiCaller, accountId, input: parsed.data, source: 'api' })
  if (!recorded.ok) return withKeyField(recorded, outcomeFieldToKey)
  return ok({
    created: recorded.value.created,
    outcome: outcomeDocument(recorded.value.outcome),
    account: accountState(recorded.value.account),
  })
}

/** `PUT /api/v1/accounts/by-external-id/:externalId`: creates the account the CRM knows by this id
 *  (`created: true`, 201) or updates it (200). `name` is needed to create one; on an update a key left
 *  out keeps its value and `null` clears it. `arr` and `currency` set the first ARR; once outcomes
 *  follow it the ARR changes only through outcomes (409 `arr`). */
export async function upsertAccountByExternalId(
  db: Db,
  { apiCaller, externalId, body }: { apiCaller: ApiCaller; externalId: string; body: unknown },
): Promise<Outcome<{ created: boolean; account: AccountState & { id: number } }> | ApiFailure> {
  if (!apiCaller.scopes.includes('crm')) return fail(403, 'errors.forbidden')
  const id = externalId.trim()
  if (!id || id.length > 200) {
    return { ...fail(400, 'outcomes.api.invalid_fields'), fields: { external_id: 'validation.too_long' } }
  }
  const renamed = renameBody(body, apiAccountKeys, ['domains'])
  if (!renamed.ok) return renamed
  const existing = await accountFormValuesByExternalId(db, id)
  const sent = body as Record<string, unknown>
  const merged: Record<string, unknown> = existing
    ? {
        name: existing.name,
        domains: existing.domains.join(', '),
        plan: existing.plan ?? undefined,
        arr:
          existing.arrMinor === null
            ? undefined
            : String(existing.arrMinor / 10 ** currencyDigits(existing.arrCurrency)),
        arrCurrency: existing.arrCurrency,
        seats: existing.seats === null ? undefined : String(existing.seats),
        contractStart: existing.contractStart ?? undefined,
        renewalDate: existing.renewalDate ?? undefined,
        csmUserId: existing.csmUserId === null ? undefined : String(existing.csmUserId),
        touchTierOverride: existing.touchTierOverride ?? undefined,
      }
    : {}
  // A key sent as null clears the value; a key left out keeps it.
  for (const [key, field] of Object.entries(apiAccountKeys)) {
    if (key in sent) merged[field] = renamed.value[field]
  }
  const parsed = AccountSchema.safeParse(merged)
  if (!parsed.success) {
    return { ...fail(400, 'outcomes.api.invalid_fields'), fields: issueFields(parsed.error.issues, accountFieldToKey) }
  }
  if (parsed.data.arr !== null && toMinorUnits(parsed.data.arr, parsed.data.arrCurrency) === null) {
    return withKeyField(fail(400, 'validation.amount_invalid', { field: 'arr' }), accountFieldToKey)
  }
  const saved = await saveAccountByExternalId(db, { externalId: id, input: parsed.data, via: apiCaller.prefix })
  if (!saved.ok) return withKeyField(saved, accountFieldToKey)
  const [row] = await db
    .select({
      id: accounts.id,
      name: accounts.name,
      externalId: accounts.externalId,
      arrMinor: accounts.arrMinor,
      arrCurrency: accounts.arrCurrency,
      renewalDate: accounts.renewalDate,
      churnedAt: accounts.churnedAt,
    })
    .from(accounts)
    .where(eq(accounts.id, saved.value.id))
  return ok({ created: saved.value.created, account: accountState(row!) })
}
