import { instantToZonedLocal } from '../../app/lib/time-zones.ts'
import { demoUsers, expect, signedInPage, switchLanguage, test } from './fixtures.ts'

// Staff (switched to English here) host; alice, bob and nina register.

test('a workshop with 2 seats: the third member waits, a cancellation promotes them, attendance is taken and the survey gives an NPS', async ({
  browser,
  axe,
}) => {
  const title = `Dashboards workshop ${Date.now()}`
  const staff = await signedInPage(browser, demoUsers.staff.email)
  await switchLanguage(staff, 'en')
  await staff.goto('/events/new')
  await staff.getByLabel('Kind').selectOption('workshop')
  await staff.getByLabel('Title').fill(title)
  await staff.getByLabel('Description').fill('Build your first **dashboard** together.')
  await staff.getByLabel('Venue').fill('Tokyo office, room 4')
  await staff.getByLabel('Capacity').fill('2')
  await axe.expectNoSeriousA11yViolations(staff)
  await staff.getByRole('button', { name: 'Publish' }).click()
  await expect(staff.getByText('The event is published.')).toBeVisible()
  const eventUrl = new URL(staff.url()).pathname

  const register = async (email: string, button: string, notice: string) => {
    const member = await signedInPage(browser, email)
    await member.goto(eventUrl)
    await member.getByRole('button', { name: button }).click()
    await expect(member.getByText(notice)).toBeVisible()
    return member
  }
  const alice = await register(demoUsers.alice.email, 'Register', 'Your seat is saved.')
  const bob = await register(demoUsers.bob.email, 'Register', 'Your seat is saved.')
  const nina = await register(demoUsers.nina.email, 'Join the waitlist', 'The event is full: you are on the waitlist.')
  await expect(nina.getByText('You are number 1 on the waitlist.', { exact: false })).toBeVisible()
  await axe.expectNoSeriousA11yViolations(nina)

  await alice.getByRole('button', { name: 'Cancel my registration' }).click()
  await expect(alice.getByText('Your registration is cancelled.')).toBeVisible()
  await nina.reload()
  await expect(nina.getByText('You are registered.', { exact: true })).toBeVisible()

  // The workshop took place: staff move it to the last two hours, then take attendance.
  await staff.goto(`${eventUrl}/edit`)
  const zone = 'Asia/Tokyo'
  await staff.getByLabel('Time zone of the event').selectOption(zone)
  await staff.getByLabel('Starts').fill(instantToZonedLocal(new Date(Date.now() - 2 * 3_600_000), zone))
  await staff.getByLabel('Ends').fill(instantToZonedLocal(new Date(Date.now() - 3_600_000), zone))
  await staff.getByRole('button', { name: 'Save changes' }).click()
  await expect(staff.getByText('Everyone registered or waiting was emailed', { exact: false })).toBeVisible()
  await staff.goto(`${eventUrl}/attendance`)
  await staff.getByRole('radio', { name: `Attended (${demoUsers.bob.displayName})` }).check()
  await staff.getByRole('radio', { name: `Attended (${demoUsers.nina.displayName})` }).check()
  await axe.expectNoSeriousA11yViolations(staff)
  await staff.getByRole('button', { name: 'Save attendance' }).click()
  await expect(staff.getByText('Attendance saved.', { exact: false })).toBeVisible()

  await nina.goto(`${eventUrl}/survey`)
  await nina.getByRole('radio', { name: '5 – Excellent' }).check()
  await nina
    .getByRole('group', { name: 'How likely are you to recommend us to a colleague or a friend?' })
    .getByRole('radio', { name: '9', exact: true })
    .check()
  await nina.getByLabel('Anything else you would like to tell us? (optional)').fill('Great pace.')
  await axe.expectNoSeriousA11yViolations(nina)
  await nina.getByRole('button', { name: 'Send my answers' }).click()
  await expect(nina.getByText('Thank you for your answers!')).toBeVisible()

  await staff.goto(`${eventUrl}/results`)
  await expect(staff.getByText('Net Promoter Score')).toBeVisible()
  await expect(staff.getByRole('definition').filter({ hasText: /^\+100$/ })).toBeVisible()
  await expect(staff.getByText('Great pace.')).toBeVisible()
  await axe.expectNoSeriousA11yViolations(staff)
  await switchLanguage(staff, 'ja')
  for (const page of [staff, alice, bob, nina]) await page.context().close()
})

test('the event calendar file downloads, and the events pages pass accessibility checks in both languages', async ({
  page,
  login,
  axe,
}) => {
  await login(demoUsers.alice.email)
  await page.goto('/events')
  await axe.expectNoSeriousA11yViolations(page)
  await page.getByRole('link', { name: 'What is new in reporting: December release walkthrough' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'What is new in reporting: December release walkthrough',
  )
  const eventPath = new URL(page.url()).pathname
  const ics = await page.request.get(`${eventPath}.ics`)
  expect(ics.headers()['content-type']).toContain('text/calendar')
  expect(await ics.text()).toContain('SUMMARY:What is new in reporting')
  await axe.expectNoSeriousA11yViolations(page)
  await page.goto('/events?tab=mine')
  await expect(page.getByLabel('Calendar feed URL')).toHaveValue(/\/calendar\/.+\.ics$/)
  await axe.expectNoSeriousA11yViolations(page)
  // The language is stored on the member: wait for each switch to land, or a slow machine closes the
  // page before the English one is saved and Alice reads Japanese in every later spec.
  await switchLanguage(page, 'ja')
  await page.goto('/events?tab=past')
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
  await axe.expectNoSeriousA11yViolations(page)
  await switchLanguage(page, 'en')
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('registering and cancelling are plain form posts', async ({ page, login }) => {
    await login(demoUsers.bob.email)
    await page.goto('/events')
    await page.getByRole('link', { name: 'What is new in reporting: December release walkthrough' }).click()
    await page.getByRole('button', { name: 'Register' }).click()
    await expect(page.getByText('Your seat is saved.', { exact: false })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Join the online session' })).toBeVisible()
    await page.getByRole('button', { name: 'Cancel my registration' }).click()
    await expect(page.getByText('Your registration is cancelled.')).toBeVisible()
    await expect(page.getByRole('link', { name: 'Join the online session' })).toHaveCount(0)
  })
})
