import { chromium } from '@playwright/test'

const base = 'http://localhost:3400'
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const ctx = await browser.newContext()
const page = await ctx.newPage()
page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 500)))
page.on('pageerror', (e) => console.log('pageerror', e.message, e.stack?.slice(0, 800)))
await page.goto(`${base}/login`)
await page.getByLabel('Email').fill('chris@cobalt.example')
await page.getByLabel('Password', { exact: true }).fill('community-demo-2026')
await page.getByRole('button', { name: 'Sign in' }).click()
await page.waitForURL((u) => !u.pathname.startsWith('/login'))
for (let i = 0; i < 3; i++) {
  await page.goto(`${base}/questions/new`)
  await page.locator('#ask-question [name=title]').fill(`Previewing run ${i} abc`)
  await page.locator('#ask-question [name=body]').fill('Some **bold** text.')
  await page.locator('#ask-question button[value=preview]').click()
  await page.waitForTimeout(2500)
  console.log(i, await page.title(), await page.locator('strong', { hasText: 'bold' }).count())
}
await browser.close()
