import type { profile as en } from '../en/profile.ts'
import type { Catalogue } from '../types.ts'

export const profile: Catalogue<typeof en> = {
  profile: {},
}
