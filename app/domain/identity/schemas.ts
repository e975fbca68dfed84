import { z } from 'zod'
import { isDay } from '#app/lib/days.ts'
import { roles } from './permissions.ts'

// Messages are catalogue keys; the UI translates them. Shared by the browser (conform) and the server.

export const PASSWORD_MIN = 8
/** Long passphrases are welcome; the cap only stops absurd inputs from tying up the hasher. */
export const PASSWORD_MAX = 1024

export const EmailField = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, 'validation.required')
  .max(254, 'validation.email_invalid')
  .email('validation.email_invalid')
  .transform((v) => v.toLowerCase())

export const NewPasswordField = z
  .string({ error: 'validation.required' })
  .min(PASSWORD_MIN, 'validation.password_too_short')
  .max(PASSWORD_MAX, 'validation.password_too_long')

export const DisplayNameField = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, 'validation.required')
  .max(60, 'validation.display_name_too_long')

export const SignupSchema = z.object({
  email: EmailField,
  displayName: DisplayNameField,
  password: NewPasswordField,
  timeZone: z.string().max(64).optional(),
  redirectTo: z.string().optional(),
})

export const LoginSchema = z.object({
  email: EmailField,
  password: z.string({ error: 'validation.required' }).min(1, 'validation.required').max(PASSWORD_MAX),
  redirectTo: z.string().optional(),
})

export const ForgotPasswordSchema = z.object({ email: EmailField })

export const ResetPasswordSchema = z
  .object({
    token: z.string().min(1),
    password: NewPasswordField,
    confirm: z.string({ error: 'validation.required' }),
  })
  .refine((v) => v.password === v.confirm, { message: 'validation.passwords_differ', path: ['confirm'] })

export const ChangePasswordSchema = z
  .object({
    intent: z.literal('change-password'),
    currentPassword: z.string({ error: 'validation.required' }).min(1, 'validation.required'),
    password: NewPasswordField,
    confirm: z.string({ error: 'validation.required' }),
  })
  .refine((v) => v.password === v.confirm, { message: 'validation.passwords_differ', path: ['confirm'] })

export const ChangeEmailSchema = z.object({
  intent: z.literal('change-email'),
  email: EmailField,
  currentPassword: z.string({ error: 'validation.required' }).min(1, 'validation.required').max(PASSWORD_MAX),
})

export const PreferencesSchema = z.object({
  intent: z.literal('preferences'),
  displayName: DisplayNameField,
  locale: z.enum(['en', 'ja'], { error: 'validation.required' }),
  timeZone: z.string({ error: 'validation.required' }).min(1, 'validation.required').max(64),
})

export const RoleSchema = z.enum(roles, { error: 'validation.invalid_choice' })

/** An id chosen in a select; the empty option means none. */
function optionalId(message: string) {
  return z
    .string()
    .optional()
    .transform((v) => (v ? Number(v) : null))
    .pipe(z.number({ error: message }).int().positive(message).nullable())
}

// The three forms of an admin's user page; the hidden `intent` field says which one was sent.
export const RoleFormSchema = z.object({ intent: z.literal('role'), role: RoleSchema })
export const StatusFormSchema = z.object({ intent: z.enum(['disable', 'enable']) })
export const VerifyEmailFormSchema = z.object({ intent: z.literal('verify-email') })
export const UserAccountFormSchema = z.object({
  intent: z.literal('account'),
  accountId: optionalId('admin.account_not_found'),
})

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'validation.too_long')
    .optional()
    .transform((v) => (v ? v : null))

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date_invalid')
      .refine(isDay, 'validation.date_invalid')
      .nullable(),
  )

const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/

/** "example.com, example.co.jp" → ["example.com", "example.co.jp"]; each must look like a domain. */
export const DomainsField = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(/[\s,;]+/)
      .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string())
      .max(20, 'validation.too_many_domains')
      // Checked on the whole list, so the error belongs to the field rather than to one item.
      .refine((domains) => domains.every((d) => DOMAIN_PATTERN.test(d)), 'validation.domain_invalid'),
  )

export const AccountSchema = z.object({
  name: z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').max(120, 'validation.too_long'),
  domains: DomainsField,
  plan: optionalText(60),
  /** ARR in major units as typed ("12000000" or "12,000,000.50"); converted to minor units by the domain. */
  arr: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.replace(/[,_\s]/g, '') : null))
    .pipe(
      z
        .string()
        .regex(/^\d{1,13}(\.\d{1,2})?$/, 'validation.amount_invalid')
        .nullable(),
    ),
  arrCurrency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'validation.currency_invalid')
    .default('JPY'),
  seats: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(
      z
        .string()
        .regex(/^\d{1,7}$/, 'validation.seats_invalid')
        .transform(Number)
        .nullable(),
    ),
  contractStart: optionalDate,
  renewalDate: optionalDate,
  csmUserId: optionalId('validation.invalid_choice'),
  touchTierOverride: z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.enum(['high', 'low', 'tech'], { error: 'validation.invalid_choice' }).nullable()),
})
export type AccountInput = z.infer<typeof AccountSchema>

/** Which accounts a list shows: those not churned (the default), the churned ones, or all. */
export const accountStatuses = ['active', 'churned', 'all'] as const
export type AccountStatusFilter = (typeof accountStatuses)[number]
