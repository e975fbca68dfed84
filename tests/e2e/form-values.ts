import type { Locator, Page } from '@playwright/test'
import type { DemoObjects, Persona } from '../page-policy.ts'
import { DEMO_PASSWORD, expect, uniqueEmail } from './fixtures.ts'

// Good input for every form every-form.spec.ts finds, by the form's name (the page's route and the
// intent or submit button that tells the form apart, or the address it posts to when that is another
// route's). Values are keyed by the field's label (exact) or its name. Success is an address and/or a
// text: English, shown in the page's language when the app translates it (staff read Japanese).
//
// The demo data is shared with the specs that run after this one: forms that change or remove something
// run on objects made here (a question, an event, an article of this run), or send the values the form
// already shows (settings), so nothing another spec relies on changes.

export type FormRun = {
  page: Page
  javaScriptEnabled: boolean
  /** Different on every run of every form. */
  unique: string
  objects: DemoObjects
  /** The page the form was found on. */
  url: string
  /** Addresses of what earlier forms of this pass made (a question, an event, an article). */
  made: Record<string, string>
  /** A page of another persona, in a context with the same JavaScript setting. */
  pageAs: (persona: Persona) => Promise<Page>
}

export type FormFixture =
  | {
      /** Why the form is not sent here, naming the spec that sends it. */
      elsewhere: string
    }
  | {
      /** Who sends it (default: the least privileged persona that was offered it). */
      persona?: Persona
      /** Opens the page with the form (default: the page it was found on). */
      open?: (run: FormRun) => Promise<void>
      /** Picks the form out when the page has several alike (default: the first). */
      form?: (run: FormRun, forms: Locator) => Locator
      values?: (run: FormRun) => Record<string, string | boolean | string[]>
      success: { url?: RegExp; text?: string | RegExp; check?: (run: FormRun) => Promise<void> }
      /** Puts back what the form changed. */
      after?: (run: FormRun) => Promise<void>
    }

/** Fills a form's fields by label (exact) or name: text, selects (a value, or `#n` for the n-th
 *  option), checkboxes (true/false), radios (the value) and files. */
export async function fillForm(form: Locator, values: Record<string, string | boolean | string[]>) {
  for (const [key, value] of Object.entries(values)) {
    const byLabel = form.getByLabel(key, { exact: true })
    const field = (await byLabel.count()) ? byLabel.first() : form.locator(`[name="${key}"]`).first()
    const tag = await field.evaluate((e) => `${e.tagName.toLowerCase()}:${(e as HTMLInputElement).type}`)
    const index = typeof value === 'string' && /^#\d+$/.test(value) ? Number(value.slice(1)) : null
    if (tag.startsWith('select:')) await field.selectOption(index === null ? (value as string) : { index })
    else if (typeof value === 'boolean') await field.setChecked(value)
    else if (tag === 'input:radio') await form.locator(`[name="${key}"][value="${value}"]`).check()
    else if (tag === 'input:file') await field.setInputFiles(value as string[])
    else await field.fill(value as string)
  }
}

/** Opens the closed disclosures around an element (a flag form, a section's tools) as a person does:
 *  by clicking their summaries, outermost first. */
export async function openDisclosures(element: Locator): Promise<void> {
  await element.evaluate((node) => {
    const closed: HTMLDetailsElement[] = []
    for (let d = node.closest('details'); d; d = d.parentElement?.closest('details') ?? null)
      if (!d.open) closed.unshift(d)
    for (const details of closed) (details.querySelector(':scope > summary') as HTMLElement | null)?.click()
  })
}

const future = (days: number, hour: number) => {
  const d = new Date(Date.now() + days * 86_400_000)
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`
}

/** A question of Bob's made in this pass (by questions/new intent=ask), answered by Nina. */
async function answeredQuestion(run: FormRun): Promise<string> {
  if (!run.made.question) throw new Error('questions/new intent=ask made no question')
  if (!run.made.answered) {
    const nina = await run.pageAs('other')
    await nina.goto(run.made.question)
    await nina.locator('textarea[name="body"]').last().fill(`An answer from Nina, ${run.unique}.`)
    await nina.locator('button[name="intent"][value="answer"]').click()
    await expect(nina.getByText(`An answer from Nina, ${run.unique}.`)).toBeVisible()
    await nina.close()
    run.made.answered = 'yes'
  }
  return run.made.question
}

/** A question the admin asks for a moderation form to act on, so moderating it changes no demo post. */
async function adminsQuestion(run: FormRun): Promise<void> {
  await run.page.goto('/questions/new')
  await run.page.locator('[name="title"]').fill(`A question to moderate ${run.unique}`)
  await run.page
    .locator('[name="body"]')
    .fill(`Made by the every-form spec so that moderating it changes no demo post (${run.unique}).`)
  await run.page.locator('button[name="intent"][value="ask"]').click()
  await expect(run.page).toHaveURL(/\/questions\/\d+/)
}

/** A question of this run with `tags`, asked by the page's persona; then the tag manager. */
async function questionTagged(run: FormRun, tags: string[]): Promise<void> {
  await run.page.goto('/questions/new')
  await run.page.locator('[name="title"]').fill(`A question with tags to tidy ${run.unique}`)
  await run.page.locator('[name="body"]').fill(`Made by the every-form spec for the tag manager (${run.unique}).`)
  await run.page.locator('[name="tags"]').fill(tags.join(', '))
  await run.page.locator('button[name="intent"][value="ask"]').click()
  await expect(run.page).toHaveURL(/\/questions\/\d+/)
  await run.page.goto('/tags/manage')
}

/** The moderation queue with one item of this run: a question the staff page asks, which Bob flags. */
async function flaggedQuestion(run: FormRun): Promise<void> {
  await adminsQuestion(run)
  const url = run.page.url()
  const bob = await run.pageAs('member')
  await bob.goto(url)
  const flag = bob.locator('details.flag-form').first()
  await flag.locator('summary').click()
  await flag.locator('[name="reason"][value="spam"]').check()
  await flag.locator('[type="submit"]').click()
  await expect(bob.getByText('Thank you. A moderator will review your flag.')).toBeVisible()
  await bob.close()
  await run.page.goto('/moderation')
}

/** The queue's item of this run (not a demo one other specs look at). */
const thisRunsItem = (run: FormRun) => run.page.locator('.flag-queue > li', { hasText: run.unique }).locator('form')

/** Fills and sends one of the help-centre manager's forms (opening its disclosure first). */
async function sendHelpForm(run: FormRun, form: Locator, values: Record<string, string>): Promise<void> {
  await openDisclosures(form)
  await fillForm(form, values)
  await form.locator('[type="submit"]').first().click()
  await run.page.waitForLoadState()
}

/** The help-centre manager's entry (a category or a section) made by this run. */
const madeHere = (run: FormRun, kind: 'category' | 'section') =>
  run.page.locator(`li[id^="${kind}-"]`, { hasText: run.unique })

/** An event published here for a form that ends it (cancelling), so no demo event changes. */
async function publishedEvent(run: FormRun): Promise<void> {
  await run.page.goto('/events/new')
  const form = run.page.locator('form', { has: run.page.locator('button[name="intent"][value="publish"]') })
  await fillForm(form.first(), { ...event(run), title: `Event to cancel ${run.unique}` })
  await form.first().locator('button[name="intent"][value="publish"]').click()
  await expect(run.page.getByText('The event is published.')).toBeVisible()
}

/** The synonym rule of this run on /search/insights (not a demo one). */
const synonymRow = (run: FormRun) => run.page.locator('tr', { hasText: `ef-a-${run.unique}` })

/** Adds a synonym rule of this run, for a form that deletes it, so the demo rules stay as they are. */
async function synonymMadeHere(run: FormRun): Promise<void> {
  await run.page.goto('/search/insights')
  const form = run.page.locator('form', { has: run.page.locator('input[name="intent"][value="add-synonym"]') })
  await form.locator('textarea[name="terms"]').fill(`ef-a-${run.unique}, ef-b-${run.unique}`)
  await form.locator('[type="submit"]').click()
  await expect(synonymRow(run)).toHaveCount(1)
}

const onAnsweredQuestion = async (run: FormRun) => {
  await run.page.goto(await answeredQuestion(run))
}

/** The draft key of the form on the page the run found it on (docs/decisions/040). */
function draftKeyOf(run: FormRun): string {
  const path = new URL(run.url, 'http://x').pathname
  if (path === '/help/new') return 'article:new'
  if (path === '/events/new') return 'event:new'
  const question = /^\/questions\/(\d+)/.exec(path)
  return question ? `answer:${question[1]}` : 'question:new'
}

/** Saves a draft of the page's form as the editor's script does, then opens the page, which restores
 *  it with its "Discard draft" button. */
const withADraft = async (run: FormRun) => {
  const saved = await run.page.request.post('/drafts', {
    form: {
      formKey: draftKeyOf(run),
      intent: 'save',
      title: `A draft ${run.unique}`,
      body: `Half written ${run.unique}`,
    },
  })
  expect(saved.status()).toBe(200)
  await run.page.goto(run.url)
}

/** Deletes the draft a fixture saved, so later specs find the form empty. */
const withoutTheDraft = async (run: FormRun) => {
  await run.page.request.post('/drafts', { form: { formKey: draftKeyOf(run), intent: 'discard' } })
}

const draftSaved = /Draft saved at|下書きを保存しました/

const article = (run: FormRun) => ({
  title: `Every form article ${run.unique}`,
  slug: `every-form-${run.unique}`,
  tags: 'every-form',
  body: 'Steps:\n\n1. Open **Settings**.\n2. Save.',
})

const event = (run: FormRun) => ({
  kind: 'webinar',
  title: `Every form event ${run.unique}`,
  body: 'A walkthrough of **reports**.',
  startsAt: future(30, 10),
  endsAt: future(30, 11),
  venue: 'Online',
  capacity: '50',
})

const madeEvent = (run: FormRun) => async () => {
  if (!run.made.event) throw new Error('events/new intent=publish made no event')
  await run.page.goto(run.made.event)
}

export const formValues: Record<string, FormFixture> = {
  // The header: language and signing out.
  '/set-locale locale=ja': {
    persona: 'visitor',
    open: async ({ page }) => {
      await page.goto('/')
    },
    success: { check: async ({ page }) => expect(page.locator('html')).toHaveAttribute('lang', 'ja') },
  },
  '/set-locale locale=en': {
    // Found on a Japanese page (staff read Japanese): a visitor switches to Japanese, then back.
    persona: 'visitor',
    open: async ({ page }) => {
      await page.goto('/')
      await page.locator('button[name="locale"][value="ja"]').click()
      await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
    },
    success: { check: async ({ page }) => expect(page.locator('html')).toHaveAttribute('lang', 'en') },
  },
  '/logout': {
    elsewhere: 'ends the session every other form of the pass uses; auth.spec.ts and sessions.spec.ts sign out',
  },

  // Signing up and in.
  'auth/signup': {
    values: (run) => ({
      email: uniqueEmail('every-form'),
      displayName: `Every Form ${run.unique}`,
      password: `tidal lantern ${run.unique} orbit`,
    }),
    success: { text: 'Check your inbox' },
  },
  'auth/login': {
    values: () => ({ email: 'alice@acme.example', password: DEMO_PASSWORD }),
    success: { url: /\/$/ },
  },
  'auth/forgot-password': {
    values: () => ({ email: uniqueEmail('every-form-reset') }),
    success: { text: /email|メール/ },
  },

  // Settings: the values shown are good input; changing them would change what later specs see.
  'settings/index intent=preferences': { success: { text: 'Your settings have been saved.' } },
  'settings/index intent=remove-avatar': {
    elsewhere: 'shown only to a member with a picture; people.spec.ts uploads one and removes it',
  },
  'settings/index intent=change-email': {
    values: () => ({ email: uniqueEmail('every-form-new'), currentPassword: DEMO_PASSWORD }),
    success: { text: /We sent a link to/ },
  },
  'settings/index intent=change-password': {
    elsewhere:
      'signs the demo user out everywhere and changes the password later specs sign in with; sessions.spec.ts changes a password',
  },
  // The channels as the page shows them: saving them again changes nothing, and the page says so.
  'settings/notifications': {
    success: { url: /\/settings\/notifications\?saved=unchanged/, text: 'Nothing changed.' },
  },
  'notifications/unsubscribe': {
    elsewhere: 'needs a signed link from an email; notification-settings.spec.ts opens one signed out and confirms',
  },
  // The member's own switch for survey emails: off, then back on (after), so the demo member stays as found.
  'settings/index surveys=off': {
    success: { text: 'Survey emails turned off.' },
    after: async ({ page }) => {
      await page.goto('/settings')
      await page.getByRole('button', { name: 'Turn survey emails on' }).click()
      await expect(page.getByText('Survey emails turned on.')).toBeVisible()
    },
  },
  'settings/index intent=sign-out-everywhere': {
    elsewhere: 'ends every session of the demo user; sessions.spec.ts signs out everywhere',
  },

  // Notifications (there are some once others answer Bob's questions).
  'notifications/index intent=read-all': { success: { url: /\/notifications/ } },
  'notifications/index intent=read': { success: { url: /\/questions\/\d+/ } },

  // Questions.
  'questions/new intent=preview': {
    values: (run) => ({ title: `Previewing ${run.unique}`, body: 'Some **bold** text.' }),
    success: { check: async ({ page }) => expect(page.locator('strong', { hasText: 'bold' }).first()).toBeVisible() },
  },
  'questions/new intent=ask': {
    values: (run) => ({
      title: `How do I schedule a CSV export every Monday? ${run.unique}`,
      body: 'I want the **weekly** report in my inbox.',
      tags: 'csv, reports',
    }),
    success: { url: /\/questions\/\d+/ },
    after: async (run) => {
      run.made.question = new URL(run.page.url()).pathname
    },
  },
  'questions/question value=up': {
    open: onAnsweredQuestion,
    success: {
      check: async ({ page }) => expect(page.locator('button[name="value"][value="retract"]').first()).toBeVisible(),
    },
  },
  'questions/question value=down': {
    open: onAnsweredQuestion,
    success: { check: async ({ page }) => expect(page.locator('[aria-pressed="true"]').first()).toBeVisible() },
  },
  'questions/question value=retract': {
    open: onAnsweredQuestion,
    success: { check: async ({ page }) => expect(page.locator('[aria-pressed="true"]')).toHaveCount(0) },
  },
  'questions/question intent=comment': {
    open: onAnsweredQuestion,
    values: (run) => ({ body: `A comment ${run.unique}` }),
    success: { text: /A comment \w+/ },
  },
  '/questions/:id intent=watch': {
    // Bob's demo question: he watches it, then stops again.
    success: { text: 'You are now watching this question.' },
    after: async ({ page }) => {
      await page.locator('button[name="intent"][value="unwatch"]').click()
      await expect(page.getByText('You stopped watching this question.')).toBeVisible()
    },
  },
  '/questions/:id intent=unwatch': {
    // A question Bob watches (he asked it): he stops, then watches it again.
    success: { text: 'You stopped watching this question.' },
    after: async ({ page }) => {
      await page.locator('button[name="intent"][value="watch"]').click()
      await expect(page.getByText('You are now watching this question.')).toBeVisible()
    },
  },
  '/questions/:id intent=accept': {
    open: onAnsweredQuestion,
    success: { text: 'Accepted answer' },
  },
  'questions/question intent=flag': {
    open: onAnsweredQuestion,
    form: (_run, forms) => forms.last(),
    values: () => ({ reason: 'spam' }),
    success: { text: 'Thank you. A moderator will review your flag.' },
  },
  'questions/question intent=preview': {
    open: onAnsweredQuestion,
    values: () => ({ body: 'A **previewed** answer.' }),
    success: {
      check: async ({ page }) => expect(page.locator('strong', { hasText: 'previewed' }).first()).toBeVisible(),
    },
  },
  'questions/new intent=save_draft': {
    values: (run) => ({ title: `A question half written ${run.unique}` }),
    success: { text: draftSaved },
    after: withoutTheDraft,
  },
  'questions/new intent=discard_draft': { open: withADraft, success: { text: 'Draft discarded.' } },
  'questions/question intent=save_draft': {
    values: (run) => ({ body: `An answer half written, ${run.unique}.` }),
    success: { text: draftSaved },
    after: withoutTheDraft,
  },
  'questions/question intent=discard_draft': { open: withADraft, success: { text: 'Draft discarded.' } },
  'help/new intent=discard_draft': { open: withADraft, success: { text: 'Draft discarded.' } },
  'events/new intent=discard_draft': { open: withADraft, success: { text: 'Draft discarded.' } },
  'questions/question intent=answer': {
    open: onAnsweredQuestion,
    values: (run) => ({ body: `Use a scheduled export, ${run.unique}.` }),
    success: { text: /Use a scheduled export, \w+\./ },
  },
  'questions/question action=hide': {
    open: adminsQuestion,
    success: { text: 'Done.' },
  },
  'questions/question action=delete': {
    open: adminsQuestion,
    success: { text: 'Done.' },
  },
  'questions/question intent=lock': {
    open: adminsQuestion,
    success: { text: 'The question is locked.' },
  },
  'questions/question intent=duplicate': {
    open: adminsQuestion,
    values: (run) => ({ duplicateOf: String(run.objects.questionId) }),
    success: { text: 'The question is marked as a duplicate.' },
  },
  'moderation/index action=hide': {
    open: flaggedQuestion,
    form: thisRunsItem,
    success: { url: /\/moderation\?done=hide/, text: 'Done. The change is saved and written to the audit log.' },
  },
  'moderation/index action=delete': {
    open: flaggedQuestion,
    form: thisRunsItem,
    success: { url: /\/moderation\?done=delete/, text: 'Done. The change is saved and written to the audit log.' },
  },
  'moderation/index action=dismiss': {
    open: flaggedQuestion,
    form: thisRunsItem,
    success: { url: /\/moderation\?done=dismiss/, text: 'Done. The change is saved and written to the audit log.' },
  },
  'questions/edit intent=preview': {
    values: () => ({ body: 'An **edited** body.' }),
    success: { check: async ({ page }) => expect(page.locator('strong', { hasText: 'edited' }).first()).toBeVisible() },
  },
  'questions/edit intent=save': {
    open: async (run) => {
      await answeredQuestion(run)
      const id = run.made.question!.split('/')[2]
      await run.page.goto(`/posts/question/${id}/edit`)
    },
    values: (run) => ({ body: `I want the weekly report in my inbox, edited ${run.unique}.` }),
    success: { url: /\/questions\/\d+/, text: /edited \w+\./ },
  },
  // Staff tag management: on tags of a question asked here, so no demo tag changes.
  'questions/tags-manage intent=rename': {
    open: async (run) => questionTagged(run, [`ef-r-${run.unique}`]),
    values: (run) => ({ from: `ef-r-${run.unique}`, to: `ef-renamed-${run.unique}` }),
    success: { url: /\/tags\/manage\?done=renamed&/ },
  },
  'questions/tags-manage intent=merge': {
    open: async (run) => questionTagged(run, [`ef-a-${run.unique}`, `ef-b-${run.unique}`]),
    values: (run) => ({ from: `ef-a-${run.unique}`, into: `ef-b-${run.unique}` }),
    success: { url: /\/tags\/manage\?done=merged&/ },
  },

  // Search synonyms (staff): rules made here and deleted again.
  'search/insights intent=add-synonym': {
    values: (run) => ({ terms: `ef-a-${run.unique}\nef-b-${run.unique}` }),
    success: { text: 'The synonym rule was added. Searches use it from now on.' },
    after: async (run) => {
      await synonymRow(run).locator('[type="submit"]').click()
      await expect(synonymRow(run)).toHaveCount(0)
    },
  },
  'search/insights intent=delete-synonym': {
    open: synonymMadeHere,
    form: (run) => synonymRow(run).locator('form'),
    success: { check: async (run) => expect(synonymRow(run)).toHaveCount(0) },
  },

  // Help center (staff).
  'help/insights intent=review-interval': {
    success: { check: async ({ page }) => expect(page.getByRole('status').first()).toBeVisible() },
  },
  'help/categories direction=up': { success: { url: /\/help\/manage\/categories/ } },
  'help/categories direction=down': { success: { url: /\/help\/manage\/categories/ } },
  'help/categories intent=update-category': { success: { text: 'The category was saved.' } },
  'help/categories intent=update-section': { success: { text: 'The section was renamed.' } },
  'help/categories intent=create-section': {
    values: (run) => ({ nameEn: `Section ${run.unique}`, nameJa: `セクション ${run.unique}` }),
    success: { text: 'The section was added.' },
  },
  'help/categories intent=delete-section': {
    // A section made here first, not a demo one.
    open: async (run) => {
      await run.page.goto('/help/manage/categories')
      const form = run.page.locator('form', { has: run.page.locator('input[name="intent"][value="create-section"]') })
      await sendHelpForm(run, form.first(), { nameEn: `Section ${run.unique}`, nameJa: `セクション ${run.unique}` })
      await expect(run.page.locator(`input[value="Section ${run.unique}"]`)).toHaveCount(1)
    },
    form: (run) => madeHere(run, 'section').locator('form', { has: run.page.locator('[value="delete-section"]') }),
    success: { check: async (run) => expect(madeHere(run, 'section')).toHaveCount(0) },
  },
  'help/categories intent=create-category': {
    values: (run) => ({
      nameEn: `Category ${run.unique}`,
      nameJa: `カテゴリ ${run.unique}`,
      slug: `category-${run.unique}`,
    }),
    success: { text: 'The category was created.' },
    after: async (run) => {
      run.made.category = run.unique
    },
  },
  'help/categories intent=delete-category': {
    // A category made here first, not a demo one.
    open: async (run) => {
      await run.page.goto('/help/manage/categories')
      const form = run.page.locator('form', { has: run.page.locator('input[name="intent"][value="create-category"]') })
      await sendHelpForm(run, form.first(), {
        nameEn: `Doomed ${run.unique}`,
        nameJa: `削除用 ${run.unique}`,
        slug: `doomed-${run.unique}`,
      })
      await expect(run.page.locator(`input[value="doomed-${run.unique}"]`)).toHaveCount(1)
    },
    form: (run) => madeHere(run, 'category').locator('form', { has: run.page.locator('[value="delete-category"]') }),
    success: { check: async (run) => expect(madeHere(run, 'category')).toHaveCount(0) },
  },
  'help/new intent=preview': {
    values: (run) => article(run),
    success: {
      check: async ({ page }) => expect(page.locator('strong', { hasText: 'Settings' }).first()).toBeVisible(),
    },
  },
  'help/new intent=save': {
    values: (run) => ({ ...article(run), slug: `every-form-draft-${run.unique}` }),
    success: { url: /\/help\/articles\/\d+\/edit/ },
  },
  'help/new intent=publish': {
    values: (run) => article(run),
    success: { url: /\/help\/[^/]+\/every-form-/ },
    after: async (run) => {
      run.made.article =
        (await run.page.locator('a[href^="/help/articles/"][href$="/edit"]').first().getAttribute('href')) ?? ''
    },
  },
  'help/edit intent=preview': {
    success: { check: async ({ page }) => expect(page.locator('.prose').first()).toBeVisible() },
  },
  'help/edit intent=save': { success: { url: /\/help\/articles\/\d+\/edit/ } },
  'help/edit intent=unpublish': {
    open: async (run) => {
      await run.page.goto(run.made.article!)
    },
    success: { url: /\/help\/articles\/\d+\/edit/ },
  },
  'help/edit intent=archive': {
    open: async (run) => {
      await run.page.goto(run.made.article!)
    },
    success: { url: /\/help\/articles\/\d+\/edit/ },
  },
  'help/article helpful=yes': {
    success: {
      check: async ({ page }) =>
        expect(page.locator('button[name="helpful"][value="yes"]').first()).toHaveAttribute('aria-pressed', 'true'),
    },
  },
  'help/article helpful=no': {
    values: () => ({ comment: 'The screenshots are out of date.' }),
    success: {
      check: async ({ page }) =>
        expect(page.locator('button[name="helpful"][value="no"]').first()).toHaveAttribute('aria-pressed', 'true'),
    },
  },

  // Events.
  'events/new intent=preview': {
    values: (run) => event(run),
    success: {
      check: async ({ page }) => expect(page.locator('strong', { hasText: 'reports' }).first()).toBeVisible(),
    },
  },
  'events/new intent=save': {
    values: (run) => ({ ...event(run), title: `Every form draft ${run.unique}` }),
    success: { url: /\/events\/\d+/ },
  },
  'events/new intent=publish': {
    values: (run) => event(run),
    success: { url: /\/events\/\d+/, text: 'The event is published.' },
    after: async (run) => {
      run.made.event = new URL(run.page.url()).pathname
    },
  },
  'events/event intent=register': {
    open: (run) => madeEvent(run)(),
    success: { text: 'Your seat is saved. Add the event to your calendar below.' },
  },
  'events/event intent=cancel-event': {
    open: publishedEvent,
    success: { url: /\/events\/\d+/ },
  },
  'events/survey': {
    elsewhere: 'one answer per attendee, which later specs read; events.spec.ts answers the survey after a workshop',
  },
  'events/edit intent=preview': {
    success: { check: async ({ page }) => expect(page.locator('.prose').first()).toBeVisible() },
  },
  'events/edit intent=save': {
    open: async (run) => {
      await run.page.goto(`${run.made.event}/edit`)
    },
    success: { url: /\/events\/\d+/ },
  },

  // Support.
  'support/new': {
    values: (run) => ({
      subject: `The weekly export stopped arriving ${run.unique}`,
      productArea: '#1',
      description: 'Since Monday the scheduled CSV export has not arrived.',
    }),
    success: {
      // Where articles may answer it, the first send shows them and asks to confirm; the next files it.
      check: async ({ page }) => {
        const confirm = page.getByRole('button', { name: 'None of these helped: send my request' })
        await expect(confirm.or(page.getByText(/Your request #\d+ was sent/))).toBeVisible()
        if (await confirm.isVisible()) await confirm.click()
        await expect(page).toHaveURL(/\/support\/tickets\/\d+\?sent=1/)
      },
    },
  },
  'support/import': {
    values: (run) => ({
      csv: `external_id,requester_email,created_at,status\nEF-${run.unique},bob@bluebird.example,2026-11-01,solved`,
    }),
    success: { check: async ({ page }) => expect(page.getByRole('status').first()).toBeVisible() },
  },
  'support/settings intent=handoff': { success: { text: 'Saved. New tickets are handed off with these settings.' } },
  'support/settings intent=rotate-secret': {
    success: {
      text: 'A new signing secret is in use. Give it to the receiver now: deliveries from here on are signed with it.',
    },
  },
  'support/settings intent=crm': {
    success: { text: 'Saved. Account health changes are sent to the CRM with these settings.' },
  },

  // Managing (the values shown are good input).
  'manage/settings intent=scoring': {
    success: { check: async ({ page }) => expect(page.getByRole('status').first()).toBeVisible() },
  },
  'manage/settings intent=cost': {
    success: { check: async ({ page }) => expect(page.getByRole('status').first()).toBeVisible() },
  },

  // Administration.
  'admin/user intent=role': { values: () => ({ role: 'member' }), success: { text: 'The role has been changed.' } },
  'admin/user intent=account': { success: { text: 'The customer account has been changed.' } },
  'admin/user intent=disable': { elsewhere: 'signs a demo user out for good; admin.spec.ts disables a user' },
  'admin/account-new': {
    values: (run) => ({ name: `Every Form ${run.unique}`, domains: `every-form-${run.unique}.example`, seats: '5' }),
    success: { text: 'The account has been created.' },
  },
  'admin/accounts-import': {
    values: (run) => ({
      csv: `name,domains,arr,currency,seats\nImported ${run.unique},imported-${run.unique}.example,2400000,JPY,12`,
    }),
    success: { text: '1 created, 0 updated, 0 rejected.' },
  },
  'admin/account': { success: { text: 'Your changes have been saved.' } },
  'admin/account intent=record-outcome': {
    elsewhere:
      'changes the account’s ARR and status; outcomes.spec.ts records outcomes on an account it makes, JavaScript on and off',
  },
  'admin/account intent=remove-outcome': {
    elsewhere:
      'changes the account’s ARR and status; outcomes.spec.ts removes a churn on an account it makes, JavaScript on and off',
  },
  'admin/outcomes-import': {
    elsewhere: 'records outcomes; outcomes.spec.ts imports a file with a refused line, JavaScript on and off',
  },
  // The survey settings as the page shows them (off in the demo): nothing to save, and the page says so.
  'manage/surveys intent=settings': { success: { text: 'Nothing changed.' } },
  // The first steps and welcome email as the page shows them: nothing to save, and the page says so.
  // first-steps.spec.ts changes a title and the subject, and sends an empty title.
  'manage/onboarding': { success: { text: 'Nothing changed.' } },
  // Shown only to a new member who has not hidden it (the demo's veterans have).
  'home intent=dismiss-first-steps': {
    elsewhere: 'hides the checklist for good; first-steps.spec.ts hides a new member’s, JavaScript on and off',
  },
  // A disabled provider (no button on the sign-in page for the specs after this one); its issuer is not
  // reached when saved. sso.spec.ts adds an enabled one at a real provider, JavaScript on and off.
  'admin/sso intent=create': {
    values: (run) => ({
      name: `Every form ${run.unique}`,
      slug: `ef-${run.unique.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 36).replace(/-+$/, ''),
      issuer: 'https://idp.example.com',
      clientId: `client-${run.unique}`,
      clientSecret: 'every-form-secret',
      enabled: false,
    }),
    success: { url: /\/admin\/sso\/\d+\?done=created$/, text: 'The provider was added.' },
  },
  'admin/sso-provider intent=save': {
    elsewhere: 'the demo has no provider; sso.spec.ts edits one it adds, JavaScript on and off',
  },
  'admin/sso-provider intent=delete': {
    elsewhere: 'the demo has no provider; sso.spec.ts deletes one it adds, JavaScript on and off',
  },
  // Sends the limits the page shows, so nothing changes for the specs after this one.
  'admin/uploads': { success: { url: /\/admin\/uploads\?saved=1$/, text: 'The limits are saved.' } },
  'admin/api-tokens intent=create': {
    values: (run) => ({ name: `Every form ${run.unique}` }),
    form: (_run, forms) => forms,
    success: { check: async ({ page }) => expect(page.getByRole('status').first()).toBeVisible() },
  },
}
