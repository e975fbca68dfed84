import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'
import { and, asc, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import ipaddr from 'ipaddr.js'
import * as oidc from 'openid-client'
import { env } from '#app/lib/env.server.ts'
import type { Locale } from '#app/lib/i18n.ts'
import { dispatchEmails } from '#app/lib/mail.server.ts'
import { claimOneTimeKey, type OneTimeKey, settleOneTimeKey } from '#app/lib/one-time-key.server.ts'
import { checkOutboundUrl } from '#app/lib/outbound.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { hitRateLimit, type RateRule, waitParams } from '#app/lib/rate-limit.server.ts'
import { signingSecret } from '#app/lib/signing.server.ts'
import type { Db } from '#db/client.server.ts'
import { isUniqueViolation } from '#db/errors.ts'
import { accountDomains, accounts, ssoAttempts, ssoProviders, userIdentities, users } from '#db/schema/identity.ts'
import { recordAudit } from './audit.server.ts'
import { joinAccountByDomain, markEmailVerified } from './email-verification.server.ts'
import { welcomeMember } from './onboarding.server.ts'
import { hashPassword } from './passwords.server.ts'
import { can, type SessionUser } from './permissions.ts'
import { createSession, generateToken, hashToken, type Session, sessionUserColumns } from './sessions.server.ts'
import type { SsoProviderInput } from './sso-schemas.ts'

// Single sign-on with OpenID Connect (docs/decisions/037-single-sign-on.md): the authorization code
// flow with PKCE (S256), state and nonce, through openid-client. The provider proves who the person is;
// the session is ours, opened by the same function as a password sign-in.

// ---- the client secret, encrypted at rest ----

const SECRET_PURPOSE = 'sso.client_secret'

/** AES-256-GCM under a key derived from the app's signing secret (APP_SECRET, or the one kept in the
 *  database): a copy of the table alone does not give the secrets away. */
async function secretKey(db: Db): Promise<Buffer> {
  return createHmac('sha256', await signingSecret(db))
    .update(SECRET_PURPOSE)
    .digest()
}

async function encryptSecret(db: Db, plain: string): Promise<string> {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', await secretKey(db), iv)
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv, body, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.')
}

/** The secret, or null when it cannot be read (the signing secret changed since it was saved). */
async function decryptSecret(db: Db, stored: string): Promise<string | null> {
  const [version, iv, body, tag] = stored.split('.')
  if (version !== 'v1' || !iv || !body || !tag) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', await secretKey(db), Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}

// ---- the issuer and the requests made to it ----

/** `localhost` or a loopback address: the only hosts an `http:` issuer may have (a provider on this
 *  machine, the tests' provider). Reaching it at all still needs WEBHOOKS_ALLOW_PRIVATE. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost') return true
  if (!isIP(host) || !ipaddr.isValid(host)) return false
  let ip = ipaddr.parse(host)
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address()
  return ip.range() === 'loopback'
}

/** Why an address may not be a provider's, as a catalogue key; null when it may. https, or http on
 *  loopback; then the outbound guard (app/lib/outbound.server.ts): public addresses only, unless
 *  WEBHOOKS_ALLOW_PRIVATE lets loopback and private ones through. */
async function refuseProviderUrl(value: string): Promise<string | null> {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'sso.validation.issuer_invalid'
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return 'sso.validation.issuer_https'
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'sso.validation.issuer_invalid'
  if (url.search || url.hash) return 'sso.validation.issuer_invalid'
  const check = await checkOutboundUrl(value)
  if (!check.ok)
    return check.reason === 'refused_address' ? 'sso.validation.issuer_private' : 'sso.validation.issuer_invalid'
  return null
}

/** Every request openid-client makes (discovery, keys, token, userinfo) passes the same rule as the
 *  issuer: endpoints a provider's metadata names cannot point this server inward either. */
const guardedFetch: oidc.CustomFetch = async (url, options) => {
  const refusal = await refuseProviderUrl(url)
  if (refusal) throw new Error(`sso: request refused (${refusal})`)
  return fetch(url, { ...options, body: options.body as BodyInit | undefined, redirect: 'manual' })
}

type ProviderRow = typeof ssoProviders.$inferSelect

/** Discovered configurations, per provider version, for a few minutes: a sign-in costs no extra
 *  request to the provider's metadata, and an edited provider is discovered anew. */
const configurations = new Map<number, { key: string; at: number; config: oidc.Configuration }>()
const CONFIG_TTL_MS = 10 * 60 * 1000
/** How long a request to the provider may take, in seconds. */
const PROVIDER_TIMEOUT_S = 10

async function providerConfiguration(db: Db, provider: ProviderRow): Promise<Outcome<oidc.Configuration>> {
  const key = `${provider.issuer}|${provider.clientId}|${provider.updatedAt.getTime()}`
  const cached = configurations.get(provider.id)
  if (cached && cached.key === key && Date.now() - cached.at < CONFIG_TTL_MS) return ok(cached.config)
  const refusal = await refuseProviderUrl(provider.issuer)
  if (refusal) return fail(400, 'sso.errors.unavailable')
  let secret: string | undefined
  if (provider.clientSecretEncrypted) {
    const plain = await decryptSecret(db, provider.clientSecretEncrypted)
    if (plain === null) {
      console.warn(`[sso] the client secret of provider ${provider.id} cannot be read; enter it again`)
      return fail(400, 'sso.errors.unavailable')
    }
    secret = plain
  }
  const insecure = new URL(provider.issuer).protocol === 'http:'
  try {
    const config = await oidc.discovery(
      new URL(provider.issuer),
      provider.clientId,
      { id_token_signed_response_alg: 'RS256' },
      secret === undefined ? oidc.None() : oidc.ClientSecretBasic(secret),
      {
        [oidc.customFetch]: guardedFetch,
        timeout: PROVIDER_TIMEOUT_S,
        execute: insecure ? [oidc.allowInsecureRequests] : [],
      },
    )
    configurations.set(provider.id, { key, at: Date.now(), config })
    return ok(config)
  } catch (error) {
    console.warn(`[sso] discovery failed for provider ${provider.id}: ${describe(error)}`)
    return fail(502, 'sso.errors.unavailable')
  }
}

/** A library or network error in one line, without its stack. */
function describe(error: unknown): string {
  const e = error as { code?: string; message?: string; error?: string }
  return [e?.code, e?.error, e?.message].filter(Boolean).join(' ').slice(0, 300)
}

/** The address to register at the provider as the redirect URI. */
export function ssoCallbackUrl(slug: string): string {
  return `${env().APP_URL}/auth/sso/${encodeURIComponent(slug)}/callback`
}

// ---- administration ----

/** What the admin pages show of a provider; never the secret, only whether one is stored. */
const providerColumns = {
  id: ssoProviders.id,
  slug: ssoProviders.slug,
  name: ssoProviders.name,
  issuer: ssoProviders.issuer,
  clientId: ssoProviders.clientId,
  hasSecret: sql<boolean>`${ssoProviders.clientSecretEncrypted} is not null`.as('has_secret'),
  scopes: ssoProviders.scopes,
  accountClaim: ssoProviders.accountClaim,
  accountMatch: ssoProviders.accountMatch,
  passwordSignIn: ssoProviders.passwordSignIn,
  enabled: ssoProviders.enabled,
  updatedAt: ssoProviders.updatedAt,
  members:
    sql<number>`(select count(*)::int from ${userIdentities} where ${userIdentities.providerId} = ${ssoProviders.id})`.as(
      'members',
    ),
}

export type SsoProviderView = {
  id: number
  slug: string
  name: string
  issuer: string
  clientId: string
  hasSecret: boolean
  scopes: string
  accountClaim: string | null
  accountMatch: 'external_id' | 'domain'
  passwordSignIn: boolean
  enabled: boolean
  updatedAt: Date
  members: number
}

/** Every configured provider, for admins (`sso.configure`). */
export async function listSsoProviders(db: Db, actor: SessionUser): Promise<Outcome<SsoProviderView[]>> {
  if (!can(actor, 'sso.configure')) return fail(403, 'errors.forbidden')
  return ok(await db.select(providerColumns).from(ssoProviders).orderBy(asc(ssoProviders.name), asc(ssoProviders.id)))
}

export async function getSsoProvider(
  db: Db,
  { actor, providerId }: { actor: SessionUser; providerId: number },
): Promise<Outcome<SsoProviderView>> {
  if (!can(actor, 'sso.configure')) return fail(403, 'errors.forbidden')
  const [row] = await db.select(providerColumns).from(ssoProviders).where(eq(ssoProviders.id, providerId))
  return row ? ok(row) : fail(404, 'errors.not_found')
}

/** What the audit log keeps of a provider's settings: everything but the secret, and whether it changed. */
function auditedSettings(input: SsoProviderInput) {
  const { clientSecret, ...rest } = input
  return { ...rest, clientSecretChanged: clientSecret !== null }
}

async function checkedIssuer(input: SsoProviderInput): Promise<Outcome<string>> {
  const refusal = await refuseProviderUrl(input.issuer)
  if (refusal) return fail(400, refusal, { field: 'issuer' })
  // The issuer identifier is compared as a string with the `iss` of every token: kept as typed,
  // without a trailing slash the admin may or may not have added.
  return ok(input.issuer.replace(/\/+$/, ''))
}

/** Adds a provider. The issuer must be an address this server may reach (https, or http on loopback);
 *  the slug is unique. Admins only; logged without the secret. */
export async function createSsoProvider(
  db: Db,
  { actor, input, once }: { actor: SessionUser; input: SsoProviderInput; once?: OneTimeKey },
): Promise<Outcome<{ id: number }>> {
  if (!can(actor, 'sso.configure')) return fail(403, 'errors.forbidden')
  const issuer = await checkedIssuer(input)
  if (!issuer.ok) return issuer
  const clientSecretEncrypted = input.clientSecret ? await encryptSecret(db, input.clientSecret) : null
  try {
    return await db.transaction(async (tx) => {
      // The form sent twice (same one-time key, decision 027) adds one provider; the copy goes to it.
      const replay = once ? await claimOneTimeKey(tx, once) : null
      if (replay) return replay
      const [row] = await tx
        .insert(ssoProviders)
        .values({
          slug: input.slug,
          name: input.name,
          issuer: issuer.value,
          clientId: input.clientId,
          clientSecretEncrypted,
          scopes: input.scopes,
          accountClaim: input.accountClaim,
          accountMatch: input.accountMatch,
          passwordSignIn: input.passwordSignIn,
          enabled: input.enabled,
        })
        .returning({ id: ssoProviders.id })
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: 'sso.provider_created',
        targetType: 'sso_provider',
        targetId: row!.id,
        details: auditedSettings({ ...input, issuer: issuer.value }),
      })
      if (once) await settleOneTimeKey(tx, once, `/admin/sso/${row!.id}?done=created`)
      return ok({ id: row!.id })
    })
  } catch (error) {
    if (isUniqueViolation(error, 'sso_providers_slug_key'))
      return fail(400, 'sso.validation.slug_taken', { field: 'slug' })
    throw error
  }
}

/** Changes a provider; an empty secret keeps the stored one. Admins only; logged without the secret. */
export async function updateSsoProvider(
  db: Db,
  { actor, providerId, input }: { actor: SessionUser; providerId: number; input: SsoProviderInput },
): Promise<Outcome<undefined>> {
  if (!can(actor, 'sso.configure')) return fail(403, 'errors.forbidden')
  const issuer = await checkedIssuer(input)
  if (!issuer.ok) return issuer
  const clientSecretEncrypted = input.clientSecret ? await encryptSecret(db, input.clientSecret) : undefined
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .update(ssoProviders)
        .set({
          slug: input.slug,
          name: input.name,
          issuer: issuer.value,
          clientId: input.clientId,
          ...(clientSecretEncrypted ? { clientSecretEncrypted } : {}),
          scopes: input.scopes,
          accountClaim: input.accountClaim,
          accountMatch: input.accountMatch,
          passwordSignIn: input.passwordSignIn,
          enabled: input.enabled,
          updatedAt: new Date(),
        })
        .where(eq(ssoProviders.id, providerId))
        .returning({ id: ssoProviders.id })
      if (!row) return fail(404, 'errors.not_found')
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: 'sso.provider_updated',
        targetType: 'sso_provider',
        targetId: providerId,
        details: auditedSettings({ ...input, issuer: issuer.value }),
      })
      return ok()
    })
  } catch (error) {
    if (isUniqueViolation(error, 'sso_providers_slug_key'))
      return fail(400, 'sso.validation.slug_taken', { field: 'slug' })
    throw error
  }
}

/** Deletes a provider and every member's link to it (their accounts stay; they sign in with a password
 *  reset, or through a provider added again). The admin types the slug to confirm. Admins only; logged. */
export async function deleteSsoProvider(
  db: Db,
  { actor, providerId, confirm }: { actor: SessionUser; providerId: number; confirm: string },
): Promise<Outcome<undefined>> {
  if (!can(actor, 'sso.configure')) return fail(403, 'errors.forbidden')
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ slug: ssoProviders.slug, name: ssoProviders.name })
      .from(ssoProviders)
      .where(eq(ssoProviders.id, providerId))
      .for('update')
    if (!row) return fail(404, 'errors.not_found')
    if (confirm.trim().toLowerCase() !== row.slug)
      return fail(400, 'sso.validation.confirm_mismatch', { field: 'confirm' })
    const [links] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(userIdentities)
      .where(eq(userIdentities.providerId, providerId))
    await tx.delete(ssoProviders).where(eq(ssoProviders.id, providerId))
    configurations.delete(providerId)
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'sso.provider_deleted',
      targetType: 'sso_provider',
      targetId: providerId,
      details: { slug: row.slug, name: row.name, unlinkedMembers: links?.n ?? 0 },
    })
    return ok()
  })
}

/** The enabled providers, for the sign-in and sign-up pages' buttons. */
export async function enabledSsoProviders(db: Db): Promise<{ slug: string; name: string }[]> {
  return db
    .select({ slug: ssoProviders.slug, name: ssoProviders.name })
    .from(ssoProviders)
    .where(eq(ssoProviders.enabled, true))
    .orderBy(asc(ssoProviders.name))
}

/** The name of an enabled provider that closed password sign-in for this user, or null. Only members:
 *  staff and admins keep their password as the way in when the provider is down (break-glass). */
export async function passwordClosedBy(db: Db, userId: number): Promise<string | null> {
  const [row] = await db
    .select({ name: ssoProviders.name })
    .from(userIdentities)
    .innerJoin(ssoProviders, eq(ssoProviders.id, userIdentities.providerId))
    .innerJoin(users, eq(users.id, userIdentities.userId))
    .where(
      and(
        eq(userIdentities.userId, userId),
        eq(users.role, 'member'),
        eq(ssoProviders.enabled, true),
        eq(ssoProviders.passwordSignIn, false),
      ),
    )
    .orderBy(asc(ssoProviders.name))
    .limit(1)
  return row?.name ?? null
}

// ---- signing in ----

/** The cookie that binds an attempt to the browser that started it (login CSRF): the state travels
 *  through the provider in the address and must come back to the browser holding it. */
export const SSO_STATE_COOKIE = 'ct_sso_state'
/** How long a sign-in at the provider may take. */
export const SSO_ATTEMPT_TTL_MS = 10 * 60 * 1000

export function ssoStateCookie(state: string, secure: boolean): string {
  const parts = [
    `${SSO_STATE_COOKIE}=${state}`,
    'Path=/auth/sso',
    'HttpOnly',
    // Lax: the provider's redirect back is a top-level GET, which carries it; nothing else cross-site does.
    'SameSite=Lax',
    `Max-Age=${SSO_ATTEMPT_TTL_MS / 1000}`,
  ]
  if (secure) parts.push('Secure')
  return parts.join('; ')
}

export function clearSsoStateCookie(secure: boolean): string {
  return `${SSO_STATE_COOKIE}=; Path=/auth/sso; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`
}

/** Starts at the provider from one address: a browser loop or a script cannot fill the attempts table. */
const START_RULE: RateRule = { limit: 60, windowSeconds: 10 * 60 }

async function enabledProvider(db: Db, slug: string): Promise<ProviderRow | null> {
  if (!/^[a-z0-9-]{1,40}$/.test(slug)) return null
  const [row] = await db
    .select()
    .from(ssoProviders)
    .where(and(eq(ssoProviders.slug, slug), eq(ssoProviders.enabled, true)))
  return row ?? null
}

/** Starts a sign-in at the provider: a new attempt (its id the SHA-256 of the state; the PKCE verifier
 *  and the nonce stay here), and the provider's address to send the browser to. The caller sets
 *  `ssoStateCookie(state)`. `returnTo` must already be a same-site path (`safeRedirect`). */
export async function startSsoSignIn(
  db: Db,
  { slug, returnTo, ip }: { slug: string; returnTo: string; ip: string },
): Promise<Outcome<{ url: string; state: string }>> {
  const provider = await enabledProvider(db, slug)
  if (!provider) return fail(404, 'sso.errors.provider_unknown')
  const limit = await hitRateLimit(db, `sso:start:ip:${ip}`, START_RULE)
  if (!limit.allowed)
    return fail(429, 'errors.rate_limited', { params: waitParams(limit.retryAfterSeconds, 'minutes') })
  const config = await providerConfiguration(db, provider)
  if (!config.ok) return config

  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const url = oidc.buildAuthorizationUrl(config.value, {
    redirect_uri: ssoCallbackUrl(provider.slug),
    scope: provider.scopes,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  })
  // Attempts nobody came back from are of no use after they expire.
  await db.delete(ssoAttempts).where(lt(ssoAttempts.expiresAt, new Date(Date.now() - SSO_ATTEMPT_TTL_MS)))
  await db.insert(ssoAttempts).values({
    id: hashToken(state),
    providerId: provider.id,
    codeVerifier,
    nonce,
    returnTo,
    expiresAt: new Date(Date.now() + SSO_ATTEMPT_TTL_MS),
  })
  return ok({ url: url.toString(), state })
}

/** The claims the sign-in reads, from the id token and, when the provider has one, its userinfo. */
type Claims = Record<string, unknown> & { sub: string }

function claimText(claims: Claims, name: string, max = 255): string | null {
  const value = claims[name]
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') return null
  const trimmed = value.trim()
  return trimmed && trimmed.length <= max ? trimmed : null
}

function claimLocale(claims: Claims, fallback: Locale): Locale {
  const tag = claimText(claims, 'locale', 35)?.toLowerCase()
  if (tag?.startsWith('ja')) return 'ja'
  if (tag?.startsWith('en')) return 'en'
  return fallback
}

/** A display name from the claims (name, then given and family name, then preferred_username, then the
 *  address's local part), cut to the 60 characters a display name holds. */
function claimDisplayName(claims: Claims, email: string): string {
  const joined = [claimText(claims, 'given_name'), claimText(claims, 'family_name')].filter(Boolean).join(' ')
  const name =
    claimText(claims, 'name') ?? (joined || null) ?? claimText(claims, 'preferred_username') ?? email.split('@')[0]!
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we drop
  return [...name.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()].slice(0, 60).join('') || email.split('@')[0]!
}

const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,253}$/

export type SsoSignedIn = {
  user: SessionUser
  token: string
  session: Session
  returnTo: string
  /** A user was made (`created`) or an existing one linked by their verified address (`linked`). */
  outcome: 'signed_in' | 'linked' | 'created'
}

/** Finishes a sign-in on the provider's redirect back. The state must be the one in this browser's
 *  cookie, and its attempt unused and unexpired (it is marked used by the statement that reads it, so
 *  a replayed callback finds nothing); the code is exchanged with the verifier, and openid-client checks
 *  the id token (signature, issuer, audience, nonce, expiry). Then the person is the user linked to
 *  this provider subject; or the user with this address, linked now, only when the provider says the
 *  address is verified; or a new member. The account follows the configured claim at every sign-in
 *  (members only; the role never changes). Opens a session of ours; the welcome email of a new member
 *  is queued in the transaction and sent after commit. */
export async function finishSsoSignIn(
  db: Db,
  { slug, search, cookieState, locale }: { slug: string; search: string; cookieState: string | null; locale: Locale },
): Promise<Outcome<SsoSignedIn>> {
  const provider = await enabledProvider(db, slug)
  if (!provider) return fail(404, 'sso.errors.provider_unknown')
  const params = new URLSearchParams(search.length <= 8192 ? search : '')
  const state = params.get('state')
  if (!state || !cookieState || !sameText(state, cookieState)) return fail(400, 'sso.errors.state_mismatch')

  const [attempt] = await db
    .update(ssoAttempts)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(ssoAttempts.id, hashToken(state)),
        eq(ssoAttempts.providerId, provider.id),
        isNull(ssoAttempts.usedAt),
        gt(ssoAttempts.expiresAt, new Date()),
      ),
    )
    .returning({ codeVerifier: ssoAttempts.codeVerifier, nonce: ssoAttempts.nonce, returnTo: ssoAttempts.returnTo })
  if (!attempt) return fail(400, 'sso.errors.attempt_invalid')
  if (params.has('error')) return fail(400, 'sso.errors.denied')

  const config = await providerConfiguration(db, provider)
  if (!config.ok) return config
  let claims: Claims
  try {
    const current = new URL(`${ssoCallbackUrl(provider.slug)}?${params.toString()}`)
    const tokens = await oidc.authorizationCodeGrant(config.value, current, {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    })
    const idClaims = tokens.claims()
    // A subject is an opaque id of at most 255 characters (OpenID Connect Core 2); longer is no subject.
    if (!idClaims || idClaims.sub.length > 255) return fail(400, 'sso.errors.exchange_failed')
    claims = { ...idClaims } as Claims
    if (config.value.serverMetadata().userinfo_endpoint && tokens.access_token) {
      const info = await oidc.fetchUserInfo(config.value, tokens.access_token, idClaims.sub)
      // The id token's own claims (iss, aud, nonce, sub) stay those the library checked.
      claims = { ...info, ...idClaims } as Claims
    }
  } catch (error) {
    console.warn(`[sso] sign-in at provider ${provider.id} refused: ${describe(error)}`)
    return fail(400, 'sso.errors.exchange_failed')
  }

  const email = claimText(claims, 'email', 254)?.toLowerCase() ?? null
  if (!email || !EMAIL_PATTERN.test(email)) return fail(400, 'sso.errors.email_missing')
  // Some providers (Amazon Cognito among them) send the boolean as the string "true".
  if (claims.email_verified !== true && claims.email_verified !== 'true')
    return fail(403, 'sso.errors.email_unverified')

  const returnTo = attempt.returnTo ?? '/'
  // A concurrent first sign-in of the same person (or someone registering the address meanwhile) makes
  // one of two transactions fail on a unique key; the second try then finds what the first made.
  for (let tries = 0; ; tries++) {
    try {
      const result = await db.transaction((tx) => signInWithClaims(tx, { provider, claims, email, locale }))
      if (!result.ok) return result
      const { welcomeId, ...signedIn } = result.value
      if (welcomeId !== null) await dispatchEmails([welcomeId])
      return ok({ ...signedIn, returnTo })
    } catch (error) {
      if (tries === 0 && isUniqueViolation(error)) continue
      throw error
    }
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

async function signInWithClaims(
  tx: Db,
  args: { provider: ProviderRow; claims: Claims; email: string; locale: Locale },
): Promise<Outcome<Omit<SsoSignedIn, 'returnTo'> & { welcomeId: number | null }>> {
  const { provider, claims, email } = args
  const userColumns = { id: users.id, disabledAt: users.disabledAt, emailVerifiedAt: users.emailVerifiedAt }
  let outcome: SsoSignedIn['outcome'] = 'signed_in'
  let welcome = false

  const [known] = await tx
    .select({ identityId: userIdentities.id, ...userColumns })
    .from(userIdentities)
    .innerJoin(users, eq(users.id, userIdentities.userId))
    .where(and(eq(userIdentities.providerId, provider.id), eq(userIdentities.subject, claims.sub)))
    .for('update')
  let userId: number
  if (known) {
    if (known.disabledAt) return fail(403, 'identity.account_disabled')
    userId = known.id
    await tx
      .update(userIdentities)
      .set({ email, lastSignInAt: new Date() })
      .where(eq(userIdentities.id, known.identityId))
  } else {
    const [existing] = await tx
      .select(userColumns)
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`)
      .for('update')
    if (existing) {
      if (existing.disabledAt) return fail(403, 'identity.account_disabled')
      const [other] = await tx
        .select({ id: userIdentities.id })
        .from(userIdentities)
        .where(and(eq(userIdentities.userId, existing.id), eq(userIdentities.providerId, provider.id)))
      if (other) return fail(409, 'sso.errors.already_linked')
      userId = existing.id
      outcome = 'linked'
      if (!existing.emailVerifiedAt) {
        // The provider verified the address: the same proof as our own link (decision 024).
        await markEmailVerified(tx, userId)
        welcome = true
      }
    } else {
      const [created] = await tx
        .insert(users)
        .values({
          email,
          displayName: claimDisplayName(claims, email),
          // A password nobody knows: the member signs in through the provider (or resets it by email).
          passwordHash: await hashPassword(generateToken(32)),
          role: 'member',
          accountId: null,
          locale: claimLocale(claims, args.locale),
          emailVerifiedAt: new Date(),
        })
        .returning({ id: users.id })
      userId = created!.id
      outcome = 'created'
      welcome = true
    }
    await tx.insert(userIdentities).values({ userId, providerId: provider.id, subject: claims.sub, email })
    await recordAudit(tx, {
      actorUserId: userId,
      action: outcome === 'created' ? 'sso.user_created' : 'sso.identity_linked',
      targetType: 'user',
      targetId: userId,
      details: { provider: provider.slug, subject: claims.sub },
    })
  }

  await placeInAccount(tx, { provider, claims, userId })
  const welcomeId = welcome ? await welcomeMember(tx, userId) : null
  const [user] = await tx.select(sessionUserColumns).from(users).where(eq(users.id, userId))
  const token = generateToken()
  const session = await createSession(tx, token, userId)
  return ok({ user: user!, token, session, outcome, welcomeId })
}

/** Puts a member in the account the provider's claim names (at every sign-in, so a move in the
 *  vendor's product follows here), or, without a claim configured, in the account of their address's
 *  domain as a password member would be. A claim naming no account changes nothing. Staff are never
 *  put in an account, and nobody's role changes. */
async function placeInAccount(
  tx: Db,
  { provider, claims, userId }: { provider: ProviderRow; claims: Claims; userId: number },
): Promise<void> {
  if (!provider.accountClaim) {
    await joinAccountByDomain(tx, userId)
    return
  }
  const value = claimText(claims, provider.accountClaim)
  if (!value) return
  const [account] =
    provider.accountMatch === 'external_id'
      ? await tx
          .select({ id: accounts.id })
          .from(accounts)
          .where(and(eq(accounts.externalId, value), isNull(accounts.churnedAt)))
      : await tx
          .select({ id: accounts.id })
          .from(accountDomains)
          .innerJoin(accounts, eq(accounts.id, accountDomains.accountId))
          .where(and(eq(accountDomains.domain, value.toLowerCase().replace(/^@/, '')), isNull(accounts.churnedAt)))
  if (!account) return
  const [current] = await tx
    .select({ role: users.role, accountId: users.accountId })
    .from(users)
    .where(eq(users.id, userId))
  if (!current || current.role !== 'member' || current.accountId === account.id) return
  await tx.update(users).set({ accountId: account.id, updatedAt: new Date() }).where(eq(users.id, userId))
  await recordAudit(tx, {
    actorUserId: userId,
    action: 'sso.account_set',
    targetType: 'user',
    targetId: userId,
    details: { provider: provider.slug, from: current.accountId, to: account.id },
  })
}
