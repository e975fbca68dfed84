import { z } from 'zod'
import { kindRules, type NotificationChannel, type NotificationKind, notificationKinds } from './kinds.ts'

// Messages are catalogue keys; the UI translates them. Shared by the browser (conform) and the server.

/** The kinds a member chooses a channel for; the others always come by email. */
export const choosableKinds = notificationKinds.filter((kind) => kindRules[kind].allowed.length > 1)

/** The form of /settings/notifications: one field per choosable kind, named after the kind, holding
 *  one of that kind's channels. A kind left out keeps its channel. */
export const NotificationSettingsSchema = z.object(
  Object.fromEntries(
    choosableKinds.map((kind) => [
      kind,
      z
        .enum(kindRules[kind].allowed as [NotificationChannel, ...NotificationChannel[]], {
          error: 'validation.invalid_choice',
        })
        .optional(),
    ]),
  ) as Record<NotificationKind, z.ZodOptional<z.ZodEnum<Record<NotificationChannel, NotificationChannel>>>>,
)
export type NotificationSettingsInput = Partial<Record<NotificationKind, NotificationChannel>>

/** The forms of the notifications page: open one notification (marking it read), or mark all read. */
export const NotificationActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read'), id: z.coerce.number().int().positive().max(2_147_483_647) }),
  z.object({ intent: z.literal('read-all') }),
])
