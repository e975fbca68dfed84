export * from './identity.ts'
export * from './qa.ts'
