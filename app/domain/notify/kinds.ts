// The kinds of notification a member receives and the channels each may go by. Plain (no server code):
// the settings page and the server read the same rules.

/** Every kind, in the order of `notification_type` (db/schema/notify.ts). */
export const notificationKinds = [
  'answer',
  'comment',
  'accepted',
  'mention',
  'event_registered',
  'event_waitlisted',
  'event_promoted',
  'event_changed',
  'event_cancelled',
  'event_recording',
  'support_received',
  'support_updated',
] as const
export type NotificationKind = (typeof notificationKinds)[number]

/** `in_app`: only the notifications page; `email`: there and an email at once; `digest`: there and in
 *  the digest email; `none`: nowhere. */
export const notificationChannels = ['email', 'digest', 'in_app', 'none'] as const
export type NotificationChannel = (typeof notificationChannels)[number]

const ALL = notificationChannels
/** Kinds that change where the member must be (a seat given, an event moved or called off) always
 *  arrive by email; the member cannot turn them off, so their emails carry no unsubscribe link. */
const EMAIL_ONLY = ['email'] as const

export type KindRule = {
  group: 'questions' | 'events' | 'support'
  default: NotificationChannel
  allowed: readonly NotificationChannel[]
}

export const kindRules: Record<NotificationKind, KindRule> = {
  answer: { group: 'questions', default: 'email', allowed: ALL },
  comment: { group: 'questions', default: 'email', allowed: ALL },
  accepted: { group: 'questions', default: 'email', allowed: ALL },
  mention: { group: 'questions', default: 'email', allowed: ALL },
  event_registered: { group: 'events', default: 'email', allowed: ALL },
  event_waitlisted: { group: 'events', default: 'email', allowed: ALL },
  event_promoted: { group: 'events', default: 'email', allowed: EMAIL_ONLY },
  event_changed: { group: 'events', default: 'email', allowed: EMAIL_ONLY },
  event_cancelled: { group: 'events', default: 'email', allowed: EMAIL_ONLY },
  event_recording: { group: 'events', default: 'email', allowed: ALL },
  support_received: { group: 'support', default: 'email', allowed: ALL },
  support_updated: { group: 'support', default: 'email', allowed: ALL },
}

export const kindGroups = ['questions', 'events', 'support'] as const

/** The kinds of a group, in the settings page's order. */
export function kindsOf(group: KindRule['group']): NotificationKind[] {
  return notificationKinds.filter((kind) => kindRules[kind].group === group)
}

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === 'string' && (notificationKinds as readonly string[]).includes(value)
}

export function channelAllowed(kind: NotificationKind, channel: NotificationChannel): boolean {
  return kindRules[kind].allowed.includes(channel)
}

/** Whether the member may stop this kind's emails (then its emails carry List-Unsubscribe). */
export function canTurnOffEmail(kind: NotificationKind): boolean {
  return channelAllowed(kind, 'in_app')
}
