import { eq } from 'drizzle-orm'
import { PgBoss } from 'pg-boss'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { NPS_SEND_JOB } from '#app/domain/retention/nps.server.ts'
import { defaultNpsSettings, NPS_SETTING_KEY } from '#app/domain/retention/nps-schemas.ts'
import { writeSetting } from '#app/lib/settings.server.ts'
import { insertAccount, insertUser } from '#app/server/seed/factories/index.ts'
import { npsSurveys, surveyOptOuts } from '#db/schema/retention.ts'
import { database, db } from '#tests/db.ts'
import { decodedBody, type ReceivedMail, startSmtpServer } from '#tests/smtp.ts'
import { type AppServer, startApp } from './app-server.ts'

// Relationship NPS end to end against the built app: its daily job (run now through the queue) mails a
// member over a real SMTP server on loopback, with the RFC 8058 headers; one click on a link in that
// email answers, with no session; the one-click unsubscribe a mail provider POSTs from elsewhere, with
// no cookies, records the opt-out.

const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'
const SCANNER = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'

let app: AppServer
let smtp: Awaited<ReturnType<typeof startSmtpServer>>
let boss: PgBoss
let person: Awaited<ReturnType<typeof insertUser>>
let mail: ReceivedMail

beforeAll(async () => {
  smtp = await startSmtpServer()
  const account = await insertAccount(db, { name: 'Survey Co' })
  person = await insertUser(db, {
    accountId: account.id,
    displayName: 'Mika',
    email: `mika-${Date.now()}@nps.example`,
    createdAt: new Date(Date.now() - 90 * 24 * 60 * 60 * 1000),
  })
  await writeSetting(db, {
    key: NPS_SETTING_KEY,
    value: { ...defaultNpsSettings, enabled: true, firstAfterDays: 30, productName: 'Survey Cloud' },
    actorId: person.id,
  })
  app = await startApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'community@nps.example' } })
  // The app's daily job, queued now as its cron would: the app's worker runs it and mails by SMTP.
  boss = new PgBoss({ connectionString: database.url!, supervise: false, schedule: false, migrate: false })
  boss.on('error', () => {})
  await boss.start()
  await boss.send(NPS_SEND_JOB, {})
  const deadline = Date.now() + 60_000
  while (!smtp.received.some((message) => message.to.includes(person.email))) {
    if (Date.now() > deadline) throw new Error(`no survey email reached ${person.email}:\n${app.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  mail = smtp.received.find((message) => message.to.includes(person.email))!
}, 180_000)

afterAll(async () => {
  await boss?.stop({ graceful: false })
  await app?.stop()
  await smtp?.close()
})

function header(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? ''
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ')
  const line = unfolded.split(/\r?\n/).find((one) => one.toLowerCase().startsWith(`${name.toLowerCase()}:`))
  return line ? line.slice(name.length + 1).trim() : null
}

test('the survey email arrives over SMTP with List-Unsubscribe and List-Unsubscribe-Post (RFC 8058)', () => {
  const unsubscribe = header(mail.raw, 'List-Unsubscribe')
  expect(unsubscribe).toMatch(new RegExp(`^<${app.origin}/surveys/unsubscribe/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+>$`))
  expect(header(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
  const body = decodedBody(mail.raw)
  expect(body).toContain('How likely are you to recommend Survey Cloud to a colleague?')
  expect(body).toContain(unsubscribe!.slice(1, -1))
  expect(body.match(/\/surveys\/nps\/\S+\/\d+/g)).toHaveLength(11)
})

test('one click on a link in the email answers, with no session; a link scanner’s visit records nothing', async () => {
  const body = decodedBody(mail.raw)
  const link = (score: number) => new RegExp(`(${app.origin}/surveys/nps/\\S+/${score})(?=\\s)`).exec(body)![1]!
  const [survey] = await db.select().from(npsSurveys).where(eq(npsSurveys.userId, person.id))

  const scanned = await fetch(link(0), { headers: { 'user-agent': SCANNER }, redirect: 'manual' })
  expect(scanned.status).toBe(200)
  expect(await scanned.text()).toContain('Send my answer')
  expect((await db.select().from(npsSurveys).where(eq(npsSurveys.id, survey!.id)))[0]!.score).toBeNull()

  const clicked = await fetch(link(7), { headers: { 'user-agent': BROWSER, 'accept-language': 'ja' } })
  expect(clicked.status).toBe(200)
  expect(clicked.headers.get('cache-control')).toContain('no-store')
  expect(clicked.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
  const page = await clicked.text()
  expect(page).toContain('ありがとうございます。回答（7）を記録しました。')
  expect(page).not.toContain(person.email)
  const [answered] = await db.select().from(npsSurveys).where(eq(npsSurveys.id, survey!.id))
  expect(answered).toMatchObject({ score: 7, accountId: person.accountId })

  const forged = await fetch(link(7).replace(/(\/surveys\/nps\/\d+\.)[A-Za-z0-9_-]/, '$1~'), {
    headers: { 'user-agent': BROWSER },
  })
  expect(forged.status).toBe(404)
  expect(await forged.text()).toContain('This survey link is not valid')
})

test('the RFC 8058 one-click POST, with no cookies and from another site, unsubscribes, once', async () => {
  const url = header(mail.raw, 'List-Unsubscribe')!.slice(1, -1)
  // A GET (a scanner following the link) only asks.
  const asked = await fetch(url, { headers: { 'user-agent': SCANNER } })
  expect(asked.status).toBe(200)
  expect(await db.select().from(surveyOptOuts).where(eq(surveyOptOuts.userId, person.id))).toEqual([])

  for (let i = 0; i < 2; i++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://mail.provider.example',
        'user-agent': 'Mail provider one-click unsubscriber',
      },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    })
    expect(response.status, await response.clone().text()).toBe(200)
    expect(response.headers.get('set-cookie')).toBeNull()
  }
  expect(await db.select().from(surveyOptOuts).where(eq(surveyOptOuts.userId, person.id))).toHaveLength(1)
})
