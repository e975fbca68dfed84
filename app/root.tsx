import { useTranslation } from 'react-i18next'
import {
  data,
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
} from 'react-router'
import { useNonce } from '#app/components/nonce.tsx'
import { type RootData, useRootData } from '#app/components/root-data.ts'
import { SiteHeader } from '#app/components/site-header.tsx'
import { TranslationScope, useT } from '#app/components/translation.tsx'
import { VerifyEmailBanner } from '#app/components/verify-email-banner.tsx'
import { can } from '#app/domain/identity/permissions.ts'
import { unreadCount } from '#app/domain/notify/notifications.server.ts'
import { readCookie } from '#app/lib/cookies.ts'
import { isTimeZone } from '#app/lib/format.ts'
import { isLocale, type Locale } from '#app/lib/i18n.ts'
import { databaseContext, localeContext, sessionContext } from '#app/server/context.ts'
import { retryAfterMiddleware } from '#app/server/http.server.ts'
import {
  databaseMiddleware,
  localeMiddleware,
  securityMiddleware,
  sessionMiddleware,
} from '#app/server/middleware.server.ts'
import { unavailableMiddleware } from '#app/server/unavailable.server.ts'
import type { Route } from './+types/root'
import stylesheet from './styles/app.css?url'

export const middleware: Route.MiddlewareFunction[] = [
  securityMiddleware,
  retryAfterMiddleware,
  ...unavailableMiddleware,
  databaseMiddleware,
  sessionMiddleware,
  localeMiddleware,
]

export const links: Route.LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request, context }: Route.LoaderArgs) {
  const session = context.get(sessionContext)
  const user = session?.user ?? null
  const browserZone = readCookie(request.headers.get('cookie'), TIME_ZONE_COOKIE)
  // One count over the partial index of unread rows, for the header's badge.
  const unreadNotifications = user ? await unreadCount(context.get(databaseContext).db, user.id) : 0
  return data({
    locale: context.get(localeContext),
    // Signed-in readers have a setting; visitors get the zone their browser reported (see TimeZoneHint).
    timeZone: user?.timeZone ?? (browserZone && isTimeZone(browserZone) ? browserZone : 'UTC'),
    user: user
      ? {
          id: user.id,
          displayName: user.displayName,
          role: user.role,
          canAdmin: can(user, 'admin.area'),
          canModerate: can(user, 'qa.moderate'),
          canManage: can(user, 'manage.dashboard'),
          email: user.email,
          emailVerified: user.emailVerified,
          avatarUpdatedAt: user.avatarUpdatedAt ?? null,
        }
      : null,
    unreadNotifications,
  } satisfies RootData)
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRootData()
  const nonce = useNonce()
  const { i18n, t } = useTranslation()
  // Without the root loader's data (an error page) the language is the one the server rendered in.
  const locale: Locale = root?.locale ?? (isLocale(i18n.language) ? i18n.language : 'en')
  if (i18n.language !== locale) void i18n.changeLanguage(locale)
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <TranslationScope>
          <a className="skip-link" href="#main">
            {t('nav.skip')}
          </a>
          <SiteHeader user={root?.user ?? null} locale={locale} unreadNotifications={root?.unreadNotifications ?? 0} />
          {root?.user && !root.user.emailVerified ? <VerifyEmailBanner email={root.user.email} /> : null}
          <main id="main" className="page">
            {children}
          </main>
          <footer className="site-footer">
            <p>{t('footer.tagline')}</p>
          </footer>
        </TranslationScope>
        <TimeZoneHint nonce={nonce} />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

const TIME_ZONE_COOKIE = 'tz'

/** Tells the server the browser's time zone for the next request, so visitors see times in their zone. */
function TimeZoneHint({ nonce }: { nonce: string }) {
  const script = `try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;if(z&&document.cookie.indexOf('${TIME_ZONE_COOKIE}='+encodeURIComponent(z))<0)document.cookie='${TIME_ZONE_COOKIE}='+encodeURIComponent(z)+';path=/;max-age=31536000;samesite=lax'}catch(e){}`
  // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, allowed by the CSP nonce
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: script }} />
}

export default function App() {
  return <Outlet />
}

/** The error pages with their own text (errors.page.*); any other status gets the generic one. */
const errorPageKeys: Record<number, string> = {
  400: 'bad_request',
  403: 'forbidden',
  405: 'method_not_allowed',
  413: 'bad_request',
  415: 'bad_request',
  404: 'not_found',
  429: 'rate_limited_page',
  503: 'unavailable',
}

export function ErrorBoundary() {
  const error = useRouteError()
  const { t } = useT()
  let status = 500
  let detail: string | null = null
  if (isRouteErrorResponse(error)) {
    status = error.status
    const payload = error.data as { message?: string } | string | undefined
    detail = typeof payload === 'string' ? payload : (payload?.message ?? null)
  } else if (error instanceof Error && import.meta.env.DEV) {
    detail = error.message
  }
  const key = errorPageKeys[status] ?? 'server'
  return (
    <section className="error-page" aria-labelledby="error-title">
      <title>{`${t(`errors.page.${key}.title`)} · ${t('app.name')}`}</title>
      <p className="error-code">{status}</p>
      <h1 id="error-title">{t(`errors.page.${key}.title`)}</h1>
      <p>{status === 404 || status >= 500 || !detail ? t(`errors.page.${key}.body`) : detail}</p>
      <p>
        <a href="/">{t('errors.page.home')}</a>
      </p>
    </section>
  )
}
