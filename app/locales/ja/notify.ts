import type { notify as en } from '../en/notify.ts'
import type { Catalogue } from '../types.ts'

export const notify: Catalogue<typeof en> = {
  notify: {},
}
