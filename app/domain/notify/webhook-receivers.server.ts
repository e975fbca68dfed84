import { z } from 'zod'
import { readSetting } from '#app/lib/settings.server.ts'
import type { Db } from '#db/client.server.ts'
import type { WebhookTarget } from '#db/schema/support.ts'

/** What every webhook receiver keeps among the settings: its URL (null when turned off) and the
 *  HMAC-SHA256 key that signs its deliveries (the receiver keeps the same value to check
 *  `X-Signature`). Each target has its own secret, so neither receiver can forge the other's. */
export type WebhookReceiver = { webhookUrl: string | null; webhookSecret: string | null }

export const WebhookReceiverValue = z.object({
  webhookUrl: z.string().nullable(),
  webhookSecret: z.string().nullable(),
})

const noReceiver: WebhookReceiver = { webhookUrl: null, webhookSecret: null }

/** The setting each target's receiver is kept in. The caller that owns a setting may keep more in it
 *  (the helpdesk's also holds the support address); the engine reads only the receiver. */
export const webhookSettingKeys: Record<WebhookTarget, string> = { helpdesk: 'support.helpdesk', crm: 'crm.sync' }

/** A webhook receiver as configured now: its URL (null when turned off) and signing secret. */
export type WebhookEndpoint = { url: string | null; secret: string | null }

/** The current URL and secret of a target's receiver. Deliveries are signed with the secret in force
 *  when they are tried, and a retry goes to the URL in force then. */
export async function readWebhookEndpoint(db: Db, target: WebhookTarget): Promise<WebhookEndpoint> {
  const receiver = await readWebhookReceiver(db, target)
  return { url: receiver.webhookUrl, secret: receiver.webhookSecret }
}

/** A target's stored receiver; neither URL nor secret when none is stored. */
export function readWebhookReceiver(db: Db, target: WebhookTarget): Promise<WebhookReceiver> {
  return readSetting(db, webhookSettingKeys[target], WebhookReceiverValue, noReceiver)
}
