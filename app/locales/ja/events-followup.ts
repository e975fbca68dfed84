import type { events_followup as en } from '../en/events-followup.ts'
import type { Catalogue } from '../types.ts'

export const events_followup: Catalogue<typeof en> = {
  events_followup: {},
}
