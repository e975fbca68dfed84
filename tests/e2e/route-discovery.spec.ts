import { demoUsers, expect, signedInPage, test } from './fixtures.ts'

// The browser knows every route from the first page (react-router.config.ts, routeDiscovery "initial";
// docs/decisions/033-routes-known-up-front.md). With routes discovered lazily, a fetcher for an address
// the page had not discovered yet could run against the catch-all not-found route while the discovery
// request was still on its way, and the whole page turned into "Something went wrong": a slow network
// (here: every discovery request held for two seconds) made it happen to anyone typing a title quickly.

test('typing a title at once on the ask page shows similar questions, not an error page, on a slow network', async ({
  browser,
}) => {
  const page = await signedInPage(browser, demoUsers.alice.email)
  const discoveries: string[] = []
  await page.route('**/__manifest?**', async (route) => {
    discoveries.push(route.request().url())
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    await route.continue()
  })
  await page.goto('/questions/new')
  const title = page.getByLabel('Title')
  await expect
    .poll(() => title.evaluate((element) => Object.keys(element).some((key) => key.startsWith('__reactFiber'))))
    .toBe(true)
  // The title's similar-questions lookup starts while the preview is being sent.
  await title.fill('How do I export reports to CSV?')
  await page.getByLabel('Details').fill('Some **bold** text.')
  await page.getByRole('button', { name: 'Preview' }).click()
  await expect(page.locator('strong', { hasText: 'bold' })).toBeVisible()
  await expect(page.getByRole('heading', { name: /^Similar questions/ })).toBeVisible()
  await page.waitForTimeout(2_500)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ask a question')
  await expect(page).not.toHaveTitle(/Something went wrong/)
  expect(discoveries).toEqual([])
  await page.context().close()
})
