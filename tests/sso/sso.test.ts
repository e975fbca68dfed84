import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { validateSessionToken } from '#app/domain/identity/sessions.server.ts'
import {
  createSsoProvider,
  finishSsoSignIn,
  ssoCallbackUrl,
  startSsoSignIn,
  updateSsoProvider,
} from '#app/domain/identity/sso.server.ts'
import { SsoProviderSchema } from '#app/domain/identity/sso-schemas.ts'
import { signIn } from '#app/domain/identity/users.server.ts'
import { insertAccount, insertAdmin, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { auditLog, ssoAttempts, ssoProviders, userIdentities, users } from '#db/schema/identity.ts'
import { db } from '#tests/db.ts'
import { ACCOUNT_CLAIM, signInAtIdp, startTestIdp, type TestIdp } from './idp.ts'

// Single sign-on against a real OpenID Connect provider (oidc-provider) on 127.0.0.1: the browser's
// part (the redirects and the provider's login form) is played with fetch, then the callback's domain
// function runs as the callback route calls it.

const CLIENT = { clientId: 'community', clientSecret: 'community-secret-0123456789' }
const OTHER = { clientId: 'other-app', clientSecret: 'other-secret-0123456789' }

let idp: TestIdp
let admin: SessionUser
let ipCounter = 0
const ip = () => `10.88.0.${++ipCounter}`

/** A provider of this test, with its own slug and the settings given. */
async function addProvider(input: Record<string, string | undefined> = {}, clientId = CLIENT.clientId) {
  const slug = `idp-${Math.random().toString(36).slice(2, 8)}`
  const parsed = SsoProviderSchema.parse({
    name: 'Acme Cloud',
    slug,
    issuer: idp.issuer,
    clientId,
    clientSecret: clientId === CLIENT.clientId ? CLIENT.clientSecret : OTHER.clientSecret,
    scopes: 'openid email profile account',
    accountClaim: ACCOUNT_CLAIM,
    accountMatch: 'external_id',
    passwordSignIn: 'on',
    enabled: 'on',
    ...input,
  })
  const outcome = await createSsoProvider(db, { actor: admin, input: parsed })
  if (!outcome.ok) throw new Error(`provider not created: ${outcome.code}`)
  return { id: outcome.value.id, slug: parsed.slug, input: parsed }
}

/** Starts at the app, signs in at the provider as `login`, and comes back with the state cookie. */
async function signInThrough(
  slug: string,
  login: string,
  { cookie }: { cookie?: (state: string) => string | null } = {},
) {
  const started = await startSsoSignIn(db, { slug, returnTo: '/questions', ip: ip() })
  if (!started.ok) throw new Error(`start refused: ${started.code}`)
  const back = await signInAtIdp(started.value.url, login)
  const search = back.search.slice(1)
  const cookieState = cookie ? cookie(started.value.state) : started.value.state
  const outcome = await finishSsoSignIn(db, { slug, search, cookieState, locale: 'en' })
  return { outcome, search, state: started.value.state, started: started.value }
}

function uniqueSub(prefix: string) {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`
}

beforeAll(async () => {
  admin = await insertAdmin(db)
  // Every provider of this file is the same client at the provider, under the slugs made up front.
  idp = await startTestIdp({
    clients: [
      { ...CLIENT, redirectUris: callbackUris },
      { ...OTHER, redirectUris: callbackUris },
    ],
  })
})

afterAll(async () => {
  await idp?.close()
})

/** The callback addresses the provider accepts: the slugs this file uses are made up front. */
const slugs = Array.from({ length: 16 }, (_, i) => `idp-t${i}`)
const callbackUris = slugs.map((slug) => ssoCallbackUrl(slug))
let nextSlug = 0
function slug() {
  return slugs[nextSlug++]!
}

async function provider(input: Record<string, string | undefined> = {}, clientId = CLIENT.clientId) {
  return addProvider({ slug: slug(), ...input }, clientId)
}

test('a first sign-in makes a verified member in the account the claim names, in their language, signed in', async () => {
  const account = await insertAccount(db, { externalId: 'crm-acme-001' })
  const p = await provider()
  const sub = uniqueSub('new')
  idp.accounts.set(sub, {
    email: `${sub}@customer.example`,
    email_verified: true,
    name: 'Hana Sato',
    locale: 'ja-JP',
    account_id: 'crm-acme-001',
  })

  const { outcome } = await signInThrough(p.slug, sub)
  expect(outcome).toMatchObject({ ok: true, value: { outcome: 'created', returnTo: '/questions' } })
  if (!outcome.ok) return
  const [user] = await db.select().from(users).where(eq(users.id, outcome.value.user.id))
  expect(user).toMatchObject({
    email: `${sub}@customer.example`,
    displayName: 'Hana Sato',
    locale: 'ja',
    role: 'member',
    accountId: account.id,
  })
  expect(user!.emailVerifiedAt).not.toBeNull()
  // The session is ours, as after a password sign-in.
  const session = await validateSessionToken(db, outcome.value.token)
  expect(session?.user.id).toBe(user!.id)
  const [identity] = await db.select().from(userIdentities).where(eq(userIdentities.userId, user!.id))
  expect(identity).toMatchObject({ providerId: p.id, subject: sub })
  const actions = await db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.targetId, String(user!.id)))
  expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['sso.user_created']))
})

test('an existing user is linked by a verified email, keeps their role, and the next sign-in finds the identity', async () => {
  const staff = await insertStaff(db, { email: `Staff.${uniqueSub('s')}@vendor.example` })
  const p = await provider()
  const sub = uniqueSub('staff')
  idp.accounts.set(sub, {
    email: staff.email.toUpperCase(),
    email_verified: true,
    name: 'Someone Else',
    account_id: 'crm-x',
  })

  const first = await signInThrough(p.slug, sub)
  expect(first.outcome).toMatchObject({ ok: true, value: { outcome: 'linked', user: { id: staff.id, role: 'staff' } } })
  const [after] = await db.select().from(users).where(eq(users.id, staff.id))
  expect(after).toMatchObject({ role: 'staff', accountId: null, displayName: staff.displayName })

  // The address changed at the provider: the subject still names the same person.
  idp.accounts.set(sub, { email: 'renamed@vendor.example', email_verified: true, name: 'Someone Else' })
  const second = await signInThrough(p.slug, sub)
  expect(second.outcome).toMatchObject({ ok: true, value: { outcome: 'signed_in', user: { id: staff.id } } })
  const identities = await db.select().from(userIdentities).where(eq(userIdentities.userId, staff.id))
  expect(identities).toHaveLength(1)
  expect(identities[0]!.email).toBe('renamed@vendor.example')
  const [unchanged] = await db.select({ email: users.email }).from(users).where(eq(users.id, staff.id))
  expect(unchanged!.email).toBe(staff.email)
})

test('the account follows the claim at each sign-in; without a claim configured the email domain decides', async () => {
  const first = await insertAccount(db, { externalId: 'crm-move-1' })
  const second = await insertAccount(db, { externalId: 'crm-move-2' })
  const p = await provider()
  const sub = uniqueSub('mover')
  idp.accounts.set(sub, { email: `${sub}@elsewhere.example`, email_verified: true, account_id: 'crm-move-1' })
  const a = await signInThrough(p.slug, sub)
  expect(a.outcome).toMatchObject({ ok: true, value: { user: { accountId: first.id } } })
  idp.accounts.set(sub, { email: `${sub}@elsewhere.example`, email_verified: true, account_id: 'crm-move-2' })
  const b = await signInThrough(p.slug, sub)
  expect(b.outcome).toMatchObject({ ok: true, value: { user: { accountId: second.id } } })

  const byDomain = await insertAccount(db, { domains: ['domain-rule.example'] })
  const plain = await provider({ accountClaim: '' })
  const other = uniqueSub('plain')
  idp.accounts.set(other, { email: `${other}@domain-rule.example`, email_verified: true, account_id: 'crm-move-1' })
  const c = await signInThrough(plain.slug, other)
  expect(c.outcome).toMatchObject({ ok: true, value: { outcome: 'created', user: { accountId: byDomain.id } } })

  const matchedByDomain = await insertAccount(db, { domains: ['claimed-domain.example'] })
  const domainProvider = await provider({ accountClaim: 'org_domain', accountMatch: 'domain' })
  const third = uniqueSub('dom')
  idp.accounts.set(third, {
    email: `${third}@gmail.example`,
    email_verified: true,
    org_domain: 'Claimed-Domain.example',
  })
  const d = await signInThrough(domainProvider.slug, third)
  expect(d.outcome).toMatchObject({ ok: true, value: { user: { accountId: matchedByDomain.id } } })
})

test('a wrong state or no state cookie is refused, and the attempt is still there for its own browser', async () => {
  const p = await provider()
  const sub = uniqueSub('csrf')
  idp.accounts.set(sub, { email: `${sub}@customer.example`, email_verified: true })
  const started = await startSsoSignIn(db, { slug: p.slug, returnTo: '/', ip: ip() })
  if (!started.ok) throw new Error(started.code)
  const back = await signInAtIdp(started.value.url, sub)
  const search = back.search.slice(1)

  const missing = await finishSsoSignIn(db, { slug: p.slug, search, cookieState: null, locale: 'en' })
  expect(missing).toMatchObject({ ok: false, code: 'sso.errors.state_mismatch' })
  // An attacker's own attempt: a state of theirs in the victim's cookie does not match the address.
  const other = await startSsoSignIn(db, { slug: p.slug, returnTo: '/', ip: ip() })
  if (!other.ok) throw new Error(other.code)
  const wrong = await finishSsoSignIn(db, { slug: p.slug, search, cookieState: other.value.state, locale: 'en' })
  expect(wrong).toMatchObject({ ok: false, code: 'sso.errors.state_mismatch' })
  const forgedState = search.replace(/state=[^&]+/, `state=${other.value.state}`)
  const forged = await finishSsoSignIn(db, {
    slug: p.slug,
    search: forgedState,
    cookieState: other.value.state,
    locale: 'en',
  })
  expect(forged).toMatchObject({ ok: false, code: 'sso.errors.exchange_failed' })
  const [made] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(eq(users.email, `${sub}@customer.example`))
  expect(made!.n).toBe(0)

  const right = await finishSsoSignIn(db, { slug: p.slug, search, cookieState: started.value.state, locale: 'en' })
  expect(right).toMatchObject({ ok: true, value: { outcome: 'created' } })
})

test('a replayed callback is refused: the attempt is used once, and the provider refuses the code again', async () => {
  const p = await provider()
  const sub = uniqueSub('replay')
  idp.accounts.set(sub, { email: `${sub}@customer.example`, email_verified: true })
  const { outcome, search, state } = await signInThrough(p.slug, sub)
  expect(outcome.ok).toBe(true)

  const again = await finishSsoSignIn(db, { slug: p.slug, search, cookieState: state, locale: 'en' })
  expect(again).toMatchObject({ ok: false, code: 'sso.errors.attempt_invalid' })

  // Even with the attempt made usable again, the code was spent at the provider.
  await db.execute(sql`update sso_attempts set used_at = null where provider_id = ${p.id}`)
  const reused = await finishSsoSignIn(db, { slug: p.slug, search, cookieState: state, locale: 'en' })
  expect(reused).toMatchObject({ ok: false, code: 'sso.errors.exchange_failed' })

  // An expired attempt is refused too.
  const late = await startSsoSignIn(db, { slug: p.slug, returnTo: '/', ip: ip() })
  if (!late.ok) throw new Error(late.code)
  const back = await signInAtIdp(late.value.url, sub)
  await db
    .update(ssoAttempts)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(ssoAttempts.providerId, p.id))
  const expired = await finishSsoSignIn(db, {
    slug: p.slug,
    search: back.search.slice(1),
    cookieState: late.value.state,
    locale: 'en',
  })
  expect(expired).toMatchObject({ ok: false, code: 'sso.errors.attempt_invalid' })
})

test('a code issued to another client, and an id token whose audience is another client, are refused', async () => {
  const p = await provider()
  const sub = uniqueSub('aud')
  idp.accounts.set(sub, { email: `${sub}@customer.example`, email_verified: true })

  // The authorization request is turned into one for the other client (same state, nonce and PKCE).
  const started = await startSsoSignIn(db, { slug: p.slug, returnTo: '/', ip: ip() })
  if (!started.ok) throw new Error(started.code)
  const swapped = new URL(started.value.url)
  swapped.searchParams.set('client_id', OTHER.clientId)
  const back = await signInAtIdp(swapped.toString(), sub)
  const codeOfOther = await finishSsoSignIn(db, {
    slug: p.slug,
    search: back.search.slice(1),
    cookieState: started.value.state,
    locale: 'en',
  })
  // The provider refuses to give this client the other client's code.
  expect(codeOfOther).toMatchObject({ ok: false, code: 'sso.errors.exchange_failed' })

  // Now the token request itself reaches the provider as the other client: the id token is real,
  // signed by the provider, with our nonce, but its audience is the other client.
  const again = await startSsoSignIn(db, { slug: p.slug, returnTo: '/', ip: ip() })
  if (!again.ok) throw new Error(again.code)
  const swappedAgain = new URL(again.value.url)
  swappedAgain.searchParams.set('client_id', OTHER.clientId)
  const backAgain = await signInAtIdp(swappedAgain.toString(), sub)
  idp.tokenAs = OTHER
  const warnings = vi.spyOn(console, 'warn')
  try {
    const wrongAudience = await finishSsoSignIn(db, {
      slug: p.slug,
      search: backAgain.search.slice(1),
      cookieState: again.value.state,
      locale: 'en',
    })
    expect(wrongAudience).toMatchObject({ ok: false, code: 'sso.errors.exchange_failed' })
    // The provider answered; the client library refused the token for its audience.
    expect(warnings.mock.calls.flat().join('\n')).toMatch(/OAUTH_JWT_CLAIM_COMPARISON_FAILED/)
  } finally {
    idp.tokenAs = null
    warnings.mockRestore()
  }
  const [made] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(eq(users.email, `${sub}@customer.example`))
  expect(made!.n).toBe(0)
})

test('an unverified email creates and links nothing', async () => {
  const p = await provider()
  const existing = await insertUser(db, { email: `${uniqueSub('victim')}@customer.example` })
  const sub = uniqueSub('unverified')
  idp.accounts.set(sub, { email: existing.email, email_verified: false })
  const { outcome } = await signInThrough(p.slug, sub)
  expect(outcome).toMatchObject({ ok: false, code: 'sso.errors.email_unverified' })
  const links = await db.select().from(userIdentities).where(eq(userIdentities.userId, existing.id))
  expect(links).toHaveLength(0)

  const stranger = uniqueSub('nobody')
  idp.accounts.set(stranger, { email: `${stranger}@customer.example` })
  const none = await signInThrough(p.slug, stranger)
  expect(none.outcome).toMatchObject({ ok: false, code: 'sso.errors.email_unverified' })
  const [made] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(eq(users.email, `${stranger}@customer.example`))
  expect(made!.n).toBe(0)
})

test('a verified flag sent as the string "true" counts; "false" does not', async () => {
  const p = await provider()
  const yes = uniqueSub('string-true')
  idp.accounts.set(yes, { email: `${yes}@customer.example`, email_verified: 'true' })
  const signed = await signInThrough(p.slug, yes)
  expect(signed.outcome).toMatchObject({ ok: true, value: { outcome: 'created' } })

  const no = uniqueSub('string-false')
  idp.accounts.set(no, { email: `${no}@customer.example`, email_verified: 'false' })
  const refused = await signInThrough(p.slug, no)
  expect(refused.outcome).toMatchObject({ ok: false, code: 'sso.errors.email_unverified' })
})

test('a disabled user is refused, whether found by address or by a linked identity', async () => {
  const p = await provider()
  const user = await insertUser(db, { email: `${uniqueSub('off')}@customer.example` })
  const sub = uniqueSub('disabled')
  idp.accounts.set(sub, { email: user.email, email_verified: true })
  const linked = await signInThrough(p.slug, sub)
  expect(linked.outcome.ok).toBe(true)

  await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id))
  const refused = await signInThrough(p.slug, sub)
  expect(refused.outcome).toMatchObject({ ok: false, code: 'identity.account_disabled' })

  const other = await insertUser(db, { email: `${uniqueSub('off2')}@customer.example`, disabledAt: new Date() })
  const sub2 = uniqueSub('disabled2')
  idp.accounts.set(sub2, { email: other.email, email_verified: true })
  const byAddress = await signInThrough(p.slug, sub2)
  expect(byAddress.outcome).toMatchObject({ ok: false, code: 'identity.account_disabled' })
  expect(await db.select().from(userIdentities).where(eq(userIdentities.userId, other.id))).toHaveLength(0)
})

test('password sign-in closes for members of a provider that says so; staff keep theirs', async () => {
  const p = await provider({ passwordSignIn: undefined })
  const member = await insertUser(db, { email: `${uniqueSub('closed')}@customer.example` })
  const staff = await insertStaff(db, { email: `${uniqueSub('breakglass')}@vendor.example` })
  for (const person of [member, staff]) {
    const sub = uniqueSub('pw')
    idp.accounts.set(sub, { email: person.email, email_verified: true })
    expect((await signInThrough(p.slug, sub)).outcome.ok).toBe(true)
  }
  const refused = await signIn(db, { email: member.email, password: member.password, ip: ip() })
  expect(refused).toMatchObject({ ok: false, status: 403, code: 'sso.password_closed', params: { name: 'Acme Cloud' } })
  const staffIn = await signIn(db, { email: staff.email, password: staff.password, ip: ip() })
  expect(staffIn.ok).toBe(true)

  // Opened again by the admin: the member's password works.
  await updateSsoProvider(db, { actor: admin, providerId: p.id, input: { ...p.input, passwordSignIn: true } })
  expect((await signIn(db, { email: member.email, password: member.password, ip: ip() })).ok).toBe(true)
})

test('a disabled or unknown provider starts nothing', async () => {
  const p = await provider({ enabled: undefined })
  expect(await startSsoSignIn(db, { slug: p.slug, returnTo: '/', ip: ip() })).toMatchObject({
    ok: false,
    code: 'sso.errors.provider_unknown',
  })
  expect(await startSsoSignIn(db, { slug: '../etc', returnTo: '/', ip: ip() })).toMatchObject({
    ok: false,
    code: 'sso.errors.provider_unknown',
  })
})

test('the admin form: the secret is stored encrypted and kept when left empty; refused issuers', async () => {
  const p = await provider()
  const [row] = await db.select().from(ssoProviders).where(eq(ssoProviders.id, p.id))
  expect(row!.clientSecretEncrypted).toBeTruthy()
  expect(row!.clientSecretEncrypted).not.toContain(CLIENT.clientSecret)
  await updateSsoProvider(db, {
    actor: admin,
    providerId: p.id,
    input: { ...p.input, clientSecret: null, name: 'Renamed' },
  })
  const [kept] = await db.select().from(ssoProviders).where(eq(ssoProviders.id, p.id))
  expect(kept!.clientSecretEncrypted).toBe(row!.clientSecretEncrypted)
  // The kept secret still works.
  const sub = uniqueSub('kept')
  idp.accounts.set(sub, { email: `${sub}@customer.example`, email_verified: true })
  expect((await signInThrough(p.slug, sub)).outcome.ok).toBe(true)
  const audit = await db
    .select({ details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'sso.provider_created'), eq(auditLog.targetId, String(p.id))))
  expect(JSON.stringify(audit)).not.toContain(CLIENT.clientSecret)

  for (const [issuer, code] of [
    ['ftp://idp.example', 'sso.validation.issuer_invalid'],
    ['http://idp.example', 'sso.validation.issuer_https'],
    ['http://10.1.2.3', 'sso.validation.issuer_https'],
    ['https://169.254.169.254', 'sso.validation.issuer_private'],
    ['https://[::ffff:169.254.169.254]', 'sso.validation.issuer_private'],
    ['https://user:pw@idp.example', 'sso.validation.issuer_invalid'],
  ] as const) {
    const input = SsoProviderSchema.parse({ ...p.input, slug: 'refused', issuer, passwordSignIn: 'on', enabled: 'on' })
    expect(await createSsoProvider(db, { actor: admin, input })).toMatchObject({ ok: false, code, field: 'issuer' })
  }
  const member = await insertUser(db)
  expect(await createSsoProvider(db, { actor: member, input: p.input })).toMatchObject({ ok: false, status: 403 })
  const taken = await createSsoProvider(db, { actor: admin, input: { ...p.input } })
  expect(taken).toMatchObject({ ok: false, code: 'sso.validation.slug_taken', field: 'slug' })
})
