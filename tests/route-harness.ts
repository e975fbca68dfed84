import { RouterContextProvider } from 'react-router'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import type { Locale } from '#app/lib/i18n.ts'
import { databaseContext, localeContext, sessionContext } from '#app/server/context.ts'
import { database } from '#tests/db.ts'

// Calling a route's loader or action directly, as React Router would: the context root middleware
// sets, and what came back, whether returned or thrown.

/** The request context of a signed-in user (or a visitor, with null) reading in `locale`. */
export function routeContext(user: SessionUser | null, locale: Locale = 'en'): RouterContextProvider {
  const provider = new RouterContextProvider()
  provider.set(databaseContext, database)
  provider.set(localeContext, locale)
  provider.set(sessionContext, user ? { user, sessionId: 'test' } : null)
  return provider
}

export type Settled = {
  status: number
  headers: Headers
  location: string | null
  /** A Response's bytes and text (a file, a redirect's empty body), else null and ''. */
  bytes: Uint8Array | null
  text: string
  /** The data a loader or action gave (a data() wrapper's too), or a JSON Response's parsed body. */
  body: unknown
}

/** What a loader or action answered: a Response (a file or a redirect), a thrown data() with its
 *  status, or plain data. */
export async function settle(run: () => unknown): Promise<Settled> {
  let result: unknown
  try {
    result = await run()
  } catch (thrown) {
    result = thrown
  }
  if (result instanceof Response) {
    const bytes = new Uint8Array(await result.arrayBuffer())
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    let body: unknown = null
    if (result.headers.get('Content-Type')?.includes('json')) body = JSON.parse(text)
    return {
      status: result.status,
      headers: result.headers,
      location: result.headers.get('Location'),
      bytes,
      text,
      body,
    }
  }
  if (result && typeof result === 'object' && 'init' in result && 'data' in result) {
    const wrapped = result as { init?: { status?: number; headers?: HeadersInit }; data: unknown }
    return {
      status: wrapped.init?.status ?? 200,
      headers: new Headers(wrapped.init?.headers),
      location: null,
      bytes: null,
      text: '',
      body: wrapped.data,
    }
  }
  return { status: 200, headers: new Headers(), location: null, bytes: null, text: '', body: result }
}
