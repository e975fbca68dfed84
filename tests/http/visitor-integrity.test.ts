import { and, count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { newVisitorsPerAddress } from '#app/lib/visitor.server.ts'
import { articleFeedback, articles } from '#db/schema/help.ts'
import { questions } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import { type AppServer, startApp, Visitor } from './app-server.ts'
import { type DemoObjects, demoObjects } from './personas.ts'

// View counts and "Was this helpful?" answers are tied to a visitor id the server issued and signed.
// A client that drops its cookie, forges one or sends another's changed by a letter is a new visitor,
// and one address gets only so many new visitors a day: rotating cookies buys nothing past that.

let app: AppServer
let objects: DemoObjects

beforeAll(async () => {
  // Each test speaks from an address of its own (X-Forwarded-For, trusted here).
  app = await startApp({ env: { TRUST_PROXY: 'true' } })
  objects = await demoObjects()
})

afterAll(async () => {
  await app?.stop()
})

function articlePath() {
  return `/help/${objects.article.category}/${encodeURIComponent(objects.article.slug)}`
}

async function helpfulVotes(): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(articleFeedback)
    .where(and(eq(articleFeedback.articleId, objects.article.id), eq(articleFeedback.helpful, true)))
  return row!.n
}

async function articleViews(): Promise<number> {
  const [row] = await db.select({ n: articles.viewCount }).from(articles).where(eq(articles.id, objects.article.id))
  return row!.n
}

async function questionViews(): Promise<number> {
  const [row] = await db.select({ n: questions.viewCount }).from(questions).where(eq(questions.id, objects.questionId))
  return row!.n
}

/** A request with no cookie jar, as a script that rotates its identity sends it. */
function bare(ip: string, cookie?: string) {
  const client = new Visitor(app)
  const headers: Record<string, string> = { 'x-forwarded-for': ip, 'user-agent': `agent ${Math.random()}` }
  if (cookie) headers.cookie = cookie
  return {
    get: (path: string) => client.get(path, headers),
    post: (path: string, form: Record<string, string>) => client.post(path, form, headers),
  }
}

test('dropping the cookie on every request buys at most a day’s new visitors of views and votes', async () => {
  const [votes, views, qViews] = [await helpfulVotes(), await articleViews(), await questionViews()]
  const rounds = newVisitorsPerAddress.limit * 3
  for (let i = 0; i < rounds; i++) {
    const client = bare('192.0.2.77')
    expect((await client.get(articlePath())).status).toBe(200)
    expect((await client.get(objects.questionPath)).status).toBe(200)
    const voted = await client.post(articlePath(), { helpful: 'yes' })
    expect(voted.status).toBeLessThan(500)
  }
  // The address's own new visitors (one each for the article page, the question page and the vote
  // share the allowance), plus the address itself once: far from sixty.
  const most = newVisitorsPerAddress.limit + 1
  expect((await helpfulVotes()) - votes).toBeLessThanOrEqual(most)
  expect((await articleViews()) - views).toBeLessThanOrEqual(most)
  expect((await questionViews()) - qViews).toBeLessThanOrEqual(most)
})

test('forged and tampered visitor cookies are new visitors, not the ones they pretend to be', async () => {
  const honest = new Visitor(app)
  const headers = { 'x-forwarded-for': '192.0.2.88' }
  await honest.get(articlePath(), headers)
  const issued = await honest.request('GET', articlePath(), { headers })
  expect(issued.status).toBe(200)
  const votes = await helpfulVotes()
  // The honest visitor's answer counts once however often it is sent.
  for (let i = 0; i < 3; i++) await honest.post(articlePath(), { helpful: 'yes' }, headers)
  expect(await helpfulVotes()).toBe(votes + 1)
  const afterHonest = await helpfulVotes()
  // Made-up ids in the cookie, from a fresh address each: every one is refused as an id.
  for (let i = 0; i < 5; i++) {
    const forged = bare(`198.51.100.${100 + i}`, `ct_vid=forged-visitor-id-${i}-aaaaaaaaaaaa`)
    await forged.post(articlePath(), { helpful: 'yes' })
  }
  // Each forger was given a fresh id of its own (a new visitor, under its address's allowance), never
  // the id it named.
  const rows = await db.select({ reader: articleFeedback.reader }).from(articleFeedback)
  expect(rows.some((row) => row.reader.includes('forged-visitor-id'))).toBe(false)
  expect((await helpfulVotes()) - afterHonest).toBeLessThanOrEqual(5)
})
