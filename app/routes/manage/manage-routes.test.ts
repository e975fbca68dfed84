import { expect, test } from 'vitest'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import {
  insertAccount,
  insertAttempt,
  insertStaff,
  insertTicket,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { accountScores } from '#db/schema/scoring.ts'
import { db } from '#tests/db.ts'
import { routeContext, settle } from '#tests/route-harness.ts'
import { loader as accountLoader } from './account.tsx'
import { loader as exportLoader } from './export.ts'
import { loader as dashboardLoader } from './index.tsx'

function exportCsv(path: string, user: SessionUser | null, locale: 'en' | 'ja' = 'en') {
  const url = new URL(`http://localhost/manage/export/${path}`)
  const table = url.pathname.split('/').pop() ?? ''
  return settle(() =>
    exportLoader({ request: new Request(url), context: routeContext(user, locale), params: { table } } as never),
  )
}

/** A BAD snapshot today for an account whose name tries a formula and needs quoting. */
async function atRiskAccount() {
  const today = new Date().toISOString().slice(0, 10)
  const account = await insertAccount(db, { name: `=HYPERLINK("http://evil.example"),"x" ${Date.now()}` })
  const text = { en: 'BAD: breadth 9%, "quoted"\nsecond line', ja: 'BAD：利用の広がり 9%' }
  await db.insert(accountScores).values({
    accountId: account.id,
    asOf: today,
    level: 'BAD',
    score: 12.5,
    coverage: 0.8,
    tier: 'high',
    components: [
      {
        measure: 'breadth',
        band: 'BAD',
        value: 9,
        weight: 2,
        score: 0,
        reason: { en: '-1 seat active, @everyone', ja: '有効な席は 1 つ' },
      },
    ],
    summary: text,
    change: null,
    levelSince: today,
    hardRisk: null,
    play: 'csm_call',
    playReason: { en: 'Call them.', ja: '電話する。' },
    engagementPoints: 0,
    activeMembers: 1,
    champions: 0,
  })
  return account
}

test('a table downloads as CSV: headers in the reader’s language, a BOM, RFC 4180 quoting and no formulas', async () => {
  const manager = await insertUser(db, { role: 'manager' })
  await atRiskAccount()

  const csv = await exportCsv('health-at-risk?days=7', manager)
  expect(csv.status).toBe(200)
  expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
  expect(csv.headers.get('Content-Disposition')).toMatch(
    /^attachment; filename="health-at-risk-7d-\d{4}-\d{2}-\d{2}\.csv"$/,
  )
  expect([...(csv.bytes ?? []).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const lines = csv.text.slice(1).split('\r\n')
  expect(lines[0]).toBe('Account,Level,Touch tier,Score,ARR,ARR currency,Renewal,CSM,Why,Suggested play,Why this play')
  expect(csv.text.endsWith('\r\n')).toBe(true)
  // The name starts with "=": an apostrophe defuses it, and its quotes and comma make the field quoted.
  expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example""),""x"" `)
  // Summary and reasons in one field, line break kept inside the quotes; "-" and "@" text defused.
  expect(csv.text).toContain('"BAD: breadth 9%, ""quoted""\nsecond line\n-1 seat active, @everyone"')
  expect(csv.text).toContain(',BAD,high,12.5,2400000,JPY,2027-01-01,,')
  expect(csv.text).toContain(',csm_call,Call them.')
  expect(csv.text.startsWith('\uFEFF')).toBe(true)
  expect(csv.text.match(/HYPERLINK/g)).toHaveLength(1)

  const ja = await exportCsv('health-at-risk?days=7', manager, 'ja')
  expect(ja.text.slice(1).split('\r\n')[0]).toBe(
    'アカウント,判定,タッチモデル,スコア,ARR,ARR の通貨,更新日,担当 CSM,理由,推奨アクション,このアクションの理由',
  )
  expect(ja.text).toContain('"BAD：利用の広がり 9%\n有効な席は 1 つ"')

  // A negative number is ours, not text: it stays a number (the weekly table's counts are plain).
  const weekly = await exportCsv('deflection-weekly?days=30', manager)
  expect(weekly.status).toBe(200)
  expect(weekly.text.slice(1).split('\r\n')[0]).toBe(
    'Week starting,Tickets filed,Through the contact form,Deflected,Possibly deflected (implicit),Deflection rate',
  )
  expect(weekly.text.slice(1).split('\r\n').filter(Boolean).length).toBeGreaterThanOrEqual(5)
})

test('account tables export for one account; unknown tables and accounts are 404', async () => {
  const staff = await insertStaff(db)
  const account = await insertAccount(db, { name: 'Export Co' })
  const member = await insertUser(db, { accountId: account.id, displayName: '@member, "Kim"' })
  const ticket = await insertTicket(db, member, { subject: '+1 the export fails' })
  await insertAttempt(db, member, { outcome: 'explicit', query: 'export csv' })

  const members = await exportCsv(`account-members?days=30&account=${account.id}`, staff)
  expect(members.status).toBe(200)
  expect(members.headers.get('Content-Disposition')).toMatch(
    new RegExp(`filename="account-${account.id}-members-30d-\\d{4}-\\d{2}-\\d{2}\\.csv"`),
  )
  expect(members.text.slice(1).split('\r\n')).toEqual([
    'Member,Level,Points,Last active,Status',
    `"'@member, ""Kim""",observer,0,,active`,
    '',
  ])
  const tickets = await exportCsv(`account-tickets?account=${account.id}`, staff)
  expect(tickets.text).toContain(`${ticket.id},'+1 the export fails,"'@member, ""Kim""",portal,open,`)
  const deflections = await exportCsv(`account-deflections?account=${account.id}`, staff)
  expect(deflections.text).toContain(',export csv,')

  expect((await exportCsv('account-members?days=30&account=999999999', staff)).status).toBe(404)
  expect((await exportCsv('account-members?days=30', staff)).status).toBe(404)
  expect((await exportCsv('no-such-table?days=30', staff)).status).toBe(404)
})

test('members get 403 and visitors are sent to sign in, for the file and the pages', async () => {
  const member = await insertUser(db)
  const account = await insertAccount(db)
  expect((await exportCsv('health-at-risk?days=30', member)).status).toBe(403)
  const visitor = await exportCsv('health-at-risk?days=30', null)
  expect(visitor.status).toBe(302)
  expect(visitor.headers.get('Location')).toBe(
    `/login?redirectTo=${encodeURIComponent('/manage/export/health-at-risk?days=30')}`,
  )

  const page = (loader: typeof dashboardLoader | typeof accountLoader, path: string, user: SessionUser | null) =>
    settle(() =>
      loader({
        request: new Request(`http://localhost${path}`),
        context: routeContext(user),
        params: { accountId: String(account.id) },
      } as never),
    )
  expect((await page(dashboardLoader, '/manage', member)).status).toBe(403)
  expect((await page(accountLoader, `/manage/accounts/${account.id}`, member)).status).toBe(403)
  expect((await page(dashboardLoader, '/manage', null)).status).toBe(302)

  // Staff read both pages; an odd period falls back to 30 days.
  const staff = await insertStaff(db)
  expect(await page(dashboardLoader, '/manage?days=12', staff)).toMatchObject({ status: 200, body: { days: 30 } })
  expect(await page(accountLoader, `/manage/accounts/${account.id}?days=90`, staff)).toMatchObject({
    status: 200,
    body: { days: 90, account: { id: account.id } },
  })
  const missing = await settle(() =>
    accountLoader({
      request: new Request('http://localhost/manage/accounts/999999999'),
      context: routeContext(staff),
      params: { accountId: '999999999' },
    } as never),
  )
  expect(missing.status).toBe(404)
})
