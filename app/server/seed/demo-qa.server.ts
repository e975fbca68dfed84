import { eq, sql } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { insertAnswer, insertComment, insertQuestion } from '#app/server/seed/factories/qa.ts'
import type { Db } from '#db/client.server.ts'
import { answers, questions, votes } from '#db/schema/qa.ts'

type Person = { id: number; accountId: number | null }
type People = Record<'staff' | 'alice' | 'ken' | 'yui' | 'bob' | 'nina' | 'chris', Person>

const DAY = 86_400_000

type DemoAnswer = {
  by: keyof People
  body: string
  accepted?: boolean
  voters?: (keyof People)[]
  comment?: [keyof People, string]
}
type DemoQuestion = {
  by: keyof People
  daysAgo: number
  title: string
  body: string
  tags: string[]
  voters?: (keyof People)[]
  answers: DemoAnswer[]
}

const threads: DemoQuestion[] = [
  {
    by: 'alice',
    daysAgo: 41,
    title: 'How do I export the monthly usage report as CSV?',
    body: 'Our finance team wants the **monthly usage report** in a spreadsheet. I can see the chart under *Reports*, but I cannot find an export button. Is there a way?',
    tags: ['reports', 'csv'],
    voters: ['bob', 'nina'],
    answers: [
      {
        by: 'staff',
        body: 'Open **Reports → Usage**, pick the month, then use **Export → CSV** in the top-right menu.\n\nThe file is UTF-8 with a BOM, so Excel opens Japanese text correctly.',
        accepted: true,
        voters: ['alice', 'bob', 'ken'],
        comment: ['alice', 'Found it, thank you! The BOM detail saved me.'],
      },
      {
        by: 'ken',
        body: 'If you need it every month, the scheduled export under *Settings → Exports* emails it automatically.',
        voters: ['alice'],
      },
    ],
  },
  {
    by: 'yui',
    daysAgo: 33,
    title: 'SAML シングルサインオンで「無効な署名」エラーが出ます',
    body: 'Azure AD と SAML 連携を設定したところ、ログイン時に「無効な署名」と表示されます。証明書は最新のものをアップロードしました。ほかに確認すべき点はありますか？',
    tags: ['sso', 'saml'],
    voters: ['ken'],
    answers: [
      {
        by: 'ken',
        body: '署名アルゴリズムが **SHA-256** になっているか確認してください。うちも Azure 側が SHA-1 のままで同じエラーでした。\n\n1. Azure の「SAML 署名証明書」を開く\n2. 署名アルゴリズムを SHA-256 に変更\n3. メタデータを再アップロード',
        accepted: true,
        voters: ['yui', 'staff'],
        comment: ['yui', 'SHA-256 に変更したらログインできました。ありがとうございます！'],
      },
    ],
  },
  {
    by: 'bob',
    daysAgo: 26,
    title: 'Can we limit which team members see billing?',
    body: 'We have 40 seats and only two people should see invoices and the payment method. Is there a billing-only role?',
    tags: ['permissions', 'billing'],
    answers: [
      {
        by: 'nina',
        body: 'We use a custom role with only the *Billing* permission ticked. Admins keep everything else. Works well for us.',
        voters: ['bob'],
      },
    ],
  },
  {
    by: 'ken',
    daysAgo: 19,
    title: 'API のレート制限は 1 分あたり何リクエストですか？',
    body: '夜間バッチで API を叩いていますが、ときどき `429 Too Many Requests` が返ってきます。上限はいくつでしょうか？',
    tags: ['api', 'rate-limits'],
    voters: ['nina'],
    answers: [
      {
        by: 'staff',
        body: '標準プランは **1 分あたり 600 リクエスト**（トークン単位）です。`Retry-After` ヘッダーの秒数だけ待って再試行してください。バッチでは指数バックオフをおすすめします。',
        accepted: true,
        voters: ['ken', 'yui'],
      },
    ],
  },
  {
    by: 'nina',
    daysAgo: 12,
    title: 'Webhook retries: how many times and for how long?',
    body: 'If our endpoint is down for maintenance, how long will webhooks keep retrying before they are dropped?',
    tags: ['webhooks', 'api'],
    answers: [],
  },
  {
    by: 'chris',
    daysAgo: 8,
    title: 'Slack integration stopped posting notifications',
    body: 'Since last week our Slack channel gets nothing. The integration page still says *Connected*.',
    tags: ['integrations', 'slack'],
    answers: [
      {
        by: 'alice',
        body: 'Slack rotates tokens when the installing user leaves the workspace. Disconnect and reconnect the integration with an account that will stay.',
        accepted: true,
        voters: ['chris'],
        comment: ['chris', 'That fixed it, thanks!'],
      },
    ],
  },
  {
    by: 'yui',
    daysAgo: 4,
    title: 'ダッシュボードの日付を日本時間で表示したい',
    body: 'ダッシュボードの日付が UTC で表示されているようです。日本時間（JST）に変えられますか？',
    tags: ['dashboard', 'timezone'],
    answers: [
      {
        by: 'staff',
        body: '右上のメニュー → **設定** → **タイムゾーン** で `Asia/Tokyo` を選んでください。ダッシュボードとメールの日時に反映されます。',
      },
    ],
  },
  {
    by: 'alice',
    daysAgo: 1,
    title: 'Bulk import users from a spreadsheet?',
    body: 'We are onboarding 80 people next month. Is there a CSV import for users, or do we invite them one by one?',
    tags: ['users', 'import'],
    answers: [],
  },
]

/** Demo threads in English and Japanese with answers, acceptances, votes and comments, and the activity
 *  ledger rows those actions would have written, dated over the last six weeks. */
export async function seedDemoQa(db: Db, people: People): Promise<void> {
  const now = Date.now()
  for (const thread of threads) {
    const asked = new Date(now - thread.daysAgo * DAY)
    const author = people[thread.by]
    const question = await insertQuestion(db, {
      author,
      title: thread.title,
      bodyMd: thread.body,
      tags: thread.tags,
      locale: /[\u3040-\u30ff\u3400-\u9fff]/.test(thread.title) ? 'ja' : 'en',
      createdAt: asked,
      lastActivityAt: asked,
      viewCount: 20 + thread.daysAgo * 3,
    })
    await recordActivity(db, {
      type: 'question_asked',
      user: author,
      subject: { type: 'question', id: question.id },
      occurredAt: asked,
    })
    await castDemoVotes(db, people, 'question', question.id, author, thread.voters ?? [], asked)

    let answeredAt = asked.getTime()
    for (const demo of thread.answers) {
      answeredAt += 5 * 3_600_000
      const at = new Date(answeredAt)
      const answerer = people[demo.by]
      const answer = await insertAnswer(db, question, { author: answerer, bodyMd: demo.body, createdAt: at })
      await recordActivity(db, {
        type: 'answer_posted',
        user: answerer,
        subject: { type: 'answer', id: answer.id },
        occurredAt: at,
      })
      await castDemoVotes(db, people, 'answer', answer.id, answerer, demo.voters ?? [], at)
      if (demo.accepted) {
        await db.update(questions).set({ acceptedAnswerId: answer.id }).where(eq(questions.id, question.id))
        await recordActivity(db, {
          type: 'answer_accepted',
          user: answerer,
          subject: { type: 'answer', id: answer.id },
          uniqueKey: `answer_accepted:answer:${answer.id}`,
          occurredAt: new Date(answeredAt + 3_600_000),
        })
      }
      if (demo.comment) {
        const [by, body] = demo.comment
        const commentAt = new Date(answeredAt + 2 * 3_600_000)
        const comment = await insertComment(
          db,
          { questionId: question.id, postType: 'answer', postId: answer.id },
          { author: people[by], body, createdAt: commentAt },
        )
        await recordActivity(db, {
          type: 'comment_posted',
          user: people[by],
          subject: { type: 'comment', id: comment.id },
          occurredAt: commentAt,
        })
      }
    }
    await db
      .update(questions)
      .set({ lastActivityAt: new Date(Math.max(asked.getTime(), answeredAt)) })
      .where(eq(questions.id, question.id))
  }
}

async function castDemoVotes(
  db: Db,
  people: People,
  postType: 'question' | 'answer',
  postId: number,
  author: Person,
  voters: (keyof People)[],
  at: Date,
) {
  if (!voters.length) return
  await db.insert(votes).values(voters.map((name) => ({ userId: people[name].id, postType, postId, value: 1 })))
  const table = postType === 'question' ? questions : answers
  await db
    .update(table)
    .set({ score: sql`${table.score} + ${voters.length}` })
    .where(eq(table.id, postId))
  for (const name of voters) {
    const occurredAt = new Date(at.getTime() + 3_600_000)
    await recordActivity(db, {
      type: 'vote_cast',
      user: people[name],
      subject: { type: postType, id: postId },
      occurredAt,
    })
    await recordActivity(db, {
      type: 'vote_received',
      user: author,
      subject: { type: postType, id: postId },
      uniqueKey: `vote_received:${postType}:${postId}:${people[name].id}`,
      occurredAt,
    })
  }
}
