import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { hash, verify } from '@node-rs/argon2'

// OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane.
// algorithm 2 is Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const options = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/** A hash of nothing in particular, verified against when the email is unknown, so a failed sign-in
 *  takes as long whether or not the account exists. */
let decoyHash: Promise<string> | undefined
export async function verifyDecoy(password: string): Promise<void> {
  decoyHash ??= hashPassword('decoy password that never matches')
  await verifyPassword(await decoyHash, password)
}

let common: Set<string> | undefined

/** True when the password is on the shipped list of the 10,000 most common passwords of 8+ characters
 *  (from zxcvbn-ts's frequency list), compared case-insensitively. */
export function isCommonPassword(password: string): boolean {
  if (!common) {
    const file = resolve(process.env.COMMON_PASSWORDS_FILE ?? 'app/domain/identity/common-passwords.txt')
    common = new Set(
      readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    )
  }
  return common.has(password.toLowerCase())
}
