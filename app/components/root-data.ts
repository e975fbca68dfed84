import { useRouteLoaderData } from 'react-router'
import type { Role } from '#app/domain/identity/permissions.ts'
import type { Locale } from '#app/lib/i18n.ts'

// What the root loader (app/root.tsx) gives every page, declared here so components can read it without
// importing the root route (components sit below routes: docs/architecture.md section 3). The loader's
// return value is checked against this type.

/** The signed-in reader as the header and pages need them; null for a visitor. */
export type RootUser = {
  id: number
  displayName: string
  role: Role
  canAdmin: boolean
  canModerate: boolean
  canManage: boolean
  email: string
  emailVerified: boolean
  /** When their picture last changed; null: initials. */
  avatarUpdatedAt: Date | null
}

export type RootData = { locale: Locale; timeZone: string; user: RootUser | null; unreadNotifications: number }

/** The root loader's data; undefined where it has not answered (an error page). */
export function useRootData(): RootData | undefined {
  return useRouteLoaderData('root') as RootData | undefined
}

/** How the reader sees dates and numbers. */
export type Viewer = { locale: Locale; timeZone: string }

/** The reader's language and time zone, as the root loader chose them: a member's settings, else the
 *  request's language and the zone the browser reported. English and UTC where the root loader has not
 *  answered. */
export function useViewer(): Viewer {
  const root = useRootData()
  return { locale: root?.locale ?? 'en', timeZone: root?.timeZone ?? 'UTC' }
}
