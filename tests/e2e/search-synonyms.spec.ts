import { demoUsers, expect, signedInPage, switchLanguage, test } from './fixtures.ts'

// Search v2 in the browser (docs/decisions/045): staff manage synonyms on /search/insights with plain
// forms, and a search for one term then finds content written with the other; a translated help
// article is one result, in the reader's language, naming the other.

test('staff add a two-way synonym without JavaScript; a refused one is translated and kept; one term then finds the other', async ({
  browser,
  page,
}) => {
  // A word nobody wrote, made for this run (a retry adds a rule of its own).
  const made = `flumox${Date.now().toString(36)}`
  await page.goto(`/search?q=${made}`)
  await expect(page.getByText(`Nothing matches “${made}”.`)).toBeVisible()

  const staff = await signedInPage(browser, demoUsers.staff.email, { javaScriptEnabled: false })
  await switchLanguage(staff, 'ja')
  await staff.goto('/search/insights')
  const synonyms = staff.getByRole('region', { name: '類義語', exact: true })
  await expect(synonyms).toBeVisible()
  const form = synonyms.getByRole('region', { name: '類義語のルールを追加' })
  const terms = form.getByLabel('言葉', { exact: true })

  // The same word twice, once in full-width letters: refused in Japanese, what was typed still there.
  const typed = `${made}\n${made.toUpperCase().replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))}`
  await terms.fill(typed)
  await form.getByRole('button', { name: 'ルールを追加' }).click()
  await expect(form.getByText(`「${made}」が 2 回入力されています。`)).toBeVisible()
  await expect(terms).toHaveValue(typed)

  // The rule staff meant: the made-up word and one the demo help center uses.
  await terms.fill(`${made}, webhook`)
  await form.getByLabel(/双方向/).check()
  await form.getByRole('button', { name: 'ルールを追加' }).click()
  await expect(staff).toHaveURL(/done=synonym-added/)
  await expect(synonyms.getByRole('status')).toHaveText('類義語のルールを追加しました。これからの検索に使われます。')
  const row = synonyms.getByRole('row').filter({ hasText: made })
  await expect(row).toContainText('双方向')

  await page.goto(`/search?q=${made}`)
  const results = page.getByRole('region', { name: 'Results' })
  await expect(results.getByRole('link', { name: 'How webhook retries work' })).toBeVisible()
  await expect(results.locator('mark').first()).toHaveText(/webhook/i)

  // Deleting it (still without JavaScript): the word finds nothing again.
  await row.getByRole('button', { name: /削除/ }).click()
  await expect(synonyms.getByRole('status')).toHaveText('類義語のルールを削除しました。')
  await expect(synonyms.getByRole('row').filter({ hasText: made })).toHaveCount(0)
  await page.goto(`/search?q=${made}`)
  await expect(page.getByText(`Nothing matches “${made}”.`)).toBeVisible()
  await staff.context().close()
})

test('nothing found offers tips and the help center', async ({ page }) => {
  await page.goto('/search?q=zzqxv')
  const empty = page.getByRole('list', { name: 'Tips for searching' })
  await expect(empty.getByRole('listitem')).toHaveCount(3)
  await page.getByRole('link', { name: 'Browse the help center' }).click()
  await expect(page).toHaveURL(/\/help$/)
})

test('a translated help article is one result in the reader’s language, naming and linking the other', async ({
  page,
}) => {
  await page.goto('/search?q=saml')
  const results = page.getByRole('region', { name: 'Results' })
  const english = results.getByRole('listitem').filter({
    has: page.getByRole('link', { name: 'Set up SAML single sign-on' }),
  })
  await expect(english).toBeVisible()
  await expect(results.getByRole('link', { name: 'SAML シングルサインオンを設定する' })).toHaveCount(0)
  await english.getByRole('link', { name: 'Also in 日本語' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'SAML シングルサインオンを設定する' })).toBeVisible()

  // A Japanese reader gets the Japanese version, found by the English words too.
  await switchLanguage(page, 'ja')
  await page.goto('/search?q=single%20sign-on')
  const found = page.getByRole('region', { name: '検索結果' })
  const japanese = found.getByRole('listitem').filter({
    has: page.getByRole('link', { name: 'SAML シングルサインオンを設定する' }),
  })
  await expect(japanese.getByRole('link', { name: 'English 版もあります' })).toBeVisible()
  await expect(found.getByRole('link', { name: 'Set up SAML single sign-on' })).toHaveCount(0)
})
