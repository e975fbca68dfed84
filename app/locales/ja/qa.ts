import type { qa as en } from '../en/qa.ts'
import type { Catalogue } from '../types.ts'

export const qa: Catalogue<typeof en> = {
  qa: {},
}
