import { z } from 'zod'

// Messages are catalogue keys; the UI translates them. Shared by the browser (conform) and the server.

export const emailNotificationModes = ['each', 'digest', 'none'] as const
export type EmailNotificationMode = (typeof emailNotificationModes)[number]

/** The "Email notifications" section of the settings page. */
export const EmailNotificationsSchema = z.object({
  intent: z.literal('email-notifications'),
  mode: z.enum(emailNotificationModes, { error: 'validation.invalid_choice' }),
})

/** The forms of the notifications page: open one notification (marking it read), or mark all read. */
export const NotificationActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read'), id: z.coerce.number().int().positive().max(2_147_483_647) }),
  z.object({ intent: z.literal('read-all') }),
])
