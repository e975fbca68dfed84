import type { help_browse as en } from '../en/help-browse.ts'
import type { Catalogue } from '../types.ts'

export const help_browse: Catalogue<typeof en> = {
  help_browse: {},
}
