import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { surveyToken, unsubscribeToken } from '#app/domain/retention/nps.server.ts'
import { quarterOf } from '#app/domain/retention/nps-schemas.ts'
import { insertAccount, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { npsSurveys, surveyOptOuts } from '#db/schema/retention.ts'
import { db } from '#tests/db.ts'
import { routeContext, settle } from '#tests/route-harness.ts'
import { action as manageAction, loader as manageLoader } from '../manage/surveys.tsx'
import { loader as exportLoader } from '../manage/surveys-export.ts'
import { action as answerAction, loader as answerLoader } from './nps.tsx'
import { action as unsubscribeAction, loader as unsubscribeLoader } from './unsubscribe.tsx'

const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'
const SCANNER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36'

async function survey(sentAt = new Date()) {
  const account = await insertAccount(db, { name: `Acme ${Date.now()}` })
  const user = await insertUser(db, { accountId: account.id })
  const [row] = await db
    .insert(npsSurveys)
    .values({ userId: user.id, accountId: account.id, quarter: quarterOf(sentAt), sentAt })
    .returning()
  return { user, account, row: row!, token: await surveyToken(db, row!.id) }
}

function get(path: string, userAgent = BROWSER, locale: 'en' | 'ja' = 'en') {
  const [, , , token = '', score] = path.split('/')
  return settle(() =>
    answerLoader({
      request: new Request(`http://localhost${path}`, { headers: { 'user-agent': userAgent } }),
      params: { token, score },
      context: routeContext(null, locale),
    } as never),
  )
}

function post(path: string, fields: Record<string, string | string[]>) {
  const body = new FormData()
  for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(key, one)
  return new Request(`http://localhost${path}`, { method: 'POST', body })
}

async function scoreOf(id: number) {
  const [row] = await db.select().from(npsSurveys).where(eq(npsSurveys.id, id))
  return row
}

test('a person’s click records the answer; a link scanner’s visit records nothing and gets a send button', async () => {
  const { row, token } = await survey()
  const scanned = await get(`/surveys/nps/${token}/3`, SCANNER)
  expect(scanned.status).toBe(200)
  expect(scanned.body).toMatchObject({ state: 'confirm', chosen: 3, view: { score: null } })
  expect((await scoreOf(row.id))!.score).toBeNull()

  const clicked = await get(`/surveys/nps/${token}/8`)
  expect(clicked.body).toMatchObject({ state: 'answered', view: { score: 8 } })
  expect((await scoreOf(row.id))!.score).toBe(8)
  // The view carries the member's own answer only: no name, no address, no account.
  expect(Object.keys((clicked.body as { view: object }).view).sort()).toEqual(['comment', 'productName', 'score'])

  // The scanner's button (and the eleven buttons) post the answer, then show the page of that score.
  const sent = await settle(() =>
    answerAction({
      request: post(`/surveys/nps/${token}/3`, { intent: 'answer', score: '3' }),
      params: { token, score: '3' },
      context: routeContext(null),
    } as never),
  )
  expect(sent.location).toBe(`/surveys/nps/${token}/3`)
  expect((await scoreOf(row.id))!.score).toBe(3)
})

test('the comment: translated errors keep the text; a saved comment returns to the page', async () => {
  const { row, token } = await survey()
  await get(`/surveys/nps/${token}/10`)
  const long = 'x'.repeat(2001)
  const refused = await settle(() =>
    answerAction({
      request: post(`/surveys/nps/${token}/10`, { intent: 'comment', comment: long }),
      params: { token, score: '10' },
      context: routeContext(null, 'ja'),
    } as never),
  )
  expect(refused.status).toBe(400)
  expect(JSON.stringify(refused.body)).toContain('nps.validation.comment_too_long')
  expect(JSON.stringify(refused.body)).toContain(long)
  const saved = await settle(() =>
    answerAction({
      request: post(`/surveys/nps/${token}/10`, { intent: 'comment', comment: 'Fast answers.' }),
      params: { token, score: '10' },
      context: routeContext(null),
    } as never),
  )
  expect(saved.location).toBe(`/surveys/nps/${token}/10?saved=comment#comment-title`)
  expect((await scoreOf(row.id))!.comment).toBe('Fast answers.')
})

test('forged, foreign and expired links get a translated page with 404 or 410, never a 500', async () => {
  const { token, user } = await survey()
  const old = await survey(new Date(Date.now() - 61 * 24 * 60 * 60 * 1000))
  // Another last character (a token that already ends in A stays valid with an A).
  const forged = await get(`/surveys/nps/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}/5`, BROWSER, 'ja')
  expect(forged.status).toBe(404)
  expect((forged.body as { closed: string }).closed).toContain('このアンケートのリンクは無効です')
  const foreign = await get(`/surveys/nps/${await unsubscribeToken(db, user.id)}/5`)
  expect(foreign.status).toBe(404)
  const expired = await get(`/surveys/nps/${old.token}/5`)
  expect(expired.status).toBe(410)
  expect((expired.body as { closed: string }).closed).toContain('closed')
  expect((await scoreOf(old.row.id))!.score).toBeNull()
  const badScore = await get(`/surveys/nps/${token}/11`)
  expect(badScore.body).toMatchObject({ state: 'choose' })
})

test('unsubscribe: the GET only asks; the POST records the opt-out once; a forged token is 404', async () => {
  const { user } = await survey()
  const token = await unsubscribeToken(db, user.id)
  const page = await settle(() => unsubscribeLoader({ params: { token }, context: routeContext(null) } as never))
  expect(page.body).toEqual({ invalid: null })
  expect(await db.select().from(surveyOptOuts).where(eq(surveyOptOuts.userId, user.id))).toEqual([])
  for (let i = 0; i < 2; i++) {
    const done = await settle(() =>
      unsubscribeAction({
        request: new Request(`http://localhost/surveys/unsubscribe/${token}`, {
          method: 'POST',
          body: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        params: { token },
        context: routeContext(null),
      } as never),
    )
    expect(done.body).toEqual({ done: true, invalid: null })
  }
  expect(await db.select().from(surveyOptOuts).where(eq(surveyOptOuts.userId, user.id))).toHaveLength(1)
  const forged = await settle(() =>
    unsubscribeLoader({ params: { token: `${token}x` }, context: routeContext(null) } as never),
  )
  expect(forged.status).toBe(404)
})

test('/manage/surveys: staff read, managers save (bad input translated and kept), members are refused', async () => {
  const manager = await insertUser(db, { role: 'manager' })
  const staff = await insertStaff(db)
  const member = await insertUser(db)
  const page = await settle(() =>
    manageLoader({ request: new Request('http://localhost/manage/surveys'), context: routeContext(staff) } as never),
  )
  expect(page.body).toMatchObject({ canEdit: false, settings: { enabled: false } })
  const refused = await settle(() =>
    manageLoader({ request: new Request('http://localhost/manage/surveys'), context: routeContext(member) } as never),
  )
  expect(refused.status).toBe(403)

  const form = {
    intent: 'settings',
    enabled: 'on',
    cadenceMonths: '3',
    audience: 'tiers',
    firstAfterDays: 'soon',
    productName: 'Acme Cloud',
  }
  const bad = await settle(() =>
    manageAction({ request: post('/manage/surveys', form), context: routeContext(manager) } as never),
  )
  expect(bad.status).toBe(400)
  const text = JSON.stringify(bad.body)
  expect(text).toContain('nps.validation.first_after_invalid')
  expect(text).toContain('nps.validation.tiers_required')
  expect(text).toContain('Acme Cloud')
  const noTier = await settle(() =>
    manageAction({
      request: post('/manage/surveys', { ...form, firstAfterDays: '0' }),
      context: routeContext(manager),
    } as never),
  )
  expect(noTier.status).toBe(400)
  expect(JSON.stringify(noTier.body)).toContain('nps.validation.tiers_required')
  const asStaff = await settle(() =>
    manageAction({ request: post('/manage/surveys', form), context: routeContext(staff) } as never),
  )
  expect(asStaff.status).toBe(403)
  const good = await settle(() =>
    manageAction({
      request: post('/manage/surveys', { ...form, firstAfterDays: '0', tiers: ['high', 'low'] }),
      context: routeContext(manager),
    } as never),
  )
  expect(good.location).toBe('/manage/surveys?done=saved')
  const after = await settle(() =>
    manageLoader({ request: new Request('http://localhost/manage/surveys'), context: routeContext(manager) } as never),
  )
  expect(after.body).toMatchObject({
    canEdit: true,
    settings: { enabled: true, cadenceMonths: 3, audience: 'tiers', tiers: ['high', 'low'], firstAfterDays: 0 },
  })
  const sent = await settle(() =>
    manageAction({ request: post('/manage/surveys', { intent: 'send' }), context: routeContext(manager) } as never),
  )
  expect(sent.location).toMatch(/^\/manage\/surveys\?done=sent&sent=\d+#send-title$/)
})

test('the trend downloads as CSV in the reader’s language', async () => {
  const staff = await insertStaff(db)
  const { token } = await survey()
  await get(`/surveys/nps/${token}/9`)
  const csv = await settle(() =>
    exportLoader({
      request: new Request('http://localhost/manage/surveys/export.csv'),
      context: routeContext(staff, 'ja'),
    } as never),
  )
  expect(csv.status).toBe(200)
  expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
  const lines = csv.text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
  expect(lines[0]).toBe('四半期,タッチモデル,回答数,推奨者（9〜10）,中立者（7〜8）,批判者（0〜6）,推奨度（NPS）')
  // This file's answers so far: 3 (first test), 10 (the comment test) and this 9.
  expect(lines).toContain(`${quarterOf(new Date())},all,3,2,0,1,33`)
})
