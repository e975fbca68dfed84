import { randomUUID } from 'node:crypto'
import { and, eq, isNotNull } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { deflectedKey } from '#app/domain/support/attempts.server.ts'
import type { DeflectionOutcome, ProductArea, TicketStatus } from '#app/domain/support/options.ts'
import { ticketFiledKey } from '#app/domain/support/tickets.server.ts'
import type { Db } from '#db/client.server.ts'
import { articles } from '#db/schema/help.ts'
import { questions } from '#db/schema/qa.ts'
import { deflectionAttempts, type ShownSuggestion, tickets } from '#db/schema/support.ts'

type Person = { id: number; accountId: number | null; email: string; locale: 'en' | 'ja' }
const DAY = 86_400_000

type DemoAttempt = {
  who: Person
  daysAgo: number
  query: string
  outcome: Exclude<DeflectionOutcome, 'pending'>
  opened?: boolean
  ticket?: { body: string; area: ProductArea; status: TicketStatus }
}

/** Six weeks of contact-form use for the demo: explicit and implicit deflections, abandoned attempts
 *  and filed tickets (one imported from the helpdesk), with the ledger rows the flow writes, so the
 *  support insights have something to show. Acme Holdings has no support history: the end-to-end
 *  test builds its figures from nothing. */
export async function seedDemoSupport(db: Db, people: { yui: Person; bob: Person; nina: Person; chris: Person }) {
  const docs = [
    ...(
      await db
        .select({ id: articles.id, title: articles.title })
        .from(articles)
        .where(eq(articles.status, 'published'))
        .limit(6)
    ).map((a) => ({ doc: `article:${a.id}`, title: a.title })),
    ...(
      await db
        .select({ id: questions.id, title: questions.title })
        .from(questions)
        .where(and(isNotNull(questions.acceptedAnswerId)))
        .limit(4)
    ).map((q) => ({ doc: `question:${q.id}`, title: q.title })),
  ]
  const { yui, bob, nina, chris } = people
  const attempts: DemoAttempt[] = [
    { who: bob, daysAgo: 38, query: 'export usage report to csv', outcome: 'explicit' },
    { who: bob, daysAgo: 30, query: 'invoice address change', outcome: 'implicit', opened: true },
    {
      who: bob,
      daysAgo: 21,
      query: 'SSO login loops back to the sign-in page',
      outcome: 'filed',
      opened: true,
      ticket: {
        body: 'After enabling SAML, users are sent back to the sign-in page after the IdP step.',
        area: 'account',
        status: 'solved',
      },
    },
    { who: nina, daysAgo: 26, query: 'api rate limit', outcome: 'explicit' },
    {
      who: nina,
      daysAgo: 12,
      query: 'webhook retries',
      outcome: 'filed',
      ticket: {
        body: 'Our endpoint was down for an hour; were the webhook events retried, and how do we replay them?',
        area: 'integrations',
        status: 'pending',
      },
    },
    { who: nina, daysAgo: 9, query: 'add a user to a team', outcome: 'abandoned' },
    { who: yui, daysAgo: 33, query: '請求書の宛名を変更したい', outcome: 'explicit' },
    { who: yui, daysAgo: 16, query: 'レポートのエクスポート', outcome: 'implicit', opened: true },
    {
      who: yui,
      daysAgo: 5,
      query: 'シングルサインオンの設定',
      outcome: 'filed',
      ticket: {
        body: 'Azure AD で SAML を設定しましたが、ログイン後にエラーが表示されます。設定を確認していただけますか。',
        area: 'account',
        status: 'open',
      },
    },
    { who: chris, daysAgo: 14, query: 'change time zone', outcome: 'explicit' },
    {
      who: chris,
      daysAgo: 4,
      query: 'export usage report to csv',
      outcome: 'filed',
      opened: true,
      ticket: {
        body: 'The CSV export times out for the last 12 months of data.',
        area: 'reporting',
        status: 'open',
      },
    },
  ]
  for (const [index, item] of attempts.entries()) {
    const at = new Date(Date.now() - item.daysAgo * DAY)
    const shown: ShownSuggestion[] = docs
      .slice(index % 3, (index % 3) + 3)
      .map((d, i) => ({ ...d, rank: i + 1, query: item.query, at: at.toISOString() }))
    const solvedDoc = item.outcome === 'explicit' ? (shown[0]?.doc ?? null) : null
    const openedDocs = solvedDoc ? [solvedDoc] : item.opened && shown[0] ? [shown[0].doc] : []
    const [attempt] = await db
      .insert(deflectionAttempts)
      .values({
        key: randomUUID(),
        userId: item.who.id,
        accountId: item.who.accountId,
        locale: item.who.locale,
        query: item.query,
        shown,
        opened: openedDocs.map((doc) => ({ doc, at: at.toISOString() })),
        outcome: item.outcome,
        solvedDoc,
        solvedAt: solvedDoc ? at : null,
        decidedAt: item.outcome === 'implicit' || item.outcome === 'abandoned' ? new Date(at.getTime() + 3 * DAY) : at,
        createdAt: at,
        updatedAt: at,
      })
      .returning()
    if (item.outcome === 'explicit') {
      await recordActivity(db, {
        type: 'ticket_deflected',
        user: item.who,
        subject: { type: 'deflection_attempt', id: attempt!.id },
        uniqueKey: deflectedKey(attempt!.id),
        occurredAt: at,
      })
    }
    if (item.ticket) {
      const [ticket] = await db
        .insert(tickets)
        .values({
          userId: item.who.id,
          accountId: item.who.accountId,
          attemptId: attempt!.id,
          requesterEmail: item.who.email,
          subject: item.query,
          body: item.ticket.body,
          productArea: item.ticket.area,
          status: item.ticket.status,
          locale: item.who.locale,
          createdAt: at,
          updatedAt: at,
          resolvedAt: item.ticket.status === 'solved' ? new Date(at.getTime() + DAY) : null,
        })
        .returning()
      await recordActivity(db, {
        type: 'ticket_filed',
        user: item.who,
        subject: { type: 'ticket', id: ticket!.id },
        uniqueKey: ticketFiledKey(ticket!.id),
        occurredAt: at,
      })
    }
  }
  // A ticket Bluebird sent by email, brought in from the helpdesk's export.
  const emailed = new Date(Date.now() - 18 * DAY)
  const [imported] = await db
    .insert(tickets)
    .values({
      source: 'import',
      externalId: 'HD-1042',
      userId: bob.id,
      accountId: bob.accountId,
      requesterEmail: bob.email,
      subject: 'Imported ticket HD-1042',
      status: 'closed',
      createdAt: emailed,
      updatedAt: emailed,
      resolvedAt: emailed,
    })
    .returning()
  await recordActivity(db, {
    type: 'ticket_filed',
    user: bob,
    subject: { type: 'ticket', id: imported!.id },
    uniqueKey: ticketFiledKey(imported!.id),
    occurredAt: emailed,
  })
}
