import { mkdirSync } from 'node:fs'
import type { DemoObjects } from '../http/personas.ts'
import type { Persona } from '../page-policy.ts'
import { findDemoObjects, locales, personaContext, readIn } from './demo-pages.ts'
import { expect, test } from './fixtures.ts'

// Screenshots of the main pages at a desktop and a phone width, in both languages, kept from every run
// under data/test-reports/screenshots/<name>-<width>-<lang>.png (scripts/test.js clears the folder
// when a run starts) so a person can look at the layout without starting the app.

const dir = 'data/test-reports/screenshots'
const widths = [1280, 390]

type Shot = { name: string; url: (o: DemoObjects) => string }

/** The main pages, by who looks at them. */
const shots: Record<Exclude<Persona, 'other' | 'staff'>, Shot[]> = {
  visitor: [
    { name: 'home', url: () => '/' },
    { name: 'questions', url: () => '/questions' },
    { name: 'question', url: (o) => o.questionPath },
    { name: 'help', url: () => '/help' },
    { name: 'article', url: (o) => `/help/${o.article.category}/${o.article.slug}` },
    { name: 'events', url: () => '/events' },
    { name: 'search', url: () => '/search?q=csv' },
    { name: 'support', url: () => '/support' },
  ],
  member: [
    { name: 'ask', url: () => '/questions/new' },
    { name: 'event', url: (o) => `/events/${o.eventId}` },
    { name: 'settings', url: () => '/settings' },
  ],
  manager: [
    { name: 'manage', url: () => '/manage' },
    { name: 'manage-account', url: (o) => `/manage/accounts/${o.accountId}` },
  ],
  admin: [{ name: 'admin-users', url: () => '/admin/users' }],
}

let objects: DemoObjects
test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000)
  mkdirSync(dir, { recursive: true })
  objects = await findDemoObjects(browser)
})

for (const [persona, pages] of Object.entries(shots) as [Persona, Shot[]][]) {
  test(`main pages as ${persona}, at ${widths.join(' and ')} px, in English and Japanese`, async ({ browser }) => {
    test.setTimeout(60_000 + pages.length * 20_000)
    const { context, page } = await personaContext(browser, persona, { width: widths[0]!, height: 800 })
    try {
      for (const locale of locales) {
        const restore = await readIn(page, locale, persona !== 'visitor')
        for (const shot of pages) {
          for (const width of widths) {
            await page.setViewportSize({ width, height: width < 600 ? 844 : 800 })
            const response = await page.goto(shot.url(objects))
            expect(response?.status(), shot.name).toBeLessThan(400)
            await expect(page.locator('html')).toHaveAttribute('lang', locale)
            await page.screenshot({ path: `${dir}/${shot.name}-${width}-${locale}.png`, fullPage: true })
          }
        }
        await page.setViewportSize({ width: widths[0]!, height: 800 })
        await restore()
      }
    } finally {
      await context.close()
    }
  })
}
