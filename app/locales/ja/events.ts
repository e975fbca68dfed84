import type { events as en } from '../en/events.ts'
import type { Catalogue } from '../types.ts'

export const events: Catalogue<typeof en> = {
  events: {},
}
