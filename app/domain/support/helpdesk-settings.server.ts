import { z } from 'zod'
import { toMinorUnits } from '#app/domain/identity/accounts.server.ts'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { type WebhookReceiver, webhookSettingKeys } from '#app/domain/notify/webhook-receivers.server.ts'
import { generateWebhookSecret } from '#app/domain/notify/webhooks.server.ts'
import { currencyDigits } from '#app/lib/format.ts'
import { checkOutboundUrl, redactUrl, type UrlRefusal } from '#app/lib/outbound.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import type { WebhookTarget } from '#db/schema/support.ts'
import {
  type CostPerTicket,
  type CrmSettings,
  type HelpdeskSettings,
  readCostPerTicket,
  readCrmSettings,
  readHelpdeskSettings,
  writeCostPerTicket,
  writeCrmSettings,
  writeHelpdeskSettings,
} from './settings.server.ts'

const URL_MAX = 2000
const EMAIL_MAX = 254
/** An address a mail server accepts: one @, a dot in the domain, no spaces or angle brackets. */
const EMAIL_PATTERN = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/

/** Empty (or blank) inputs mean "not set". */
function blankToUndefined(value: unknown) {
  return value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

/** An ISO 4217 code this runtime can format (a well-formed but unknown code like "ABC" is refused). */
function isKnownCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code)
}

/** A webhook address: empty for none, otherwise http or https. */
const webhookUrlField = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .max(URL_MAX, 'support_helpdesk.validation.url_too_long')
    .refine(isHttpUrl, 'support_helpdesk.validation.url_invalid')
    .optional(),
)

/** Where tickets go. Each may be left empty; the webhook must be http or https. */
export const HandOffSettingsSchema = z.object({
  webhookUrl: webhookUrlField,
  supportEmail: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(EMAIL_MAX, 'validation.email_invalid')
      .regex(EMAIL_PATTERN, 'validation.email_invalid')
      .optional(),
  ),
})
export type HandOffSettingsInput = { webhookUrl?: string | null; supportEmail?: string | null }

/** The cost of one ticket as typed: an amount in major units ("2,500", "12.50") and an ISO currency. */
export const CostSettingsSchema = z
  .object({
    amount: z.preprocess(
      blankToUndefined,
      z
        .string({ error: 'support_helpdesk.validation.amount_required' })
        .trim()
        .transform((value) => value.replace(/[,_\s]/g, ''))
        .pipe(z.string().regex(/^\d{1,12}(\.\d+)?$/, 'validation.amount_invalid')),
    ),
    currency: z
      .string({ error: 'validation.currency_invalid' })
      .trim()
      .toUpperCase()
      .refine(isKnownCurrency, 'validation.currency_invalid'),
  })
  .transform((value, ctx) => {
    const amountMinor = toMinorUnits(value.amount, value.currency)
    if (amountMinor === null || !Number.isSafeInteger(amountMinor)) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: 'support_helpdesk.validation.amount_decimals',
      })
      return z.NEVER
    }
    return { amountMinor, currency: value.currency } satisfies CostPerTicket
  })

const urlRefusals: Record<UrlRefusal, string> = {
  invalid: 'support_helpdesk.validation.url_invalid',
  scheme: 'support_helpdesk.validation.url_invalid',
  credentials: 'support_helpdesk.validation.url_credentials',
  refused_address: 'support_helpdesk.validation.url_private',
}

/** The failure of a webhook URL that may not be saved, or null when it may (or when none is given).
 *  Requests to it are checked again when they connect; this check tells the admin at once. */
async function refuseWebhookUrl(url: string | undefined, actor: SessionUser, target: WebhookTarget) {
  if (!url) return null
  const check = await checkOutboundUrl(url)
  if (check.ok) return null
  if (check.reason === 'refused_address' || check.reason === 'credentials') {
    // Someone with the admin's session tried to aim the server inward: a line for whoever reads the log.
    console.warn(`[support] ${target} webhook URL refused for user ${actor.id}: ${check.reason}`)
  }
  return fail(400, urlRefusals[check.reason], { field: 'webhookUrl' })
}

/** The first problem of a form as a failure next to its field. */
function firstIssue(error: z.ZodError) {
  const issue = error.issues[0]!
  return fail(400, issue.message, { field: issue.path.map(String).join('.') || undefined })
}

/** A receiver's settings form (the helpdesk's or the CRM's), parsed, with its URL allowed; or the
 *  failure to answer with. Admins (`support.configure`) only. */
async function checkReceiverForm<T extends { webhookUrl?: string }>(
  actor: SessionUser,
  target: WebhookTarget,
  schema: z.ZodType<T>,
  input: unknown,
): Promise<Outcome<T>> {
  if (!can(actor, 'support.configure')) return fail(403, 'errors.forbidden')
  const parsed = schema.safeParse(input)
  if (!parsed.success) return firstIssue(parsed.error)
  return (await refuseWebhookUrl(parsed.data.webhookUrl, actor, target)) ?? ok(parsed.data)
}

/** A receiver after a save: the URL given (none turns it off) and its signing secret, made when a URL
 *  is set for the first time, so every delivery is signed, and kept by later saves. */
function savedReceiver(before: WebhookReceiver, webhookUrl: string | undefined): WebhookReceiver {
  return {
    webhookUrl: webhookUrl ?? null,
    webhookSecret: before.webhookSecret ?? (webhookUrl ? generateWebhookSecret() : null),
  }
}

/** What a save's audit entry says of the secret: that it was created, never its value. */
function secretAudit(before: WebhookReceiver, after: WebhookReceiver) {
  return before.webhookSecret !== after.webhookSecret ? { secretCreated: true } : {}
}

/** The amount as an admin types it back: the minor units in major units, e.g. 1250 USD → "12.50". */
export function costAmountText(cost: CostPerTicket): string {
  const digits = currencyDigits(cost.currency)
  if (digits === 0) return String(cost.amountMinor)
  const text = String(cost.amountMinor).padStart(digits + 1, '0')
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`
}

/** Saves the webhook URL and the support address (either may be cleared). The URL must be http(s)
 *  without credentials, to a public address unless WEBHOOKS_ALLOW_PRIVATE is on. Setting a webhook for
 *  the first time also creates its signing secret, so every delivery is signed. Admins
 *  (`support.configure`); audited with the old and new values (never the secret). */
export async function saveHandOffSettings(
  db: Db,
  { actor, input }: { actor: SessionUser; input: HandOffSettingsInput },
): Promise<Outcome<HelpdeskSettings>> {
  const form = await checkReceiverForm(actor, 'helpdesk', HandOffSettingsSchema, input)
  if (!form.ok) return form
  return db.transaction(async (tx) => {
    const before = await readHelpdeskSettings(tx)
    const after: HelpdeskSettings = {
      ...savedReceiver(before, form.value.webhookUrl),
      supportEmail: form.value.supportEmail ?? null,
    }
    await writeHelpdeskSettings(tx, after, actor.id)
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'support.helpdesk_changed',
      targetType: 'setting',
      targetId: 'support.helpdesk',
      details: {
        from: { webhookUrl: redactUrl(before.webhookUrl), supportEmail: before.supportEmail },
        to: { webhookUrl: after.webhookUrl, supportEmail: after.supportEmail },
        ...secretAudit(before, after),
      },
    })
    return ok(after)
  })
}

/** Where `health.changed` goes: the CRM's webhook, or empty to stop notifying the CRM. */
export const CrmSettingsSchema = z.object({ webhookUrl: webhookUrlField })
export type CrmSettingsInput = { webhookUrl?: string | null }

/** Saves the CRM webhook URL (empty turns the notifications off), checked as the helpdesk's is
 *  (`saveHandOffSettings`). Setting it for the first time also creates the CRM's own signing secret,
 *  so every delivery is signed. Admins (`support.configure`); audited with the old and new URL (never
 *  the secret). */
export async function saveCrmSettings(
  db: Db,
  { actor, input }: { actor: SessionUser; input: CrmSettingsInput },
): Promise<Outcome<CrmSettings>> {
  const form = await checkReceiverForm(actor, 'crm', CrmSettingsSchema, input)
  if (!form.ok) return form
  return db.transaction(async (tx) => {
    const before = await readCrmSettings(tx)
    const after: CrmSettings = savedReceiver(before, form.value.webhookUrl)
    await writeCrmSettings(tx, after, actor.id)
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'crm.settings_changed',
      targetType: 'setting',
      targetId: webhookSettingKeys.crm,
      details: {
        from: { webhookUrl: redactUrl(before.webhookUrl) },
        to: { webhookUrl: after.webhookUrl },
        ...secretAudit(before, after),
      },
    })
    return ok(after)
  })
}

/** Replaces the signing secret of one webhook target (the helpdesk's unless told). Deliveries from now
 *  on are signed with the new one, so the receiver must be given it too. Admins; audited (without the
 *  secret). Answers the target's settings. */
export async function rotateWebhookSecret(
  db: Db,
  { actor, target = 'helpdesk' }: { actor: SessionUser; target?: WebhookTarget },
): Promise<Outcome<{ webhookUrl: string | null; webhookSecret: string }>> {
  if (!can(actor, 'support.configure')) return fail(403, 'errors.forbidden')
  return db.transaction(async (tx) => {
    const webhookSecret = generateWebhookSecret()
    let replaced: boolean
    let webhookUrl: string | null
    if (target === 'crm') {
      const before = await readCrmSettings(tx)
      await writeCrmSettings(tx, { ...before, webhookSecret }, actor.id)
      replaced = before.webhookSecret !== null
      webhookUrl = before.webhookUrl
    } else {
      const before = await readHelpdeskSettings(tx)
      await writeHelpdeskSettings(tx, { ...before, webhookSecret }, actor.id)
      replaced = before.webhookSecret !== null
      webhookUrl = before.webhookUrl
    }
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'support.webhook_secret_rotated',
      targetType: 'setting',
      targetId: webhookSettingKeys[target],
      details: { target, replaced },
    })
    return ok({ webhookUrl, webhookSecret })
  })
}

const CostValue = z.object({
  amountMinor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .refine(isKnownCurrency),
})

/** Saves the cost of one ticket (minor units of an ISO 4217 currency; `CostSettingsSchema` turns the
 *  form into one), which turns deflections into money saved. Managers (`support.cost`); audited with
 *  the old and new value. */
export async function saveCostPerTicket(
  db: Db,
  { actor, cost }: { actor: SessionUser; cost: CostPerTicket },
): Promise<Outcome<CostPerTicket>> {
  if (!can(actor, 'support.cost')) return fail(403, 'errors.forbidden')
  const parsed = CostValue.safeParse(cost)
  if (!parsed.success) {
    const field = parsed.error.issues[0]!.path[0] === 'currency' ? 'currency' : 'amount'
    return fail(400, field === 'currency' ? 'validation.currency_invalid' : 'validation.amount_invalid', { field })
  }
  const value = { amountMinor: parsed.data.amountMinor, currency: parsed.data.currency }
  return db.transaction(async (tx) => {
    const before = await readCostPerTicket(tx)
    await writeCostPerTicket(tx, value, actor.id)
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'support.cost_changed',
      targetType: 'setting',
      targetId: 'support.cost_per_ticket',
      details: { from: before, to: value },
    })
    return ok(value)
  })
}
