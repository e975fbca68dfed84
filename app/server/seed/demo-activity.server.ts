import type { ActivityType } from '#app/domain/activity/activity-types.ts'
import { hashPassword } from '#app/domain/identity/passwords.server.ts'
import type { Db } from '#db/client.server.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { users } from '#db/schema/identity.ts'
import { random } from './demo-random.ts'

const DAY = 86_400_000
/** Days of background activity: enough for every window of the oldest snapshot kept (60-day trend). */
const HISTORY_DAYS = 120
/** Days of daily snapshots, so the health history charts have a line and week-on-week changes have a week to compare. */
export const DEMO_SNAPSHOT_DAYS = 35

type DemoAccount = { id: number; domain: string }

/** How busy an account's members are on a day `daysAgo` back: the chance that a member takes part. */
type Curve = (daysAgo: number) => number

/** Each account's story, so the manager's view has every band to show: Acme is healthy and broad
 *  (GOOD); さくらテック was busy and faded out over the last seven weeks (BAD); Bluebird is small and
 *  steady (GOOD, though the one survey answer it gave, seeded with the events, came from a detractor);
 *  Northwind is picking up but files more tickets than its peers (NORMAL, on its way to GOOD); at
 *  Cobalt, Sam and Tara, who gave all its contributions, went quiet six weeks ago while Chris still
 *  comes by, and nobody attends events (BAD at once: its champions are lost). */
const stories: Record<string, { members: string[]; curve: Curve; events: number }> = {
  'acme.example': {
    members: [
      'haruto',
      'sota',
      'yuto',
      'riko',
      'hina',
      'akari',
      'emma',
      'liam',
      'noah',
      'olivia',
      'ava',
      'mia',
      'leo',
      'ren',
      'aoi',
      'yuna',
    ],
    curve: () => 0.32,
    events: 0.15,
  },
  'sakura-tech.example': {
    members: [
      'daiki',
      'kaito',
      'sakura',
      'misaki',
      'takumi',
      'nanami',
      'shota',
      'ayaka',
      'kenta',
      'mao',
      'yuki',
      'rina',
    ],
    curve: (daysAgo) => (daysAgo > 50 ? 0.3 : daysAgo > 28 ? 0.02 + (0.28 * (daysAgo - 28)) / 22 : 0),
    events: 0.15,
  },
  'bluebird.example': {
    members: ['maya', 'ethan', 'zoe', 'lucas'],
    curve: () => 0.18,
    events: 0.15,
  },
  'northwind.example': {
    members: ['grace', 'henry', 'ivy', 'jack', 'kate', 'owen'],
    curve: (daysAgo) => (daysAgo > 30 ? 0.08 : 0.2),
    events: 0.15,
  },
  'cobalt.example': {
    members: ['sam', 'tara'],
    curve: (daysAgo) => (daysAgo > 45 ? 0.2 : 0),
    events: 0,
  },
}

/** What one member does on a day they take part, beyond the visit itself. */
const habits: { type: ActivityType; chance: number; most: number }[] = [
  { type: 'article_viewed', chance: 0.6, most: 3 },
  { type: 'search_performed', chance: 0.4, most: 2 },
  { type: 'vote_cast', chance: 0.35, most: 3 },
  { type: 'comment_posted', chance: 0.12, most: 1 },
  { type: 'answer_posted', chance: 0.1, most: 1 },
  { type: 'question_asked', chance: 0.06, most: 1 },
  { type: 'article_feedback', chance: 0.05, most: 1 },
]

/** Members of the demo accounts besides the ones who sign in, and four months of their participation
 *  in the ledger (visits, reading, searching, voting, a few posts, webinars every two weeks). The background members sign in
 *  with the demo password too. Their rows are ledger signals only: the threads, events and tickets the
 *  demo shows come from the other seed modules. */
export async function seedDemoActivity(
  db: Db,
  { accounts, password, now = new Date() }: { accounts: DemoAccount[]; password: string; now?: Date },
): Promise<void> {
  const next = random(20261201)
  const passwordHash = await hashPassword(password)
  const createdAt = new Date(now.getTime() - 200 * DAY)
  const rows: (typeof activityEvents.$inferInsert)[] = []
  let sequence = 0
  for (const account of accounts) {
    const story = stories[account.domain]
    if (!story) continue
    const members = await db
      .insert(users)
      .values(
        story.members.map((name) => ({
          email: `${name}@${account.domain}`,
          displayName: name.charAt(0).toUpperCase() + name.slice(1),
          role: 'member' as const,
          accountId: account.id,
          passwordHash,
          createdAt,
          emailVerifiedAt: createdAt,
          locale: account.domain === 'sakura-tech.example' ? ('ja' as const) : ('en' as const),
        })),
      )
      .returning({ id: users.id, accountId: users.accountId })
    for (let daysAgo = HISTORY_DAYS; daysAgo >= 1; daysAgo--) {
      const chance = story.curve(daysAgo)
      const webinar = daysAgo % 14 === 3
      for (const member of members) {
        const at = (hour: number) => new Date(now.getTime() - daysAgo * DAY + hour * 60_000)
        const push = (type: ActivityType, minute: number) =>
          rows.push({
            type,
            userId: member.id,
            accountId: member.accountId,
            subjectType: 'demo',
            subjectId: String(++sequence),
            uniqueKey: `demo:${type}:${member.id}:${sequence}`,
            occurredAt: at(minute),
          })
        if (webinar && chance > 0 && next() < story.events) push('event_attended', 10)
        if (next() >= chance) continue
        push('visit_day', 0)
        for (const habit of habits) {
          if (next() >= habit.chance) continue
          const times = 1 + Math.floor(next() * habit.most)
          for (let i = 0; i < times; i++) push(habit.type, 1 + i)
        }
      }
    }
  }
  for (let i = 0; i < rows.length; i += 2000) await db.insert(activityEvents).values(rows.slice(i, i + 2000))

  console.info(`[seed] ${rows.length} ledger rows of the demo accounts`)
}
