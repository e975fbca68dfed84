import { and, asc, eq } from 'drizzle-orm'
import { queueEmail } from '#app/lib/mail.server.ts'
import { questionPath } from '#app/lib/paths.ts'
import { eventRegistrations, events } from '#db/schema/events.ts'
import { articles, helpCategories } from '#db/schema/help.ts'
import { users } from '#db/schema/identity.ts'
import { answers, questions, tags } from '#db/schema/qa.ts'
import { tickets } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { type DemoObjects, type Persona, personaEmails, personas } from '#tests/page-policy.ts'
import { type AppServer, startApp, Visitor } from './app-server.ts'

export { type DemoObjects, type Persona, personaEmails, personas }

/** One signed-in client per persona (the visitor signs in as nobody). */
export async function signInPersonas(app: AppServer): Promise<Record<Persona, Visitor>> {
  const entries = await Promise.all(
    personas.map(async (persona) => {
      const visitor = new Visitor(app)
      if (persona !== 'visitor') await visitor.signIn(personaEmails[persona])
      return [persona, visitor] as const
    }),
  )
  return Object.fromEntries(entries) as Record<Persona, Visitor>
}

/** The demo objects the route table's URLs point at, read from the database the app seeded. */
export async function demoObjects(): Promise<DemoObjects> {
  const [member] = await db.select().from(users).where(eq(users.email, personaEmails.member))
  if (!member?.accountId) throw new Error('the demo data has no member with an account')
  const [question] = await db
    .select({ id: questions.id, title: questions.title })
    .from(questions)
    .where(eq(questions.authorId, member.id))
    .orderBy(asc(questions.id))
    .limit(1)
  const [answer] = await db
    .select({ id: answers.id })
    .from(answers)
    .where(eq(answers.questionId, question!.id))
    .limit(1)
  const [ticket] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.userId, member.id)).limit(1)
  const [article] = await db
    .select({ id: articles.id, slug: articles.slug, category: helpCategories.slug })
    .from(articles)
    .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
    .where(and(eq(articles.status, 'published'), eq(articles.locale, 'en')))
    .orderBy(asc(articles.id))
    .limit(1)
  const [event] = await db
    .select({ id: events.id })
    .from(events)
    .where(eq(events.status, 'published'))
    .orderBy(asc(events.id))
    .limit(1)
  // An event that has ended, which the member attended (and so may answer its survey).
  const [attended] = await db
    .select({ id: eventRegistrations.eventId })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.userId, member.id), eq(eventRegistrations.status, 'attended')))
    .limit(1)
  const [tag] = await db.select({ name: tags.name }).from(tags).limit(1)
  // The demo sends no mail; one message in the outbox gives the admin's mail page something to show.
  const mailId = await queueEmail(db, {
    to: personaEmails.member,
    subject: 'A message in the outbox',
    text: 'Sent by the HTTP suites.',
    template: 'test',
  })
  const found = { question, answer, ticket, article, event, attended, tag }
  const missing = Object.entries(found).filter(([, value]) => !value)
  if (missing.length) throw new Error(`the demo data has no ${missing.map(([name]) => name).join(', ')}`)
  return {
    memberId: member.id,
    accountId: member.accountId,
    questionId: question!.id,
    questionPath: questionPath(question!),
    answerId: answer!.id,
    ticketId: ticket!.id,
    article: article!,
    eventId: event!.id,
    attendedEventId: attended!.id,
    tag: tag!.name,
    mailId,
  }
}

/** The app for a test file, with every persona signed in and the demo objects found. */
export async function startWithPersonas(env: Record<string, string>) {
  const app = await startApp({ env })
  return { app, visitors: await signInPersonas(app), objects: await demoObjects() }
}
