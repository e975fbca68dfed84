import { admin } from './admin.ts'
import { common } from './common.ts'
import { identity } from './identity.ts'
import { notify } from './notify.ts'
import { profile } from './profile.ts'
import { qa } from './qa.ts'

export const en = { ...common, ...identity, ...admin, ...qa, ...notify, ...profile }
