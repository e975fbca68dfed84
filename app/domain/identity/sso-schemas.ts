import { z } from 'zod'

// The admin's form for an OpenID Connect provider. Messages are catalogue keys; shared by the browser
// (conform) and the server. Whether the issuer may be reached is checked on the server only
// (app/domain/identity/sso.server.ts), since it needs DNS.

export const ssoAccountMatches = ['external_id', 'domain'] as const
export type SsoAccountMatch = (typeof ssoAccountMatches)[number]

/** The address part of a provider: /auth/sso/<slug>. */
const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/
/** A claim name as providers spell them: letters, digits and `_ - . : /` (namespaced claims are URLs). */
const CLAIM_PATTERN = /^[A-Za-z0-9_.:/-]{1,100}$/
/** Scope tokens (RFC 6749 3.3): printable ASCII without space, quote or backslash. */
const SCOPE_PATTERN = /^[\x21\x23-\x5b\x5d-\x7e]+$/

const checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === 'true')

export const SsoProviderSchema = z.object({
  name: z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').max(60, 'validation.too_long'),
  slug: z
    .string({ error: 'validation.required' })
    .trim()
    .toLowerCase()
    .min(1, 'validation.required')
    .max(40, 'validation.too_long')
    .regex(SLUG_PATTERN, 'sso.validation.slug_invalid'),
  issuer: z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .max(500, 'validation.too_long')
    .refine((v) => URL.canParse(v), 'sso.validation.issuer_invalid'),
  clientId: z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .max(255, 'validation.too_long'),
  /** Write-only: empty keeps the stored secret (a new provider may have none: a public client). */
  clientSecret: z
    .string()
    .max(1000, 'validation.too_long')
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : null)),
  scopes: z
    .string()
    .max(500, 'validation.too_long')
    .optional()
    .transform((v) => (v ?? '').split(/\s+/).filter(Boolean))
    .pipe(
      z
        .array(z.string())
        .max(20, 'validation.too_long')
        .refine((scopes) => scopes.every((s) => SCOPE_PATTERN.test(s)), 'sso.validation.scopes_invalid'),
    )
    // openid is what makes it OpenID Connect: added when left out; email carries the address.
    .transform((scopes) => [...new Set(['openid', ...scopes])].join(' ')),
  accountClaim: z
    .string()
    .trim()
    .max(100, 'validation.too_long')
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.string().regex(CLAIM_PATTERN, 'sso.validation.claim_invalid').nullable()),
  accountMatch: z.enum(ssoAccountMatches, { error: 'validation.invalid_choice' }).default('external_id'),
  passwordSignIn: checkbox,
  enabled: checkbox,
})

export type SsoProviderInput = z.infer<typeof SsoProviderSchema>

export const SsoDeleteSchema = z.object({
  intent: z.literal('delete'),
  /** The provider's slug typed again: deleting unlinks every member who signs in with it. */
  confirm: z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').max(40),
})

/** The reasons a sign-in through a provider can fail, as the sign-in page names them
 *  (`/login?sso_error=<name>`, text `sso.errors.<name>`). */
export const ssoLoginErrors = [
  'provider_unknown',
  'unavailable',
  'state_mismatch',
  'attempt_invalid',
  'denied',
  'exchange_failed',
  'email_missing',
  'email_unverified',
  'already_linked',
  'account_disabled',
  'rate_limited',
  'failed',
] as const
export type SsoLoginError = (typeof ssoLoginErrors)[number]

/** The sign-in page's name for a failure code of the SSO domain functions. */
export function ssoLoginError(code: string): SsoLoginError {
  if (code === 'identity.account_disabled') return 'account_disabled'
  if (code === 'errors.rate_limited') return 'rate_limited'
  const name = code.startsWith('sso.errors.') ? code.slice('sso.errors.'.length) : ''
  return (ssoLoginErrors as readonly string[]).includes(name) ? (name as SsoLoginError) : 'failed'
}

/** The failure named in the sign-in page's address, or null for none or an unknown one. */
export function parseSsoLoginError(value: string | null): SsoLoginError | null {
  return value && (ssoLoginErrors as readonly string[]).includes(value) ? (value as SsoLoginError) : null
}
