import { randomBytes } from 'node:crypto'
import type { Locator, Page } from '@playwright/test'
import { demoUsers, expect, signedInPage, test } from './fixtures.ts'

// What a quick typist enters into a form with default values before the page's scripts have hydrated
// it, or while they do, is what gets saved: not the original, not "typed + original". The client
// scripts are held back at the network so the server-rendered form is on screen without React.

type Change = { selector: string; value: string } & ({ type: 'text' } | { type: 'select' })

type Case = {
  name: string
  /** The address of the form, found from the demo data as the admin sees it. */
  url: (page: Page) => Promise<string>
  /** The fields to change, given a unique word for this run. */
  changes: (word: string) => Change[]
  /** The button that saves (the first of the form's buttons with this name). */
  button: string | RegExp
}

/** The first link on `from` whose address matches `pattern`. */
async function firstLink(page: Page, from: string, pattern: RegExp): Promise<string> {
  await page.goto(from)
  const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
  const href = hrefs.find((h) => pattern.test(h))
  if (!href) throw new Error(`no link like ${pattern} on ${from}`)
  return href
}

/** The first link like `pattern` on a question page (the first question that has one). */
async function onAQuestion(page: Page, pattern: RegExp): Promise<string> {
  await page.goto('/questions')
  const questions = await page
    .locator('a[href^="/questions/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
  for (const question of questions.filter((href) => /^\/questions\/\d+/.test(href))) {
    const found = await firstLink(page, question, pattern).catch(() => null)
    if (found) return found
  }
  throw new Error(`no question page links to ${pattern}`)
}

/** Every form with default values a person edits in place (the list to extend with each new one). */
const cases: Case[] = [
  {
    name: 'answer edit',
    url: (page) => onAQuestion(page, /^\/posts\/answer\/\d+\/edit$/),
    changes: (word) => [{ selector: 'textarea[name=body]', type: 'text', value: `The fix is to ${word} the export.` }],
    button: 'Save changes',
  },
  {
    name: 'question edit',
    url: (page) => onAQuestion(page, /^\/posts\/question\/\d+\/edit$/),
    changes: (word) => [
      { selector: 'input[name=title]', type: 'text', value: `How do I ${word} a monthly report?` },
      { selector: 'textarea[name=body]', type: 'text', value: `I need to ${word} the report every month.` },
      { selector: 'input[name=tags]', type: 'text', value: 'export, reports' },
    ],
    button: 'Save changes',
  },
  {
    name: 'help article edit',
    url: (page) => firstLink(page, '/help/manage', /^\/help\/articles\/\d+\/edit$/),
    changes: (word) => [
      { selector: 'input[name=title]', type: 'text', value: `Exporting a ${word} report` },
      { selector: 'textarea[name=body]', type: 'text', value: `Open Reports, then ${word} it.` },
    ],
    button: /^(Update article|Save draft)$/,
  },
  {
    name: 'event edit',
    url: async (page) => `${await firstLink(page, '/events', /^\/events\/\d+$/)}/edit`,
    changes: (word) => [
      { selector: 'input[name=title]', type: 'text', value: `Office hours: ${word}` },
      { selector: 'textarea[name=body]', type: 'text', value: `Bring your ${word} questions.` },
    ],
    button: 'Save changes',
  },
  {
    name: 'account edit',
    url: (page) => firstLink(page, '/admin/accounts', /^\/admin\/accounts\/\d+$/),
    changes: (word) => [{ selector: 'input[name=plan]', type: 'text', value: `Plan ${word}` }],
    button: 'Save changes',
  },
  {
    name: 'settings',
    url: async () => '/settings',
    changes: (word) => [
      { selector: 'input[name=displayName]', type: 'text', value: `Admin ${word}` },
      { selector: 'select[name=timeZone]', type: 'select', value: 'Europe/Berlin' },
    ],
    button: 'Save',
  },
  {
    name: 'scoring settings',
    url: async () => '/manage/settings',
    changes: () => [
      { selector: 'form:has(input[name=intent][value=scoring]) input[type=number]', type: 'text', value: '7' },
    ],
    button: 'Save and recompute',
  },
  {
    name: 'support settings',
    url: async () => '/support/settings',
    changes: (word) => [
      { selector: 'input[name=supportEmail]', type: 'text', value: `help-${word}@community.example` },
    ],
    button: 'Save',
  },
]

function isHydrated(field: Locator): Promise<boolean> {
  return field.evaluate((element) => Object.keys(element).some((key) => key.startsWith('__reactFiber')))
}

/** Opens `url` with the client scripts held back until `release` is called. */
async function openUnhydrated(page: Page, url: string) {
  let release = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  await page.route(/\/assets\/[^?]*\.js(\?|$)/, async (route) => {
    await gate
    await route.continue()
  })
  // From a blank page, so the fields found next are this page's and not the last one's.
  await page.goto('about:blank')
  await page.goto(url, { waitUntil: 'commit' })
  return async () => {
    release()
    await page.unrouteAll({ behavior: 'wait' })
  }
}

async function enter(field: Locator, change: Change, how: 'fill' | 'keys') {
  if (change.type === 'select') return void (await field.selectOption(change.value))
  if (how === 'fill') return field.fill(change.value)
  await field.click()
  await field.press('ControlOrMeta+a')
  await field.pressSequentially(change.value, { delay: 15 })
}

test.use({ actionTimeout: 15_000 })

for (const when of ['before', 'during'] as const) {
  test(`what is typed ${when} hydration is what every form with default values saves`, async ({ browser }) => {
    test.setTimeout(180_000)
    const page = await signedInPage(browser, demoUsers.admin.email)
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`))
    const wrong: string[] = []
    for (const form of cases) {
      await test.step(form.name, async () => {
        const url = await form.url(page)
        const word = `${when}${randomBytes(3).toString('hex')}`
        const changes = form.changes(word)
        const release = await openUnhydrated(page, url)
        const fields = changes.map((change) => page.locator(change.selector).first())
        await fields[0]!.waitFor()
        if (when === 'before') {
          expect(await isHydrated(fields[0]!), `${form.name}: hydrated too early`).toBe(false)
          for (const [i, change] of changes.entries()) await enter(fields[i]!, change, 'fill')
          await release()
        } else {
          // Scripts arrive while the textarea (the control React used to reset) is typed into key by key.
          const slow = Math.max(
            0,
            changes.findIndex((change) => change.selector.startsWith('textarea')),
          )
          const typing = (async () => {
            for (const [i, change] of changes.entries()) await enter(fields[i]!, change, i === slow ? 'keys' : 'fill')
          })()
          await page.waitForTimeout(50)
          await release()
          await typing
        }
        await expect.poll(() => isHydrated(fields[0]!), { message: `${form.name}: never hydrated` }).toBe(true)
        const shown = await Promise.all(fields.map((field) => field.inputValue()))
        const saved = page.waitForResponse((r) => r.request().method() === 'POST')
        await fields[0]!
          .locator('xpath=ancestor::form')
          .getByRole('button', { name: form.button, exact: true })
          .first()
          .click()
        expect((await saved).status(), `${form.name}: the save answered`).toBeLessThan(500)
        await page.waitForLoadState()
        await page.goto(url)
        const stored = await Promise.all(fields.map((field) => field.inputValue()))
        const expected = changes.map((change) => change.value)
        if (JSON.stringify(shown) !== JSON.stringify(expected))
          wrong.push(
            `${form.name}: the box showed ${JSON.stringify(shown)} after hydration, typed ${JSON.stringify(expected)}`,
          )
        if (JSON.stringify(stored) !== JSON.stringify(expected))
          wrong.push(`${form.name}: saved ${JSON.stringify(stored)}, typed ${JSON.stringify(expected)}`)
      })
    }
    await page.context().close()
    expect(wrong).toEqual([])
    expect(errors).toEqual([])
  })
}
