import { admin } from './admin.ts'
import { common } from './common.ts'
import { identity } from './identity.ts'

export const en = { ...common, ...identity, ...admin }
