import exifr from 'exifr'
import sharp from 'sharp'
import { demoUsers, expect, signedInPage, test } from './fixtures.ts'

// Images in posts (docs/decisions/041-uploads.md): a screenshot pasted into an answer with JavaScript,
// a file chosen on the ask form without it, and access that follows the post. Fields are found by name:
// Mei and the staff demo user read Japanese.

const MEI = 'mei@acme.example'

/** A phone photo as a member would attach it: JPEG with the camera's EXIF and the GPS position. */
async function photoWithGps(): Promise<Buffer> {
  const width = 640
  const height = 480
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + (i >> 9)) & 0xff
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'E2E Phone', Model: 'GPS' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '35/1 39/1 2910/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '139/1 44/1 4590/100',
      },
    })
    .toBuffer()
}

const UPLOAD_IMAGE = /!\[[^\]]*\]\(\/uploads\/[\w-]{22}\/[^)]+\)/

test('a screenshot pasted into an answer is posted without its GPS position (JavaScript on)', async ({ browser }) => {
  const photo = await photoWithGps()
  expect(await exifr.gps(photo)).toMatchObject({ latitude: expect.any(Number) })
  const page = await signedInPage(browser, demoUsers.alice.email)
  await page.goto('/questions/new')
  await page.locator('input[name="title"]').fill(`Where does the usage chart come from? ${Date.now()}`)
  await page.locator('textarea[name="body"]').fill('The chart on the dashboard shows fewer seats than we have.')
  await page.locator('input[name="tags"]').fill('reports')
  await page.locator('button[name="intent"][value="ask"]').click()
  await expect(page).toHaveURL(/\/questions\/\d+/)
  const body = page.locator('form#answer textarea[name="body"]')
  await body.fill('Here is what I see:\n')
  await body.evaluate((textarea, base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
    const data = new DataTransfer()
    data.items.add(new File([bytes], 'image.jpg', { type: 'image/jpeg' }))
    textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, photo.toString('base64'))
  await expect(page.getByRole('status').filter({ hasText: 'is attached' })).toBeVisible()
  await expect(body).toHaveValue(UPLOAD_IMAGE)
  await page.locator('button[name="intent"][value="answer"]').click()

  const image = page.locator('.post img[src^="/uploads/"]').last()
  await expect(image).toBeVisible()
  await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(640)
  const served = await page.request.get((await image.getAttribute('src'))!)
  expect(served.status()).toBe(200)
  expect(served.headers()).toMatchObject({
    'content-type': 'image/jpeg',
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, max-age=31536000, immutable',
  })
  const bytes = await served.body()
  expect(await exifr.gps(bytes)).toBeUndefined()
  expect((await exifr.parse(bytes, true))?.Make).toBeUndefined()
  await page.context().close()
})

test('a file chosen on the ask form is posted with it; hidden, it answers 404 to others (JavaScript off)', async ({
  browser,
}) => {
  const mei = await signedInPage(browser, MEI, { javaScriptEnabled: false })
  await mei.goto('/questions/new')
  const title = `Error dialog after export ${Date.now()}`
  await mei.locator('input[name="title"]').fill(title)
  await mei.locator('textarea[name="body"]').fill('The export stops with this dialog.')
  await mei.locator('input[name="tags"]').fill('reports')
  await mei.locator('input[type="file"][name="upload"]').setInputFiles({
    name: 'dialog.jpg',
    mimeType: 'image/jpeg',
    buffer: await photoWithGps(),
  })
  await mei.locator('button[name="intent"][value="ask"]').click()
  await expect(mei.getByRole('heading', { level: 1, name: title })).toBeVisible()
  const image = mei.locator('.post img[src^="/uploads/"]').first()
  await expect(image).toBeVisible()
  const src = (await image.getAttribute('src'))!
  const questionUrl = mei.url()

  const nina = await signedInPage(browser, demoUsers.nina.email)
  expect((await nina.request.get(src)).status()).toBe(200)

  const staff = await signedInPage(browser, demoUsers.staff.email, { javaScriptEnabled: false })
  await staff.goto(questionUrl)
  await staff.locator('.moderation-buttons button[value="hide"]').first().click()
  await expect(staff.locator('.moderation-buttons button[value="unhide"]').first()).toBeVisible()
  expect((await staff.request.get(src)).status()).toBe(200)

  const refused = await nina.request.get(src)
  expect(refused.status()).toBe(404)
  expect(await refused.text()).toBe('This file does not exist, or you cannot see it.')
  expect((await mei.request.get(src)).status()).toBe(200)
  for (const page of [mei, nina, staff]) await page.context().close()
})
