import type { events_registration as en } from '../en/events-registration.ts'
import type { Catalogue } from '../types.ts'

export const events_registration: Catalogue<typeof en> = {
  events_registration: {},
}
