import type { Locale } from '#app/lib/i18n.ts'

export const roles = ['member', 'staff', 'manager', 'admin'] as const
export type Role = (typeof roles)[number]

/** The signed-in user as every domain function sees it. */
export type SessionUser = {
  id: number
  email: string
  displayName: string
  role: Role
  accountId: number | null
  locale: Locale
  timeZone: string
  /** The owner proved the address is theirs. Until then they read, and nothing they do counts. */
  emailVerified: boolean
  /** When their picture last changed (null: initials), for the header; absent where no session was read. */
  avatarUpdatedAt?: Date | null
}

/** Each capability names the lowest role that has it; roles are ordered member < staff < manager < admin. */
const capabilities = {
  'users.view': 'staff',
  'users.reassign_account': 'staff',
  'users.change_role': 'admin',
  'users.disable': 'admin',
  /** Confirm a member's email address by hand. */
  'users.verify_email': 'admin',
  'accounts.view': 'staff',
  'accounts.manage': 'admin',
  'audit.view': 'admin',
  'mail.view': 'admin',
  /** Single sign-on providers (OpenID Connect): add, edit, disable, delete. */
  'sso.configure': 'admin',
  /** Upload limits (largest file, allowed types, quota, uploads per hour) and usage figures. */
  'uploads.configure': 'admin',
  /** The background job queues: counts by state, failed jobs, retrying one. */
  'jobs.view': 'admin',
  'admin.area': 'staff',
  /** Hide, lock, delete, mark duplicates, work the flag queue. */
  'qa.moderate': 'staff',
  /** Edit anyone's question or answer, accept an answer on anyone's question. */
  'qa.edit_any': 'staff',
  /** Rename and merge tags (/tags/manage). */
  'qa.manage_tags': 'staff',
  /** Write, publish, archive and restore help articles; see drafts. */
  'help.write': 'staff',
  /** Create, rename and order help categories and sections. */
  'help.manage': 'staff',
  /** Help-center insights: views, feedback, articles due for review. */
  'help.insights': 'staff',
  /** Create, publish, edit and cancel events; attendance, survey results, registrant lists. */
  'events.manage': 'staff',
  /** See every member's engagement points (members see their own). */
  'profiles.view_points': 'staff',
  /** Search insights (top queries, content gaps). */
  'search.insights': 'staff',
  /** Read any member's ticket, the webhook delivery log; retry a failed delivery. */
  'support.view_tickets': 'staff',
  /** Support insights: attempts, outcomes, deflection figures per account. */
  'support.insights': 'staff',
  /** Import tickets filed elsewhere from CSV. */
  'support.import': 'staff',
  /** The cost of one ticket, which turns deflections into money saved. */
  'support.cost': 'manager',
  /** Helpdesk hand-off (webhook, support address) and API tokens. */
  'support.configure': 'admin',
  /** The manager's view: deflection, community and health dashboards, account pages, CSV exports.
   *  Staff read it; nothing on it changes anything. */
  'manage.dashboard': 'staff',
  /** Scoring settings (points, half-life, caps, bands, weights, tiers, cost per ticket). */
  'manage.settings': 'manager',
  /** A new member's first steps and welcome email (/manage/onboarding). */
  'onboarding.manage': 'staff',
} as const satisfies Record<string, Role>

export type Capability = keyof typeof capabilities

const rank: Record<Role, number> = { member: 0, staff: 1, manager: 2, admin: 3 }

export function hasRole(user: Pick<SessionUser, 'role'> | null | undefined, role: Role): boolean {
  return !!user && rank[user.role] >= rank[role]
}

export function can(user: Pick<SessionUser, 'role'> | null | undefined, capability: Capability): boolean {
  return hasRole(user, capabilities[capability])
}

export function isStaffRole(role: Role): boolean {
  return role !== 'member'
}
