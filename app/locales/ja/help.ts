import type { help as en } from '../en/help.ts'
import type { Catalogue } from '../types.ts'

export const help: Catalogue<typeof en> = {
  help: {},
}
