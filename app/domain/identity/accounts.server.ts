import { parse } from 'csv-parse/sync'
import { and, asc, count, eq, ilike, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm'
import { currencyDigits } from '#app/lib/format.ts'
import { claimOneTimeKey, type OneTimeKey, settleOneTimeKey } from '#app/lib/one-time-key.server.ts'
import { type Failure, fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { isUniqueViolation } from '#db/errors.ts'
import { accountDomains, accounts, users } from '#db/schema/identity.ts'
import { recordAudit } from './audit.server.ts'
import { arrFollowsOutcomes, type OutcomeSource, setOpeningArr } from './outcomes.server.ts'
import { can, type SessionUser } from './permissions.ts'
import { type AccountInput, AccountSchema, type AccountStatusFilter } from './schemas.ts'

export type AccountRow = typeof accounts.$inferSelect & { domains: string[] }

/** Major-unit ARR text ("12000000.5") to minor units in the currency (JPY has none, USD two); null when
 *  it has more (non-zero) decimals than the currency. */
export function toMinorUnits(amount: string, currency: string): number | null {
  const digits = currencyDigits(currency)
  const [whole = '0', written = ''] = amount.split('.')
  // "2600000.00" is a whole yen amount: zeros past the currency's digits change nothing.
  const fraction = written.length > digits ? written.replace(/0+$/, '') : written
  if (fraction.length > digits) return null
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0')
}

function accountValues(input: AccountInput) {
  return {
    name: input.name,
    plan: input.plan,
    arrMinor: input.arr === null ? null : toMinorUnits(input.arr, input.arrCurrency),
    arrCurrency: input.arrCurrency,
    seats: input.seats,
    contractStart: input.contractStart,
    renewalDate: input.renewalDate,
    csmUserId: input.csmUserId,
    touchTierOverride: input.touchTierOverride,
  }
}

/** Validates what the database cannot: the CSM must be a staff user; minor units must fit the currency. */
async function checkAccountInput(db: Db, input: AccountInput) {
  if (input.arr !== null && toMinorUnits(input.arr, input.arrCurrency) === null) {
    return fail(400, 'validation.amount_invalid', { field: 'arr' })
  }
  if (input.csmUserId !== null) {
    const [csm] = await db.select({ role: users.role }).from(users).where(eq(users.id, input.csmUserId))
    if (!csm || csm.role === 'member') return fail(400, 'accounts.csm_not_staff', { field: 'csmUserId' })
  }
  return null
}

/** Maps a unique violation to the field it concerns; for domains, names the ones another account holds. */
async function conflictFailure(db: Db, error: unknown, input: AccountInput, accountId?: number) {
  if (isUniqueViolation(error, 'accounts_name_key')) return fail(409, 'accounts.name_taken', { field: 'name' })
  if (isUniqueViolation(error, 'account_domains_pkey')) {
    const taken = await db
      .select({ domain: accountDomains.domain })
      .from(accountDomains)
      .where(
        and(
          inArray(accountDomains.domain, input.domains),
          accountId ? ne(accountDomains.accountId, accountId) : undefined,
        ),
      )
    const domains = taken.length ? taken.map((t) => t.domain) : input.domains
    return fail(409, 'accounts.domain_taken', { field: 'domains', params: { domains: domains.join(', ') } })
  }
  return null
}

/** Replaces an account's domains and attaches members with those domains who have no account yet. */
async function setDomains(tx: Db, accountId: number, domains: string[]) {
  await tx.delete(accountDomains).where(eq(accountDomains.accountId, accountId))
  if (domains.length === 0) return
  await tx.insert(accountDomains).values(domains.map((domain) => ({ domain, accountId })))
  await tx
    .update(users)
    .set({ accountId })
    .where(
      and(
        isNull(users.accountId),
        eq(users.role, 'member'),
        // A member joins by domain only once their address is confirmed (docs/decisions/024).
        isNotNull(users.emailVerifiedAt),
        inArray(sql`split_part(lower(${users.email}), '@', 2)`, domains),
      ),
    )
}

/** Who writes an account, for its `new` outcome row (app/domain/identity/outcomes.server.ts). */
type Writer = { source: OutcomeSource; recordedById: number | null }

/** Writes an account's row and domains: a new one when `accountId` is null. The ARR goes through the
 *  account's outcome rows (`setOpeningArr`): a new account with an ARR gets its `new` row, an edit
 *  corrects that row while it is the only one, and once later outcomes exist only the current ARR is
 *  accepted (409 `accounts.arr_from_outcomes` on `arr`). 404 when the account does not exist. */
async function writeAccount(
  tx: Db,
  accountId: number | null,
  input: AccountInput,
  writer: Writer,
  extra: { externalId?: string } = {},
): Promise<Outcome<number>> {
  const values = accountValues(input)
  const opening = (id: number) =>
    setOpeningArr(tx, {
      accountId: id,
      arrMinor: values.arrMinor,
      currency: values.arrCurrency,
      effectiveOn: input.contractStart,
      nextRenewalOn: input.renewalDate,
      ...writer,
    })
  let id: number
  if (accountId === null) {
    const [row] = await tx
      .insert(accounts)
      .values({ ...values, ...extra })
      .returning({ id: accounts.id })
    id = row!.id
    const written = await opening(id)
    if (!written.ok) return written
  } else {
    // The ARR rule first: it locks the account row, and a refusal writes nothing.
    const written = await opening(accountId)
    if (!written.ok) return written
    const { arrMinor: _arr, ...rest } = values
    const [row] = await tx
      .update(accounts)
      .set({ ...rest, ...extra, updatedAt: new Date() })
      .where(eq(accounts.id, accountId))
      .returning({ id: accounts.id })
    if (!row) return fail(404, 'errors.not_found')
    id = row.id
  }
  await setDomains(tx, id, input.domains)
  return ok(id)
}

/** Creates (accountId null) or edits an account, audited. Names are unique (case-insensitive) and a
 *  domain belongs to one account: both are database constraints, reported on their fields. */
async function saveAccount(
  db: Db,
  {
    actor,
    accountId,
    input,
    once,
  }: { actor: SessionUser; accountId: number | null; input: AccountInput; once?: OneTimeKey },
): Promise<Outcome<{ id: number }>> {
  if (!can(actor, 'accounts.manage')) return fail(403, 'errors.forbidden')
  const problem = await checkAccountInput(db, input)
  if (problem) return problem
  try {
    return await db.transaction(async (tx) => {
      // A create form sent twice (same one-time key, docs/decisions/027) creates once; the copy goes
      // where the first went instead of being told its own name is taken.
      const replay = once ? await claimOneTimeKey(tx, once) : null
      if (replay) return replay
      const written = await writeAccount(tx, accountId, input, { source: 'form', recordedById: actor.id })
      if (!written.ok) return written
      const id = written.value
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: accountId === null ? 'account.created' : 'account.updated',
        targetType: 'account',
        targetId: id,
        details: { name: input.name },
      })
      if (once) await settleOneTimeKey(tx, once, `/admin/accounts/${id}?done=created`)
      return ok({ id })
    })
  } catch (error) {
    const failure = await conflictFailure(db, error, input, accountId ?? undefined)
    if (failure) return failure
    throw error
  }
}

/** Creates a customer account (admins). */
export function createAccount(
  db: Db,
  { actor, input, once }: { actor: SessionUser; input: AccountInput; once?: OneTimeKey },
) {
  return saveAccount(db, { actor, accountId: null, input, once })
}

/** Edits a customer account, replacing its domains (admins). */
export function updateAccount(
  db: Db,
  { actor, accountId, input }: { actor: SessionUser; accountId: number; input: AccountInput },
) {
  return saveAccount(db, { actor, accountId, input })
}

export async function listAccounts(
  db: Db,
  {
    actor,
    q,
    status = 'active',
    page = 1,
    perPage = 25,
  }: { actor: SessionUser; q?: string; status?: AccountStatusFilter; page?: number; perPage?: number },
) {
  if (!can(actor, 'accounts.view')) return fail(403, 'errors.forbidden')
  const pattern = q?.trim() ? `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined
  const where = and(
    pattern ? ilike(accounts.name, pattern) : undefined,
    status === 'active' ? isNull(accounts.churnedAt) : status === 'churned' ? isNotNull(accounts.churnedAt) : undefined,
  )
  const members = db
    .select({ accountId: users.accountId, n: count().as('n') })
    .from(users)
    .groupBy(users.accountId)
    .as('members')
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: accounts.id,
        name: accounts.name,
        plan: accounts.plan,
        arrMinor: accounts.arrMinor,
        arrCurrency: accounts.arrCurrency,
        seats: accounts.seats,
        renewalDate: accounts.renewalDate,
        touchTierOverride: accounts.touchTierOverride,
        churnedAt: accounts.churnedAt,
        members: sql<number>`coalesce(${members.n}, 0)`.mapWith(Number),
        domains: sql<
          string[]
        >`coalesce((select array_agg(d.domain order by d.domain) from account_domains d where d.account_id = ${accounts.id}), '{}')`,
      })
      .from(accounts)
      .leftJoin(members, eq(members.accountId, accounts.id))
      .where(where)
      .orderBy(asc(accounts.name))
      .limit(perPage)
      .offset((Math.max(1, page) - 1) * perPage),
    db.select({ n: count() }).from(accounts).where(where),
  ])
  return ok({ accounts: rows, total: total?.n ?? 0, page, perPage, status })
}

/** One account with its domains, CSM and members. */
export async function getAccount(db: Db, { actor, accountId }: { actor: SessionUser; accountId: number }) {
  if (!can(actor, 'accounts.view')) return fail(403, 'errors.forbidden')
  const [account] = await db.select().from(accounts).where(eq(accounts.id, accountId))
  if (!account) return fail(404, 'errors.not_found')
  const [domains, members, csm] = await Promise.all([
    db
      .select({ domain: accountDomains.domain })
      .from(accountDomains)
      .where(eq(accountDomains.accountId, accountId))
      .orderBy(asc(accountDomains.domain)),
    db
      .select({
        id: users.id,
        displayName: users.displayName,
        email: users.email,
        role: users.role,
        disabledAt: users.disabledAt,
      })
      .from(users)
      .where(eq(users.accountId, accountId))
      .orderBy(asc(users.displayName)),
    account.csmUserId
      ? db.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, account.csmUserId))
      : Promise.resolve([]),
  ])
  return ok({
    account: { ...account, domains: domains.map((d) => d.domain) },
    members,
    csm: csm[0] ?? null,
    arrFollowsOutcomes: await arrFollowsOutcomes(db, accountId),
  })
}

export type ImportReport = {
  created: number
  updated: number
  errors: { line: number; messages: { code: string; field?: string; params?: Record<string, string | number> }[] }[]
}

/** The columns a CSV import understands (header names are case-insensitive). */
export const importColumns = [
  'name',
  'domains',
  'plan',
  'arr',
  'currency',
  'seats',
  'contract_start',
  'renewal_date',
  'csm_email',
  'touch_tier',
] as const

const schemaFieldToColumn: Record<string, string> = {
  arrCurrency: 'currency',
  contractStart: 'contract_start',
  renewalDate: 'renewal_date',
  csmUserId: 'csm_email',
  touchTierOverride: 'touch_tier',
}

/** Reports speak of the file's column names, not the form's. */
function csvColumn(field: string): string {
  return schemaFieldToColumn[field] ?? field
}

/** Thrown inside an import row's savepoint to undo it; carries the row's failure to its report line. */
export class RowRefused extends Error {
  constructor(readonly failure: Failure) {
    super(failure.code)
  }
}

/** Imports accounts from CSV: a row whose name exists updates that account, others create one. Every
 *  bad row is reported by its line number in the file and skipped; the good rows are imported, each in
 *  its own savepoint so one conflict cannot undo the others. Logged in the audit log. */
export async function importAccountsCsv(
  db: Db,
  { actor, csv }: { actor: SessionUser; csv: string },
): Promise<Outcome<ImportReport>> {
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
  if (!('name' in (records[0]?.record ?? {}))) return fail(400, 'accounts.import_missing_name')

  const staff = await db.select({ id: users.id, email: users.email }).from(users).where(sql`${users.role} <> 'member'`)
  const staffByEmail = new Map(staff.map((s) => [s.email.toLowerCase(), s.id]))

  const report: ImportReport = { created: 0, updated: 0, errors: [] }
  await db.transaction(async (tx) => {
    for (const { record, line } of records) {
      const messages: ImportReport['errors'][number]['messages'] = []
      const csmEmail = record.csm_email?.toLowerCase()
      const csmId = csmEmail ? staffByEmail.get(csmEmail) : undefined
      if (csmEmail && !csmId) messages.push({ code: 'accounts.csm_not_staff', field: 'csm_email' })
      const parsed = AccountSchema.safeParse({
        name: record.name,
        domains: record.domains,
        plan: record.plan,
        arr: record.arr,
        arrCurrency: record.currency || undefined,
        seats: record.seats,
        contractStart: record.contract_start,
        renewalDate: record.renewal_date,
        csmUserId: csmId ? String(csmId) : undefined,
        touchTierOverride: record.touch_tier?.toLowerCase(),
      })
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          messages.push({ code: issue.message, field: csvColumn(String(issue.path[0] ?? '')) })
        }
      } else if (parsed.data.arr !== null && toMinorUnits(parsed.data.arr, parsed.data.arrCurrency) === null) {
        messages.push({ code: 'validation.amount_invalid', field: 'arr' })
      }
      if (messages.length > 0 || !parsed.success) {
        report.errors.push({ line, messages })
        continue
      }
      const input = parsed.data
      try {
        await tx.transaction(async (sp) => {
          const [existing] = await sp
            .select({ id: accounts.id })
            .from(accounts)
            .where(sql`lower(${accounts.name}) = ${input.name.toLowerCase()}`)
            .for('update')
          const written = await writeAccount(sp, existing?.id ?? null, input, {
            source: 'import',
            recordedById: actor.id,
          })
          // Undoes the savepoint: this row writes nothing, the others stay.
          if (!written.ok) throw new RowRefused(written)
          if (existing) report.updated++
          else report.created++
        })
      } catch (error) {
        const failure = error instanceof RowRefused ? error.failure : await conflictFailure(tx, error, input)
        if (!failure) throw error
        report.errors.push({ line, messages: [{ code: failure.code, field: failure.field, params: failure.params }] })
      }
    }
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'accounts.imported',
      targetType: 'account',
      details: { created: report.created, updated: report.updated, rejected: report.errors.length },
    })
  })
  return ok(report)
}

/** Every account's id and name, by name, for choosing a member's account. Staff and above; the list is
 *  not paged, so it suits the few thousand accounts a select can reasonably show. */
export async function listAccountChoices(db: Db, { actor }: { actor: SessionUser }) {
  if (!can(actor, 'users.reassign_account')) return fail(403, 'errors.forbidden')
  const rows = await db
    .select({ id: accounts.id, name: accounts.name })
    .from(accounts)
    .orderBy(asc(accounts.name), asc(accounts.id))
  return ok(rows)
}

/** The name of a customer account, shown to its own members (no permission needed for one's own). */
export async function accountNameOf(db: Db, accountId: number): Promise<string | null> {
  const [row] = await db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId))
  return row?.name ?? null
}

/** Creates or updates the account a CRM knows by `externalId` (the `crm` API; the caller checks the
 *  token and audits nothing else). `input` is the whole account as the CRM sends it; on an update the
 *  ARR rule of `writeAccount` holds (the ARR changes through outcomes once they exist). Names and
 *  domains are unique as on the form (409 with the field). Two requests creating the same external id
 *  at once: the unique index decides, and the second one updates what the first created. */
export async function saveAccountByExternalId(
  db: Db,
  { externalId, input, via }: { externalId: string; input: AccountInput; via: string },
): Promise<Outcome<{ id: number; created: boolean }>> {
  const problem = await checkAccountInput(db, input)
  if (problem) return problem
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const [existing] = await tx
          .select({ id: accounts.id })
          .from(accounts)
          .where(eq(accounts.externalId, externalId))
          .for('update')
        const written = await writeAccount(
          tx,
          existing?.id ?? null,
          input,
          { source: 'api', recordedById: null },
          { externalId },
        )
        if (!written.ok) throw new RowRefused(written)
        await recordAudit(tx, {
          actorUserId: null,
          action: existing ? 'account.updated' : 'account.created',
          targetType: 'account',
          targetId: written.value,
          details: { name: input.name, externalId, via },
        })
        return ok({ id: written.value, created: !existing })
      })
    } catch (error) {
      if (error instanceof RowRefused) return error.failure
      if (attempt === 0 && isUniqueViolation(error, 'accounts_external_id_key')) continue
      const failure = await conflictFailure(db, error, input)
      if (failure) return failure
      throw error
    }
  }
}

/** The account a CRM knows by this external id, as the account form's fields (major-unit ARR), or
 *  null. For an API update that sends only some fields. */
export async function accountFormValuesByExternalId(db: Db, externalId: string) {
  const [account] = await db.select().from(accounts).where(eq(accounts.externalId, externalId))
  if (!account) return null
  const domains = await db
    .select({ domain: accountDomains.domain })
    .from(accountDomains)
    .where(eq(accountDomains.accountId, account.id))
    .orderBy(asc(accountDomains.domain))
  return { ...account, domains: domains.map((d) => d.domain) }
}
