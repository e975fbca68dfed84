import { z } from 'zod'
import {
  readWebhookReceiver,
  type WebhookReceiver,
  WebhookReceiverValue,
  webhookSettingKeys,
} from '#app/domain/notify/webhook-receivers.server.ts'
import { readSetting, writeSetting } from '#app/lib/settings.server.ts'
import type { Db } from '#db/client.server.ts'

/** Where tickets go: a webhook signed with HMAC-SHA256, an email to the support address, both or
 *  neither (then tickets wait in the app for the helpdesk API or an export). Admins set it. */
export type HelpdeskSettings = WebhookReceiver & { supportEmail: string | null }

const HelpdeskSettingsValue = WebhookReceiverValue.extend({ supportEmail: z.string().nullable() })

export const defaultHelpdeskSettings: HelpdeskSettings = { webhookUrl: null, webhookSecret: null, supportEmail: null }
const HELPDESK_KEY = webhookSettingKeys.helpdesk

export function readHelpdeskSettings(db: Db): Promise<HelpdeskSettings> {
  return readSetting(db, HELPDESK_KEY, HelpdeskSettingsValue, defaultHelpdeskSettings)
}

/** Stores the helpdesk settings. Callers validate, check permission and audit. */
export function writeHelpdeskSettings(db: Db, value: HelpdeskSettings, actorId: number) {
  return writeSetting(db, { key: HELPDESK_KEY, value, actorId })
}

/** Where `health.changed` goes when an account changes band: the CRM's webhook, signed with its own
 *  secret (never the helpdesk's, so neither receiver can forge the other's deliveries). Admins set it;
 *  no URL means no notifications. */
export type CrmSettings = WebhookReceiver

export function readCrmSettings(db: Db): Promise<CrmSettings> {
  return readWebhookReceiver(db, 'crm')
}

/** Stores the CRM settings. Callers validate, check permission and audit. */
export function writeCrmSettings(db: Db, value: CrmSettings, actorId: number) {
  return writeSetting(db, { key: webhookSettingKeys.crm, value, actorId })
}

/** What one ticket costs the company to handle, in minor units of its currency (docs/architecture.md section 7:
 *  2,500 JPY by default). A manager setting; cost saved = deflections × this. */
export type CostPerTicket = { amountMinor: number; currency: string }

const CostPerTicketValue = z.object({
  amountMinor: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
})

export const defaultCostPerTicket: CostPerTicket = { amountMinor: 2500, currency: 'JPY' }
const COST_KEY = 'support.cost_per_ticket'

export function readCostPerTicket(db: Db): Promise<CostPerTicket> {
  return readSetting(db, COST_KEY, CostPerTicketValue, defaultCostPerTicket)
}

/** Stores the cost per ticket. Callers validate, check permission and audit. */
export function writeCostPerTicket(db: Db, value: CostPerTicket, actorId: number) {
  return writeSetting(db, { key: COST_KEY, value, actorId })
}
