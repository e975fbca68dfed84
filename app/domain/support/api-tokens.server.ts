import { createHash, randomBytes } from 'node:crypto'
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm'
import { z } from 'zod'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { claimOneTimeKey, type OneTimeKey, settleOneTimeKey } from '#app/lib/one-time-key.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { users } from '#db/schema/identity.ts'
import { type ApiTokenScope, apiTokenScopes, apiTokens } from '#db/schema/support.ts'

export { type ApiTokenScope, apiTokenScopes } from '#db/schema/support.ts'

/** Tokens look like `cst_` + 43 base64url characters (32 random bytes). */
const TOKEN_PREFIX = 'cst_'
const TOKEN_PATTERN = /^cst_[A-Za-z0-9_-]{43}$/
/** How much of the token the admin pages show, to tell tokens apart. */
const SHOWN_PREFIX_LENGTH = 12
/** `last_used_at` is written at most once a minute per token, so a busy helpdesk does not write a row
 *  on every request. */
const LAST_USED_PRECISION_MS = 60 * 1000

export const API_TOKEN_NAME_MAX = 80

/** The create form. A name says which system holds the token ("Zendesk production"); the scopes say
 *  what it may do, at least one (a helpdesk needs `tickets`, a CRM `health`). */
export const ApiTokenSchema = z.object({
  name: z
    .string({ error: 'support_helpdesk.tokens.name_required' })
    .trim()
    .min(1, 'support_helpdesk.tokens.name_required')
    .max(API_TOKEN_NAME_MAX, 'support_helpdesk.tokens.name_too_long'),
  scopes: z
    .array(z.enum(apiTokenScopes, { error: 'support_helpdesk.tokens.scopes_required' }), {
      error: 'support_helpdesk.tokens.scopes_required',
    })
    .min(1, 'support_helpdesk.tokens.scopes_required')
    // Stored in one order, once each, so the list and the audit read the same for the same choice.
    .transform((scopes) => apiTokenScopes.filter((scope) => scopes.includes(scope))),
})
export type ApiTokenInput = { name: string; scopes: readonly string[] }

export type ApiToken = {
  id: number
  name: string
  prefix: string
  scopes: ApiTokenScope[]
  createdAt: Date
  createdByName: string | null
  lastUsedAt: Date | null
  revokedAt: Date | null
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Creates a bearer token for the API with the given scopes. The plaintext is returned here once and
 *  never stored: the database keeps its SHA-256 and its first characters. Admins
 *  (`support.configure`); audited with the scopes. */
export async function createApiToken(
  db: Db,
  { actor, name, scopes, once }: { actor: SessionUser; once?: OneTimeKey } & ApiTokenInput,
): Promise<Outcome<{ token: string; apiToken: ApiToken }>> {
  if (!can(actor, 'support.configure')) return fail(403, 'errors.forbidden')
  const parsed = ApiTokenSchema.safeParse({ name, scopes })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return fail(400, issue.message, { field: issue.path[0] === 'scopes' ? 'scopes' : 'name' })
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  return db.transaction(async (tx) => {
    // A form sent twice (same one-time key, docs/decisions/027) creates one token, whose value only the
    // first answer shows; the copy goes to the list, which says so.
    const replay = once ? await claimOneTimeKey(tx, once) : null
    if (replay) return replay
    const [row] = await tx
      .insert(apiTokens)
      .values({
        name: parsed.data.name,
        tokenHash: hashToken(token),
        prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
        scopes: parsed.data.scopes,
        createdById: actor.id,
      })
      .returning()
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'support.api_token_created',
      targetType: 'api_token',
      targetId: row!.id,
      details: { name: row!.name, prefix: row!.prefix, scopes: row!.scopes },
    })
    if (once) await settleOneTimeKey(tx, once, '/admin/api-tokens?done=created_once')
    return ok({
      token,
      apiToken: {
        id: row!.id,
        name: row!.name,
        prefix: row!.prefix,
        scopes: row!.scopes,
        createdAt: row!.createdAt,
        createdByName: actor.displayName,
        lastUsedAt: null,
        revokedAt: null,
      },
    })
  })
}

/** Revokes a token: from now on it answers 401. Revoking a revoked token changes nothing. Admins;
 *  audited. */
export async function revokeApiToken(
  db: Db,
  { actor, tokenId }: { actor: SessionUser; tokenId: number },
): Promise<Outcome<{ id: number; revokedAt: Date }>> {
  if (!can(actor, 'support.configure')) return fail(403, 'errors.forbidden')
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, tokenId)).for('update')
    if (!row) return fail(404, 'support_helpdesk.tokens.not_found')
    if (row.revokedAt) return ok({ id: row.id, revokedAt: row.revokedAt })
    const revokedAt = new Date()
    await tx.update(apiTokens).set({ revokedAt }).where(eq(apiTokens.id, tokenId))
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'support.api_token_revoked',
      targetType: 'api_token',
      targetId: row.id,
      details: { name: row.name, prefix: row.prefix },
    })
    return ok({ id: row.id, revokedAt })
  })
}

/** Every token, newest first, with who created it. Never the hash. */
export async function listApiTokens(db: Db): Promise<ApiToken[]> {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      createdAt: apiTokens.createdAt,
      createdByName: users.displayName,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdById))
    .orderBy(desc(apiTokens.id))
}

/** The caller an API request authenticated as. */
export type ApiCaller = { id: number; name: string; prefix: string; scopes: ApiTokenScope[] }

/** The live token named by an `Authorization: Bearer <token>` header, if it may use `scope`. Fails
 *  401 `support_helpdesk.api.missing_token` without a header, 401 `support_helpdesk.api.invalid_token`
 *  for a malformed, unknown or revoked token, and 403 `support_helpdesk.api.insufficient_scope` for a
 *  live token without the scope (least privilege: a helpdesk token does not read account health, a CRM
 *  token does not change tickets). The lookup is by the token's SHA-256, so its time does not depend on
 *  how much of a guess is right. Notes a successful use (at most once a minute). */
export async function authenticateApiToken(
  db: Db,
  authorization: string | null | undefined,
  scope: ApiTokenScope,
  now = new Date(),
): Promise<Outcome<ApiCaller>> {
  if (!authorization?.trim()) return fail(401, 'support_helpdesk.api.missing_token')
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)
  const token = match?.[1]
  if (!token || !TOKEN_PATTERN.test(token)) return fail(401, 'support_helpdesk.api.invalid_token')
  const [row] = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, hashToken(token)))
  if (!row || row.revokedAt) return fail(401, 'support_helpdesk.api.invalid_token')
  if (!row.scopes.includes(scope)) return fail(403, 'support_helpdesk.api.insufficient_scope', { params: { scope } })
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiTokens.id, row.id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now.getTime() - LAST_USED_PRECISION_MS))),
      ),
    )
  return ok({ id: row.id, name: row.name, prefix: row.prefix, scopes: row.scopes })
}
