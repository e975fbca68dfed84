import { createContext, type RouterContextProvider } from 'react-router'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import type { Locale } from '#app/lib/i18n.ts'
import type { Database } from '#db/client.server.ts'

// Request-scoped values that root middleware sets and loaders, actions and entry.server read.
export const databaseContext = createContext<Database>()
export const sessionContext = createContext<{ user: SessionUser; sessionId: string } | null>(null)
export const localeContext = createContext<Locale>('en')
export const nonceContext = createContext<string>('')
/** Set by the Node server from the socket (or X-Forwarded-For behind a trusted proxy). */
export const clientIpContext = createContext<string>('unknown')

/** The database handle of this request, for loaders and actions to pass to domain functions. */
export function getDb(context: Readonly<RouterContextProvider>) {
  return context.get(databaseContext).db
}
