import type { Browser, BrowserContext, Locator, Page, Response } from '@playwright/test'
import { en } from '#app/locales/en/index.ts'
import { ja } from '#app/locales/ja/index.ts'
import { type DemoObjects, type Persona, type Policy, personaEmails, personas, policy } from '../page-policy.ts'
import { findDemoObjects } from './demo-pages.ts'
import { expect, ownAddress, signedInPage, test } from './fixtures.ts'
import { type FormFixture, type FormRun, fillForm, formValues, openDisclosures } from './form-values.ts'

// Good input, in a browser (issue 17): every POST form of every page, as the least and the most
// privileged persona allowed on the page sees it, filled with valid values from form-values.ts and sent
// with JavaScript on and off. Each must reach its fixture's success state, with no answer of 500 or
// more and (with JavaScript on) no error in the console. A form without a fixture fails the run.

test.describe.configure({ mode: 'serial' })
// A missing field or button fails its form in seconds, not at the end of the whole pass.
test.use({ actionTimeout: 10_000, navigationTimeout: 20_000 })

/** A form as found on a page: its stable name and how to find it again there. */
type Found = {
  name: string
  persona: Persona
  /** The policy key of the page it was found on, and the page's address. */
  route: string
  url: string
  /** What picks the form out on the page: its action, and the submit button or intent that tells it apart. */
  action: string
  intent: { name: string; value: string; hidden: boolean } | null
  /** Its fields a person fills in (name:type, * when required), for the report of a missing fixture. */
  fields: string[]
}

/** Routes that answer something other than a page (JSON, a feed, a download) have no forms. */
const notPages =
  /^routes\/(api\/|questions\/similar|search\/suggest|search\/click|support\/suggest|support\/open|events\/calendar-feed|manage\/export|set-locale|auth\/logout|not-found)/

/** A context per persona and JavaScript setting, reused by every form of that persona. */
class Contexts {
  private contexts = new Map<string, Promise<BrowserContext>>()
  constructor(private browser: Browser) {}
  get(persona: Persona, javaScriptEnabled: boolean): Promise<BrowserContext> {
    const key = `${persona} ${javaScriptEnabled}`
    let context = this.contexts.get(key)
    if (!context) {
      context =
        persona === 'visitor'
          ? this.browser.newContext({ javaScriptEnabled })
          : signedInPage(this.browser, personaEmails[persona], { javaScriptEnabled }).then(async (page) => {
              await page.close()
              return page.context()
            })
      this.contexts.set(key, context)
    }
    return context
  }
  /** A context of its own (visitors: signing in or up must not sign the next visitor form in). */
  async fresh(javaScriptEnabled: boolean): Promise<BrowserContext> {
    const context = this.browser.newContext({ javaScriptEnabled, extraHTTPHeaders: ownAddress() })
    this.contexts.set(`fresh ${this.contexts.size}`, context)
    return context
  }
  async close() {
    for (const context of this.contexts.values()) await (await context).close()
    this.contexts.clear()
  }
}

/** Every POST form of every page, as the least and the most privileged persona allowed there sees it. */
async function discover(contexts: Contexts, objects: DemoObjects): Promise<Found[]> {
  const found = new Map<string, Found>()
  for (const [route, p] of Object.entries(policy)) {
    if (p === 'layout' || notPages.test(route)) continue
    const allowed = personas.filter((_, i) => p.change[i] === 'y')
    if (allowed.length === 0) continue
    for (const persona of new Set([allowed[0]!, allowed.at(-1)!])) {
      // The forms are in the server's HTML: read without JavaScript, which is quicker on a busy machine.
      const page = await (await contexts.get(persona, false)).newPage()
      try {
        const url = (p as Policy).url(objects)
        // A demo object the demo data has none of (an empty outbox): no page to read.
        if (/\/0(\/|$)|\/none(\/|$)/.test(url)) continue
        const response = await page.goto(url, { waitUntil: 'domcontentloaded' })
        if (!response?.ok() || !(response.headers()['content-type'] ?? '').includes('text/html')) continue
        for (const form of await formsOf(page)) {
          const name = formName(route, url, form)
          if (!found.has(name)) found.set(name, { name, persona, route, url, ...form })
        }
      } finally {
        await page.close()
      }
    }
  }
  return [...found.values()]
}

type FormOnPage = Pick<Found, 'action' | 'intent' | 'fields'>

/** The visible POST forms of the page, once per named submit button (each sends a different request). */
async function formsOf(page: Page): Promise<FormOnPage[]> {
  return page.locator('form[method="post" i]').evaluateAll((forms) =>
    forms.flatMap((form): FormOnPage[] => {
      const f = form as HTMLFormElement
      const action = f.getAttribute('action') ?? ''
      const shown = (e: Element) => (e as HTMLElement).offsetParent !== null || e.closest('details') !== null
      const buttons = [...f.querySelectorAll('button, input[type="submit"]')].filter(
        (b) => (b as HTMLButtonElement).type === 'submit' && shown(b),
      ) as HTMLButtonElement[]
      if (!buttons.length) return []
      const fields = [...f.elements]
        .filter((e) => (e as HTMLInputElement).name && !['hidden', 'submit'].includes((e as HTMLInputElement).type))
        .map(
          (e) =>
            `${(e as HTMLInputElement).name}:${(e as HTMLInputElement).type}${(e as HTMLInputElement).required ? '*' : ''}`,
        )
      const named = buttons.filter((b) => b.name)
      if (named.length)
        return named.map((b) => ({ action, fields, intent: { name: b.name, value: b.value, hidden: false } }))
      const hidden = f.querySelector('input[type="hidden"][name="intent"]') as HTMLInputElement | null
      return [{ action, fields, intent: hidden ? { name: 'intent', value: hidden.value, hidden: true } : null }]
    }),
  )
}

/** The stable name of a form: the route of the page (or the address it posts to, when that is another
 *  route's), and the intent or submit button that tells it apart. */
function formName(route: string, url: string, form: FormOnPage): string {
  const target = new URL(form.action || url, 'http://x')
  const where =
    target.pathname === new URL(url, 'http://x').pathname
      ? route.replace(/^routes\//, '').replace(/\.tsx?$/, '')
      : target.pathname.replace(/\/\d+(?=\/|$)/g, '/:id')
  return form.intent ? `${where} ${form.intent.name}=${form.intent.value}` : where
}

let objects: DemoObjects
let forms: Found[] = []

test('every form a page offers has a fixture of good input', async ({ browser }) => {
  test.setTimeout(180_000)
  objects = await findDemoObjects(browser)
  const contexts = new Contexts(browser)
  try {
    forms = await discover(contexts, objects)
  } finally {
    await contexts.close()
  }
  const missing = forms.filter((f) => !(f.name in formValues)).map((f) => `${f.name} (${f.persona} on ${f.url})`)
  expect(missing, 'forms without a fixture in tests/e2e/form-values.ts').toEqual([])
  expect(forms.length).toBeGreaterThan(30)
})

/** Console noise a page is meant to make: none is expected with good input. The browser's note on a
 *  4xx answer ("Failed to load resource") is not ignored: a good form has no reason to get one. (Since
 *  every route is known up front, decision 033, no page fetches route manifests to be cut short.) */
const consoleNoise: RegExp[] = []

/** The English messages by text, to show a fixture's English text in the page's language. */
function flatten(messages: unknown, prefix = '', into = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(messages as Record<string, unknown>)) {
    if (typeof value === 'string') into.set(`${prefix}${key}`, value)
    else if (value && typeof value === 'object') flatten(value, `${prefix}${key}.`, into)
  }
  return into
}
const english = flatten(en)
const japanese = flatten(ja)
const keyOfEnglish = new Map([...english].map(([key, text]) => [text, key]))

/** A fixture's English text as the page shows it: in Japanese when the page is (staff read Japanese). */
function inLanguage(text: string, lang: string): string {
  const key = keyOfEnglish.get(text)
  return lang === 'ja' && key && japanese.has(key) ? japanese.get(key)! : text
}

/** The form on the page, picked out by its action and its submit button or intent. */
function locate(page: Page, found: Found, pick: (forms: Locator) => Locator): { form: Locator; submit: Locator } {
  let form = page.locator('form[method="post" i]')
  const { intent } = found
  // The action names the object (and the fixture may open another one): only a form without an intent
  // is told apart by it.
  if (!intent && found.action) form = form.and(page.locator(`[action="${found.action}"]`))
  // A form without an intent is not one of the page's forms that carry one (the account page's outcome
  // forms come before its own form).
  if (!intent) form = form.filter({ hasNot: page.locator('input[name="intent"]') })
  if (intent?.hidden) form = form.filter({ has: page.locator(`input[name="intent"][value="${intent.value}"]`) })
  const button =
    intent && !intent.hidden ? `[type="submit"][name="${intent.name}"][value="${intent.value}"]` : '[type="submit"]'
  // A button that cannot be used here (moving the first item up, voting on one's own post) is not the one.
  form = form.filter({ has: page.locator(`${button}:not([disabled])`) })
  form = pick(form).first()
  return { form, submit: form.locator(button).first() }
}

let unique = 0

async function send(
  contexts: Contexts,
  found: Found,
  fixture: Exclude<FormFixture, { elsewhere: string }>,
  javaScriptEnabled: boolean,
  made: FormRun['made'],
): Promise<string[]> {
  const problems: string[] = []
  const persona = fixture.persona ?? found.persona
  const context =
    persona === 'visitor' ? await contexts.fresh(javaScriptEnabled) : await contexts.get(persona, javaScriptEnabled)
  const page = await context.newPage()
  page.on('response', (response: Response) => {
    if (response.status() >= 500)
      problems.push(`${response.status()} from ${response.request().method()} ${response.url()}`)
  })
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' && !consoleNoise.some((noise) => noise.test(message.text())))
      problems.push(`console.error: ${message.text()}`)
  })
  const run: FormRun = {
    page,
    javaScriptEnabled,
    unique: `${Date.now().toString(36)}${++unique}`,
    objects,
    url: found.url,
    made,
    pageAs: async (who) => (await contexts.get(who, javaScriptEnabled)).newPage(),
  }
  try {
    if (fixture.open) await fixture.open(run)
    else await page.goto(found.url)
    const { form, submit } = locate(page, found, (forms) => (fixture.form ? fixture.form(run, forms) : forms))
    // A form inside a closed disclosure (flag, comment, moderation tools) is opened as a person opens it.
    await openDisclosures(form)
    if (fixture.values) await fillForm(form, fixture.values(run))
    await submit.click()
    const { url, text, check } = fixture.success
    if (url) await expect(page).toHaveURL(url)
    if (text) {
      const lang = (await page.locator('html').getAttribute('lang')) ?? 'en'
      await expect(page.getByText(typeof text === 'string' ? inLanguage(text, lang) : text).first()).toBeVisible()
    }
    if (check) await check(run)
    if (fixture.after) await fixture.after(run)
  } catch (error) {
    problems.push(
      String(error instanceof Error ? error.message : error)
        .split('\n')
        .slice(0, 6)
        .join(' '),
    )
  } finally {
    await page.close()
  }
  return problems.map((p) => `${found.name} [${persona}, JavaScript ${javaScriptEnabled ? 'on' : 'off'}]: ${p}`)
}

for (const javaScriptEnabled of [true, false]) {
  test(`every form sent good input succeeds, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async ({ browser }) => {
    test.setTimeout(600_000)
    expect(forms.length, 'the forms were found by the first test').toBeGreaterThan(0)
    const contexts = new Contexts(browser)
    const failures: string[] = []
    const skipped: string[] = []
    const made: FormRun['made'] = {}
    try {
      for (const found of forms) {
        const fixture = formValues[found.name]
        if (!fixture) continue
        if ('elsewhere' in fixture) {
          skipped.push(`${found.name}: ${fixture.elsewhere}`)
          continue
        }
        failures.push(...(await send(contexts, found, fixture, javaScriptEnabled, made)))
      }
    } finally {
      await contexts.close()
    }
    console.info(`${forms.length - skipped.length} forms sent; exercised elsewhere:\n${skipped.join('\n')}`)
    expect(failures).toEqual([])
  })
}
