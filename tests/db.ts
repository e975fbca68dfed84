import { openTestDatabase } from './setup/test-database.ts'

/** This test file's database (see tests/setup/test-database.ts). Importing it opens the database. */
export const database = await openTestDatabase()
export const db = database.db
