import { createContext } from 'react-router'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import type { Database } from '#db/client.server.ts'
import type { Locale } from './i18n.ts'

// Request-scoped values that root middleware sets and loaders, actions and entry.server read.
export const databaseContext = createContext<Database>()
export const sessionContext = createContext<{ user: SessionUser; sessionId: string } | null>(null)
export const localeContext = createContext<Locale>('en')
export const nonceContext = createContext<string>('')
/** Set by the Node server from the socket (or X-Forwarded-For behind a trusted proxy). */
export const clientIpContext = createContext<string>('unknown')
