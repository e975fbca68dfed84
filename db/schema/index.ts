export * from './activity.ts'
export * from './identity.ts'
export * from './notify.ts'
