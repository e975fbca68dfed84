import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/** A short hash of the migrations, so a template database is rebuilt exactly when they change. */
export function migrationsHash(): string {
  const dir = resolve('db/migrations')
  const hash = createHash('sha256')
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.sql')) hash.update(file).update(readFileSync(resolve(dir, file)))
  }
  return hash.digest('hex').slice(0, 12)
}

export const pgliteTemplatePath = (hash: string) => resolve(`data/test/pglite-template-${hash}.tar`)
export const postgresTemplateName = (hash: string) => `ct_template_${hash}`

/** The same server, another database name. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}
