import { type Browser, type BrowserContext, expect, type Page } from '@playwright/test'
import type { DemoObjects } from '../http/personas.ts'
import { type Persona, personaEmails, personas, policy } from '../page-policy.ts'
import { DEMO_PASSWORD, submitLogin } from './fixtures.ts'

// The pages of the route table (tests/page-policy.ts) for browser suites that look at every page: the
// demo objects its URLs name are found through the app, as the people who own them find them, since
// the browser suites have no database handle of their own.

export type Locale = 'en' | 'ja'
export const locales: Locale[] = ['en', 'ja']

/** A context at the given viewport, signed in as the persona (a visitor is signed in as nobody). */
export async function personaContext(
  browser: Browser,
  persona: Persona,
  viewport: { width: number; height: number },
  options: { javaScriptEnabled?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, ...options })
  const page = await context.newPage()
  if (persona !== 'visitor') {
    await submitLogin(page, personaEmails[persona], DEMO_PASSWORD)
    await expect(page).not.toHaveURL(/\/login(\?|$)/)
  }
  return { context, page }
}

/** Reads the page in `locale`: a visitor's choice lives in a cookie, a member's on their user, so the
 *  member's own choice is put back by the returned function. */
export async function readIn(page: Page, locale: Locale, signedIn: boolean): Promise<() => Promise<void>> {
  if (!signedIn) {
    const url = new URL(page.url().startsWith('http') ? page.url() : 'http://localhost/')
    await page.context().addCookies([{ name: 'lng', value: locale, domain: url.hostname, path: '/' }])
    return async () => {}
  }
  const before = await setUserLocale(page, locale)
  return async () => {
    await setUserLocale(page, before)
  }
}

/** Switches a signed-in user's language through the header's form (opening the header's menu first on
 *  a narrow screen) and answers the language they had. */
async function setUserLocale(page: Page, locale: Locale): Promise<Locale> {
  await page.goto('/')
  const before = ((await page.locator('html').getAttribute('lang')) ?? 'en') as Locale
  if (before !== locale) {
    const menu = page.locator('.site-menu-toggle')
    if (await menu.isVisible()) await menu.click()
    await page.locator(`form[action="/set-locale"] button[name="locale"][value="${locale}"]`).click()
    await expect(page.locator('html')).toHaveAttribute('lang', locale)
  }
  return before
}

/** The first path on the page matching `pattern` (links only), or null. */
async function firstHref(page: Page, path: string, pattern: RegExp): Promise<string | null> {
  await page.goto(path)
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')))
  return hrefs.find((href): href is string => href !== null && pattern.test(href)) ?? null
}

function idIn(href: string | null, pattern: RegExp): number {
  const id = href ? pattern.exec(href)?.[1] : undefined
  return id ? Number(id) : 0
}

/** The demo objects the route table's URLs point at, found through the pages of the app: the member's
 *  own question, ticket and attended event; any published article, event, tag and account. Objects the
 *  demo has none of (the outbox may be empty) are 0, and their pages are left out by `demoPages`. */
export async function findDemoObjects(browser: Browser): Promise<DemoObjects> {
  // Without JavaScript: only links are read, and the pages load faster.
  const noScript = { javaScriptEnabled: false }
  const member = await personaContext(browser, 'member', { width: 1280, height: 800 }, noScript)
  const staff = await personaContext(browser, 'admin', { width: 1280, height: 800 }, noScript)
  try {
    const m = member.page
    await m.goto('/')
    const memberHref = await m.getByRole('banner').locator('a[href^="/users/"]').first().getAttribute('href')
    const memberId = idIn(memberHref, /^\/users\/(\d+)/)
    const questionPath = (await firstHref(m, `/users/${memberId}`, /^\/questions\/\d+/)) ?? '/questions/0'
    const ticketHref = await firstHref(m, '/support/tickets', /^\/support\/tickets\/\d+$/)
    let attendedEventId = 0
    await m.goto('/events?tab=past')
    const past = await m
      .locator('main a[href^="/events/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
    for (const href of past.filter((h) => /^\/events\/\d+$/.test(h)).slice(0, 6)) {
      await m.goto(href)
      if ((await m.locator(`main a[href="${href}/survey"]`).count()) > 0) {
        attendedEventId = idIn(href, /(\d+)$/)
        break
      }
    }

    const a = staff.page
    // An article any reader may open, found as a visitor finds it (staff also see drafts).
    const visitor = await personaContext(browser, 'visitor', { width: 1280, height: 800 }, noScript)
    let articleHref = '/help/none/none'
    try {
      // The help center lists categories; a category lists its articles.
      const category = (await firstHref(visitor.page, '/help', /^\/help\/[^/?#]+$/)) ?? '/help/none'
      await visitor.page.goto(category)
      const candidates = await visitor.page
        .locator('main a[href]')
        .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))
      for (const href of candidates.filter((h) => /^\/help\/[^/]+\/[^/?#]+$/.test(h)).slice(0, 8)) {
        if ((await visitor.page.request.get(href)).status() < 400) {
          articleHref = href
          break
        }
      }
    } finally {
      await visitor.context.close()
    }
    const [, , category = '', slug = ''] = articleHref.split('/')
    const articleEdit = await firstHref(a, '/help/manage', /^\/help\/articles\/\d+\/edit$/)
    const eventHref = await firstHref(a, '/events', /^\/events\/\d+$/)
    const tagHref = await firstHref(a, '/tags', /^\/tags\/[^/]+$/)
    const accountHref = await firstHref(a, '/admin/accounts', /^\/admin\/accounts\/\d+$/)
    const mailHref = await firstHref(a, '/admin/mail', /^\/admin\/mail\/\d+$/)
    return {
      memberId,
      accountId: idIn(accountHref, /(\d+)$/),
      questionId: idIn(questionPath, /^\/questions\/(\d+)/),
      questionPath,
      answerId: 0,
      ticketId: idIn(ticketHref, /(\d+)$/),
      article: { id: idIn(articleEdit, /\/articles\/(\d+)\//), category, slug },
      eventId: idIn(eventHref, /(\d+)$/),
      attendedEventId,
      tag: decodeURIComponent(tagHref?.slice('/tags/'.length) ?? 'none'),
      mailId: idIn(mailHref, /(\d+)$/),
    }
  } finally {
    await member.context.close()
    await staff.context.close()
  }
}

/** Routes that answer something other than a page (JSON, CSV, a calendar, a redirect). */
const notPages = new Set([
  'routes/api/healthz.ts',
  'routes/set-locale.ts',
  'routes/auth/logout.ts',
  'routes/questions/similar.ts',
  'routes/drafts.ts',
  'routes/search/suggest.ts',
  'routes/search/click.ts',
  'routes/events/calendar-feed.ts',
  'routes/users/avatar.ts',
  'routes/users/suggest.ts',
  'routes/questions/tag-suggest.ts',
  'routes/uploads/create.ts',
  'routes/uploads/file.ts',
  'routes/support/suggest.ts',
  'routes/support/open.ts',
  'routes/api/tickets.ts',
  'routes/api/health.ts',
  'routes/api/account-health.ts',
  'routes/api/account-outcomes.ts',
  'routes/api/accounts.ts',
  'routes/manage/export.ts',
  'routes/manage/health-check-csv.ts',
  'routes/manage/surveys-export.ts',
  'routes/first-steps.ts',
])

export type DemoPage = { route: string; url: string; persona: Persona }

/** Every page of the route table, each as the least privileged persona that may read it (a visitor
 *  where anyone may), and once more as the admin where the admin may too: staff see more on a page
 *  (tools, longer menus), so both ends are looked at. The not-found page is read as a visitor. */
export function demoPages(objects: DemoObjects): DemoPage[] {
  const pages: DemoPage[] = []
  for (const [route, entry] of Object.entries(policy)) {
    if (entry === 'layout' || notPages.has(route)) continue
    const url = entry.url(objects)
    if (/\/0(\/|$)|\/none(\/|$)/.test(url)) continue
    const readers = personas.filter((_, i) => entry.read[i] === 'y')
    const first = readers[0] ?? 'visitor'
    pages.push({ route, url, persona: first })
    if (first !== 'admin' && readers.includes('admin')) pages.push({ route, url, persona: 'admin' })
  }
  return pages
}
