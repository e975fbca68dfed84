import { readdirSync, rmSync } from 'node:fs'
import path from 'node:path'

/** Deletes the databases of earlier e2e runs. The server of this run is already up (Playwright starts
 *  its webServer before global setup) and uses data/e2e-<E2E_RUN_ID>, which stays. */
export default function globalSetup() {
  const dataDir = path.resolve('data')
  const current = `e2e-${process.env.E2E_RUN_ID}`
  let entries: string[] = []
  try {
    entries = readdirSync(dataDir)
  } catch {
    return
  }
  for (const entry of entries) {
    if (entry.startsWith('e2e') && entry !== current)
      rmSync(path.join(dataDir, entry), { recursive: true, force: true })
  }
}
