import { expect, test } from './fixtures.ts'

// Bad input gets a clear answer (4xx, or the form again with its errors), never a 500. Each form is
// posted malformed bodies as a browser would send them (same origin, urlencoded or multipart).

const forms = ['/signup', '/login', '/forgot-password', '/reset-password/not-a-real-token', '/set-locale', '/logout']

const bodies: Record<string, string>[] = [
  {},
  { email: '', password: '' },
  { email: 'not-an-email', displayName: 'x'.repeat(5000), password: 'p'.repeat(5000) },
  { email: '\u0000@\u0000', password: '\u0000', redirectTo: 'javascript:alert(1)' },
  { email: 'a@b.example', password: 'short', confirm: 'other', token: "'; drop table users; --" },
  { locale: 'xx', redirectTo: '//evil.example' },
  { 'email[0]': 'a', 'password.x': 'b', intent: '🙂'.repeat(100) },
]

test('malformed form posts never get a server error', async ({ request, baseURL }) => {
  for (const path of forms) {
    for (const body of bodies) {
      const response = await request.post(path, { form: body, headers: { origin: baseURL! }, maxRedirects: 0 })
      expect(response.status(), `${path} ${JSON.stringify(body).slice(0, 80)}`).toBeLessThan(500)
    }
  }
})

test('malformed addresses are 404s, not crashes', async ({ request }) => {
  for (const path of [
    '/admin/users/abc',
    '/admin/users/99999999999999',
    '/admin/accounts/-1',
    '/admin/mail/1e9',
    '/%E0%A4%A',
  ]) {
    const response = await request.get(path, { maxRedirects: 0 })
    expect(response.status(), path).toBeLessThan(500)
  }
})

test('a sign-in with a password far over the limit is refused with a message, not truncated or crashed', async ({
  page,
}) => {
  await page.goto('/login')
  await page.getByLabel('Email').fill('alice@acme.example')
  await page.getByLabel('Password', { exact: true }).fill('x'.repeat(2000))
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByText(/at most 1024 characters|incorrect/)).toBeVisible()
  await expect(page.getByLabel('Email')).toHaveValue('alice@acme.example')
})
