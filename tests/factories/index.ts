export * from './events.ts'
export * from './help.ts'
export * from './identity.ts'
export * from './qa.ts'
