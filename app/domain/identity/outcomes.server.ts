import { and, asc, desc, eq } from 'drizzle-orm'
import { addDays, isDay, utcDay } from '#app/lib/days.ts'
import { type Failure, fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import {
  accountOutcomes,
  accounts,
  type churnReasonEnum,
  type outcomeKindEnum,
  type outcomeSourceEnum,
  users,
} from '#db/schema/identity.ts'

/** What happened to an account's contract, one dated row each (`account_outcomes`, decision 036). This
 *  file is the one place that writes those rows and the fields of the account that follow from them
 *  (`arr_minor`, `renewal_date`, `churned_at`); every writer (the account form and import, the
 *  outcome form, import and API in app/domain/retention/) calls it inside its own transaction.
 *
 *  The rules, as `applyOutcome` checks them:
 *  - `arr_before_minor` is the ARR in effect just before the row: the `arr_after_minor` of the latest
 *    row on or before its effective day (rows of the same day count in the order they were recorded),
 *    else 0. A row recorded later with an earlier day (a backdated row) does not rewrite the
 *    `arr_before_minor` of the rows after it: they keep what was true when they were recorded, so a
 *    correction is visible as such rather than silently changing past movement.
 *  - A renewal needs the new ARR (more than 0) and a next renewal day after its effective day; an
 *    expansion must raise the ARR, a contraction lower it and stay above 0; a churn ends at 0 and needs
 *    a reason category. Renewals, expansions and contractions need a contract in effect (an earlier
 *    row that is not a churn). A reason fits only a churn or a contraction, a next renewal day only a
 *    renewal or `new`.
 *  - Nothing but `new` (the customer came back) may follow a churn, and a churn may not be dated
 *    before rows that exist already (remove those first).
 *  - No effective day later than tomorrow (UTC): an outcome is recorded once it happened. One day of
 *    slack lets a team east of UTC record "today" in its own calendar. `new` is exempt: an account's
 *    contract may start on a later day than it was signed.
 *  - The currency is the account's; an outcome in another currency is refused, never converted.
 *  - An `externalId` already recorded for the account returns that row (`created: false`) and writes
 *    nothing else: the CRM's retries and re-imported files record once. The unique index on
 *    (account, external id) decides, with `insert … on conflict do nothing`; the account row lock
 *    (taken first by every writer) keeps the lookup before it consistent.
 *  After every write the account's derived fields are set from its latest row (by effective day, then
 *  id): ARR = its `arr_after_minor`, churned at its day (midnight UTC) when it is a churn, else not
 *  churned, and the renewal date = its `next_renewal_on` when it has one (otherwise the account keeps
 *  its renewal date, which the account form may set). */

export type OutcomeKind = (typeof outcomeKindEnum.enumValues)[number]
export type ChurnReason = (typeof churnReasonEnum.enumValues)[number]
export type OutcomeSource = (typeof outcomeSourceEnum.enumValues)[number]
export type OutcomeRow = typeof accountOutcomes.$inferSelect

/** How many days past today (UTC) an effective day may lie. */
export const OUTCOME_FUTURE_DAYS = 1

export type ApplyOutcomeInput = {
  accountId: number
  kind: OutcomeKind
  effectiveOn: string
  arrAfterMinor?: number | null
  currency?: string | null
  nextRenewalOn?: string | null
  reason?: ChurnReason | null
  note?: string | null
  source: OutcomeSource
  externalId?: string | null
  recordedById: number | null
}

/** The account fields that follow from its outcome rows, as they are after a write. */
export type DerivedAccount = {
  id: number
  name: string
  externalId: string | null
  arrMinor: number | null
  arrCurrency: string
  renewalDate: string | null
  churnedAt: Date | null
}

export type AppliedOutcome = { outcome: OutcomeRow; created: boolean; account: DerivedAccount }

const derivedColumns = {
  id: accounts.id,
  name: accounts.name,
  externalId: accounts.externalId,
  arrMinor: accounts.arrMinor,
  arrCurrency: accounts.arrCurrency,
  renewalDate: accounts.renewalDate,
  churnedAt: accounts.churnedAt,
}

/** Locks the account's row for the rest of the transaction (every writer of its outcomes takes this
 *  lock first, so two writers take turns). */
async function lockAccount(tx: Db, accountId: number): Promise<DerivedAccount | null> {
  const [row] = await tx.select(derivedColumns).from(accounts).where(eq(accounts.id, accountId)).for('update')
  return row ?? null
}

/** An account that has an ARR but no rows (written before outcomes existed, or straight into the table
 *  by a script) first gets the `new` row migration 0014 would have written: its ARR from its contract
 *  start (else the day it was created), recorded by the system. */
async function adoptLegacyArr(tx: Db, account: DerivedAccount): Promise<OutcomeRow[]> {
  if (account.arrMinor === null) return []
  const [dates] = await tx
    .select({ contractStart: accounts.contractStart, createdAt: accounts.createdAt })
    .from(accounts)
    .where(eq(accounts.id, account.id))
  const [row] = await tx
    .insert(accountOutcomes)
    .values({
      accountId: account.id,
      kind: 'new',
      effectiveOn: dates?.contractStart ?? utcDay(dates?.createdAt ?? new Date()),
      arrBeforeMinor: 0,
      arrAfterMinor: account.arrMinor,
      currency: account.arrCurrency,
      source: 'system',
      recordedById: null,
    })
    .returning()
  return [row!]
}

/** The account's rows, oldest first (by effective day, then id). */
async function rowsOf(tx: Db, accountId: number): Promise<OutcomeRow[]> {
  return tx
    .select()
    .from(accountOutcomes)
    .where(eq(accountOutcomes.accountId, accountId))
    .orderBy(asc(accountOutcomes.effectiveOn), asc(accountOutcomes.id))
}

/** Sets the account's ARR, churn date and renewal date from its latest row (see the top of the file);
 *  without rows the ARR is unknown and the account is not churned. Returns the account as it is now. */
export async function syncAccountFromOutcomes(tx: Db, accountId: number): Promise<DerivedAccount> {
  const [latest] = await tx
    .select()
    .from(accountOutcomes)
    .where(eq(accountOutcomes.accountId, accountId))
    .orderBy(desc(accountOutcomes.effectiveOn), desc(accountOutcomes.id))
    .limit(1)
  const [row] = await tx
    .update(accounts)
    .set({
      arrMinor: latest ? latest.arrAfterMinor : null,
      churnedAt: latest?.kind === 'churn' ? new Date(`${latest.effectiveOn}T00:00:00Z`) : null,
      ...(latest?.nextRenewalOn ? { renewalDate: latest.nextRenewalOn } : {}),
      updatedAt: new Date(),
    })
    .where(eq(accounts.id, accountId))
    .returning(derivedColumns)
  return row!
}

/** The first failure of an outcome against the account's rows, or the ARR before it. */
function check(
  input: ApplyOutcomeInput,
  rows: OutcomeRow[],
  account: DerivedAccount,
  today: string,
): { arrBefore: number } | Failure {
  const { kind, effectiveOn } = input
  const arr = input.arrAfterMinor ?? null
  if (!isDay(effectiveOn)) return fail(400, 'validation.date_invalid', { field: 'effectiveOn' })
  if (kind !== 'new' && effectiveOn > addDays(today, OUTCOME_FUTURE_DAYS)) {
    return fail(400, 'outcomes.errors.future', { field: 'effectiveOn' })
  }
  if (input.currency && input.currency.toUpperCase() !== account.arrCurrency) {
    return fail(400, 'outcomes.errors.currency', { field: 'currency', params: { currency: account.arrCurrency } })
  }
  if (arr !== null && (!Number.isSafeInteger(arr) || arr < 0)) {
    return fail(400, 'validation.amount_invalid', { field: 'arr' })
  }
  if (input.reason && kind !== 'churn' && kind !== 'contraction') {
    return fail(400, 'outcomes.errors.reason_not_for_kind', { field: 'reason' })
  }
  if (input.nextRenewalOn && kind !== 'renewal' && kind !== 'new') {
    return fail(400, 'outcomes.errors.next_renewal_not_for_kind', { field: 'nextRenewalOn' })
  }
  // Rows of the same day recorded before this one count as earlier.
  const prior = rows.filter((row) => row.effectiveOn <= effectiveOn).at(-1) ?? null
  const later = rows.some((row) => row.effectiveOn > effectiveOn)
  const arrBefore = prior?.arrAfterMinor ?? 0
  if (prior?.kind === 'churn' && kind !== 'new')
    return fail(409, 'outcomes.errors.after_churn', { field: 'effectiveOn' })
  switch (kind) {
    case 'new':
      if (prior && prior.kind !== 'churn') return fail(409, 'outcomes.errors.new_after_contract', { field: 'kind' })
      if (arr === null) return fail(400, 'outcomes.errors.arr_required', { field: 'arr' })
      break
    case 'renewal':
    case 'expansion':
    case 'contraction':
      if (!prior) return fail(409, 'outcomes.errors.no_contract', { field: 'kind' })
      if (arr === null) return fail(400, 'outcomes.errors.arr_required', { field: 'arr' })
      if (kind === 'renewal') {
        if (arr <= 0) return fail(400, 'outcomes.errors.renewal_needs_arr', { field: 'arr' })
        if (!input.nextRenewalOn) return fail(400, 'outcomes.errors.next_renewal_required', { field: 'nextRenewalOn' })
        if (!isDay(input.nextRenewalOn)) return fail(400, 'validation.date_invalid', { field: 'nextRenewalOn' })
        if (input.nextRenewalOn <= effectiveOn) {
          return fail(400, 'outcomes.errors.next_renewal_after', { field: 'nextRenewalOn' })
        }
      }
      if (kind === 'expansion' && arr <= arrBefore) return fail(400, 'outcomes.errors.must_raise', { field: 'arr' })
      if (kind === 'contraction' && (arr >= arrBefore || arr <= 0)) {
        return fail(400, 'outcomes.errors.must_lower', { field: 'arr' })
      }
      break
    case 'churn':
      if (arr !== null && arr !== 0) return fail(400, 'outcomes.errors.churn_arr', { field: 'arr' })
      if (!input.reason) return fail(400, 'outcomes.errors.reason_required', { field: 'reason' })
      if (later) return fail(409, 'outcomes.errors.churn_before_later', { field: 'effectiveOn' })
      break
  }
  return { arrBefore }
}

/** Records one outcome of an account inside the caller's transaction (see the top of the file for the
 *  rules), then sets the account's derived fields. Fails 404 for an unknown account; 400/409 with the
 *  field for a rule broken. An external id already recorded for the account answers its row with
 *  `created: false`. */
export async function applyOutcome(
  tx: Db,
  input: ApplyOutcomeInput,
  { today = utcDay(new Date()) }: { today?: string } = {},
): Promise<Outcome<AppliedOutcome>> {
  const account = await lockAccount(tx, input.accountId)
  if (!account) return fail(404, 'errors.not_found')
  const externalId = input.externalId?.trim() || null
  if (externalId) {
    const existing = await recordedAs(tx, input.accountId, externalId)
    if (existing) return ok({ outcome: existing, created: false, account })
  }
  let rows = await rowsOf(tx, input.accountId)
  if (rows.length === 0 && input.kind !== 'new') rows = await adoptLegacyArr(tx, account)
  const checked = check(input, rows, account, today)
  if ('ok' in checked) return checked
  const keepsReason = input.kind === 'churn' || input.kind === 'contraction'
  const keepsRenewal = input.kind === 'renewal' || input.kind === 'new'
  const [inserted] = await tx
    .insert(accountOutcomes)
    .values({
      accountId: input.accountId,
      kind: input.kind,
      effectiveOn: input.effectiveOn,
      arrBeforeMinor: checked.arrBefore,
      arrAfterMinor: input.kind === 'churn' ? 0 : input.arrAfterMinor!,
      currency: account.arrCurrency,
      nextRenewalOn: keepsRenewal ? (input.nextRenewalOn ?? null) : null,
      reason: keepsReason ? (input.reason ?? null) : null,
      note: input.note?.trim() || null,
      source: input.source,
      externalId,
      recordedById: input.recordedById,
    })
    .onConflictDoNothing({ target: [accountOutcomes.accountId, accountOutcomes.externalId] })
    .returning()
  if (!inserted) {
    // Only an external id can conflict, and the row lock makes this a writer outside these rules.
    const existing = await recordedAs(tx, input.accountId, externalId!)
    return ok({ outcome: existing!, created: false, account })
  }
  return ok({ outcome: inserted, created: true, account: await syncAccountFromOutcomes(tx, input.accountId) })
}

async function recordedAs(tx: Db, accountId: number, externalId: string): Promise<OutcomeRow | null> {
  const [row] = await tx
    .select()
    .from(accountOutcomes)
    .where(and(eq(accountOutcomes.accountId, accountId), eq(accountOutcomes.externalId, externalId)))
  return row ?? null
}

/** Removes one outcome row of an account (an admin's correction; the caller checks the permission and
 *  audits) and sets the account's derived fields from the rows left. The other rows keep their
 *  `arr_before_minor`. Fails 404 when the row is not the account's. */
export async function removeOutcome(
  tx: Db,
  { accountId, outcomeId }: { accountId: number; outcomeId: number },
): Promise<Outcome<{ removed: OutcomeRow; account: DerivedAccount }>> {
  const account = await lockAccount(tx, accountId)
  if (!account) return fail(404, 'errors.not_found')
  const [removed] = await tx
    .delete(accountOutcomes)
    .where(and(eq(accountOutcomes.id, outcomeId), eq(accountOutcomes.accountId, accountId)))
    .returning()
  if (!removed) return fail(404, 'outcomes.errors.not_found')
  return ok({ removed, account: await syncAccountFromOutcomes(tx, accountId) })
}

/** What the account form or account import may do with the ARR it was given: while the account has no
 *  outcome rows, an ARR writes its `new` row; while the `new` row is its only row, the form corrects it
 *  (ARR, currency, start day, next renewal day; an emptied ARR removes it); once later rows exist, the
 *  ARR follows them and only the same ARR and currency are accepted (`accounts.arr_from_outcomes`): a
 *  change is recorded as an outcome. Call before the account's other fields are written. */
export async function setOpeningArr(
  tx: Db,
  input: {
    accountId: number
    arrMinor: number | null
    currency: string
    effectiveOn: string | null
    nextRenewalOn: string | null
    source: OutcomeSource
    recordedById: number | null
  },
  { today = utcDay(new Date()) }: { today?: string } = {},
): Promise<Outcome<undefined>> {
  const account = await lockAccount(tx, input.accountId)
  if (!account) return fail(404, 'errors.not_found')
  const rows = await rowsOf(tx, input.accountId)
  const [first] = rows
  if (!first) {
    await tx
      .update(accounts)
      .set({ arrCurrency: input.currency, ...(input.arrMinor === null ? { arrMinor: null } : {}) })
      .where(eq(accounts.id, input.accountId))
    if (input.arrMinor === null) return ok()
    const applied = await applyOutcome(
      tx,
      {
        accountId: input.accountId,
        kind: 'new',
        effectiveOn: input.effectiveOn ?? today,
        arrAfterMinor: input.arrMinor,
        nextRenewalOn: input.nextRenewalOn,
        source: input.source,
        recordedById: input.recordedById,
      },
      { today },
    )
    return applied.ok ? ok() : applied
  }
  if (rows.length === 1 && first.kind === 'new') {
    if (input.arrMinor === null) {
      await tx.delete(accountOutcomes).where(eq(accountOutcomes.id, first.id))
    } else {
      await tx
        .update(accountOutcomes)
        .set({
          arrAfterMinor: input.arrMinor,
          currency: input.currency,
          effectiveOn: input.effectiveOn ?? first.effectiveOn,
          nextRenewalOn: input.nextRenewalOn,
        })
        .where(eq(accountOutcomes.id, first.id))
    }
    await tx.update(accounts).set({ arrCurrency: input.currency }).where(eq(accounts.id, input.accountId))
    await syncAccountFromOutcomes(tx, input.accountId)
    return ok()
  }
  if (input.arrMinor !== account.arrMinor || input.currency !== account.arrCurrency) {
    return fail(409, 'accounts.arr_from_outcomes', { field: 'arr' })
  }
  return ok()
}

/** True when the account's ARR follows outcomes recorded after its first ARR, so the account form shows
 *  it read-only. */
export async function arrFollowsOutcomes(db: Db, accountId: number): Promise<boolean> {
  const rows = await db
    .select({ kind: accountOutcomes.kind })
    .from(accountOutcomes)
    .where(eq(accountOutcomes.accountId, accountId))
    .limit(2)
  return rows.length > 1 || (rows.length === 1 && rows[0]!.kind !== 'new')
}

export type OutcomeHistoryRow = OutcomeRow & { recordedByName: string | null }

/** An account's outcome rows, newest first (by effective day, then id), with who recorded each. */
export async function listOutcomes(db: Db, accountId: number): Promise<OutcomeHistoryRow[]> {
  return db
    .select({
      id: accountOutcomes.id,
      accountId: accountOutcomes.accountId,
      kind: accountOutcomes.kind,
      effectiveOn: accountOutcomes.effectiveOn,
      arrBeforeMinor: accountOutcomes.arrBeforeMinor,
      arrAfterMinor: accountOutcomes.arrAfterMinor,
      currency: accountOutcomes.currency,
      nextRenewalOn: accountOutcomes.nextRenewalOn,
      reason: accountOutcomes.reason,
      note: accountOutcomes.note,
      source: accountOutcomes.source,
      externalId: accountOutcomes.externalId,
      recordedById: accountOutcomes.recordedById,
      createdAt: accountOutcomes.createdAt,
      recordedByName: users.displayName,
    })
    .from(accountOutcomes)
    .leftJoin(users, eq(users.id, accountOutcomes.recordedById))
    .where(eq(accountOutcomes.accountId, accountId))
    .orderBy(desc(accountOutcomes.effectiveOn), desc(accountOutcomes.id))
}
