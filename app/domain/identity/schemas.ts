import { z } from 'zod'
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

export const PreferencesSchema = z.object({
  intent: z.literal('preferences'),
  displayName: DisplayNameField,
  locale: z.enum(['en', 'ja'], { error: 'validation.required' }),
  timeZone: z.string({ error: 'validation.required' }).min(1, 'validation.required').max(64),
})

export const RoleSchema = z.enum(roles, { error: 'validation.required' })

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
      .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'validation.date_invalid')
      .nullable(),
  )

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
      .array(
        z
          .string()
          .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'validation.domain_invalid'),
      )
      .max(20, 'validation.too_many_domains'),
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
  csmUserId: z
    .string()
    .optional()
    .transform((v) => (v ? Number(v) : null))
    .pipe(z.number().int().positive().nullable()),
  touchTierOverride: z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.enum(['high', 'low', 'tech']).nullable()),
})
export type AccountInput = z.infer<typeof AccountSchema>
