import type { Locale } from '#app/lib/i18n.ts'
import { slugify } from '#app/lib/paths.ts'
import { insertArticle, insertCategory, insertSection } from '#app/server/seed/factories/help.ts'
import type { Db } from '#db/client.server.ts'

const DAY = 86_400_000

type Version = { title: string; body: string }
type DemoArticle = {
  section: number
  daysAgo: number
  tags: string[]
  /** The first version listed is the original; the other one, if any, is its translation. */
  versions: Partial<Record<Locale, Version>>
  original: Locale
}
type DemoCategory = {
  slug: string
  nameEn: string
  nameJa: string
  descriptionEn: string
  descriptionJa: string
  sections: [string, string][]
  articles: DemoArticle[]
}

const catalog: DemoCategory[] = [
  {
    slug: 'getting-started',
    nameEn: 'Getting started',
    nameJa: 'はじめに',
    descriptionEn: 'Set up your workspace, invite your team and find your way around.',
    descriptionJa: 'ワークスペースの設定、メンバーの招待、基本的な使い方をまとめています。',
    sections: [
      ['First steps', '最初のステップ'],
      ['Team and permissions', 'チームと権限'],
    ],
    articles: [
      {
        section: 0,
        daysAgo: 58,
        tags: ['getting-started', 'dashboard', 'timezone'],
        original: 'en',
        versions: {
          en: {
            title: 'Set up your workspace in five steps',
            body: `These five steps take about ten minutes and make everything after them easier.

## 1. Name your workspace

Open **Settings → Workspace** and enter your company name. It appears in emails and on exported reports.

## 2. Choose the time zone

Under **Settings → Time zone**, pick the zone your team works in, for example \`Asia/Tokyo\`. Dashboards, report periods and email times all follow it.

## 3. Invite your team

Open **Settings → Members → Invite**. You can invite people one by one or upload a CSV file; see *Invite teammates and choose their roles*.

## 4. Connect your data

Under **Integrations**, connect the sources you use. The first sync runs at once; later syncs run every hour.

## 5. Pin a dashboard

Open **Dashboards**, choose a template such as *Monthly usage* and select **Pin to home**. Everyone in the workspace sees pinned dashboards first.

## Next steps

- Export your first report as CSV.
- Turn on single sign-on so your team signs in with their company account.`,
          },
          ja: {
            title: 'ワークスペースを 5 つのステップで設定する',
            body: `次の 5 つのステップは 10 分ほどで終わり、その後の作業がずっと楽になります。

## 1. ワークスペース名を設定する

**設定 → ワークスペース** を開き、会社名を入力します。メールやエクスポートしたレポートに表示されます。

## 2. タイムゾーンを選ぶ

**設定 → タイムゾーン** で、チームが働く地域のタイムゾーン（例: \`Asia/Tokyo\`）を選びます。ダッシュボード、レポートの集計期間、メールの時刻はすべてこの設定に従います。

## 3. メンバーを招待する

**設定 → メンバー → 招待** を開きます。1 人ずつ招待することも、CSV ファイルでまとめて招待することもできます。詳しくは「メンバーを招待してロールを設定する」をご覧ください。

## 4. データを接続する

**連携** で、お使いのデータソースを接続します。最初の同期はすぐに始まり、その後は 1 時間ごとに同期されます。

## 5. ダッシュボードを固定する

**ダッシュボード** を開き、「月次利用状況」などのテンプレートを選んで **ホームに固定** を選択します。固定したダッシュボードは、ワークスペースの全員に最初に表示されます。

## 次のステップ

- 最初のレポートを CSV でエクスポートする
- シングルサインオンを設定し、会社のアカウントでログインできるようにする`,
          },
        },
      },
      {
        section: 1,
        daysAgo: 52,
        tags: ['users', 'permissions', 'billing', 'import'],
        original: 'en',
        versions: {
          en: {
            title: 'Invite teammates and choose their roles',
            body: `## Invite one person

1. Open **Settings → Members**.
2. Select **Invite**, enter their email address and choose a role.
3. They receive an email with a link that is valid for 7 days.

## Invite many people at once

Select **Invite → Import CSV** and upload a file with two columns, \`email\` and \`role\`. A file can hold up to 500 rows; the import lists every row it skipped and why.

\`\`\`
email,role
aiko@example.com,member
finance@example.com,billing
\`\`\`

## Roles

- **Admin**: everything, including billing and single sign-on.
- **Member**: works with data, reports and dashboards; cannot change settings.
- **Billing**: sees invoices and the payment method, nothing else.
- **Viewer**: reads shared dashboards only.

> Give billing access only to the people who need it: the *Billing* role keeps invoices away from everyone else.`,
          },
          ja: {
            title: 'メンバーを招待してロールを設定する',
            body: `## 1 人ずつ招待する

1. **設定 → メンバー** を開きます。
2. **招待** を選び、メールアドレスを入力してロールを選びます。
3. 招待された人には、7 日間有効なリンクが記載されたメールが届きます。

## まとめて招待する

**招待 → CSV をインポート** を選び、\`email\` と \`role\` の 2 列からなるファイルをアップロードします。1 ファイル 500 行まで取り込めます。取り込めなかった行は、その理由とともに一覧表示されます。

\`\`\`
email,role
aiko@example.com,member
finance@example.com,billing
\`\`\`

## ロール

- **管理者**: 請求やシングルサインオンを含め、すべての操作ができます。
- **メンバー**: データ、レポート、ダッシュボードを扱えます。設定は変更できません。
- **請求担当**: 請求書と支払い方法だけを閲覧できます。
- **閲覧者**: 共有されたダッシュボードの閲覧のみできます。

> 請求情報へのアクセスは必要な人だけに付与しましょう。「請求担当」ロールを使えば、ほかのメンバーには請求書が表示されません。`,
          },
        },
      },
      {
        section: 0,
        daysAgo: 6,
        tags: ['events', 'webinar'],
        original: 'ja',
        versions: {
          ja: {
            title: 'ウェビナーの録画を見る',
            body: `参加できなかったウェビナーも、後から録画で見られます。

## 録画の見つけ方

1. **イベント** を開き、**過去のイベント** を選びます。
2. 見たいウェビナーを開き、**録画を見る** を選びます。

参加登録していたウェビナーは、終了から 1 日以内に録画のリンクがメールでも届きます。

## 知っておきたいこと

- 録画は 90 日間公開されます。
- 資料は録画と同じページからダウンロードできます。
- 質疑応答の時間も録画に含まれます。`,
          },
        },
      },
    ],
  },
  {
    slug: 'reports-exports',
    nameEn: 'Reports & exports',
    nameJa: 'レポートとエクスポート',
    descriptionEn: 'Read your reports, export them as CSV and send them on a schedule.',
    descriptionJa: 'レポートの見方、CSV へのエクスポート、定期送信の設定方法。',
    sections: [
      ['Reports', 'レポート'],
      ['Exports', 'エクスポート'],
    ],
    articles: [
      {
        section: 1,
        daysAgo: 45,
        tags: ['reports', 'csv'],
        original: 'en',
        versions: {
          en: {
            title: 'Export a report as CSV',
            body: `Any report can be downloaded as a CSV file for a spreadsheet or your own analysis.

## Steps

1. Open **Reports** and choose the report, for example **Usage**.
2. Pick the period: a month, a quarter or a custom range.
3. Select **Export → CSV** in the menu at the top right.

The download starts at once for up to 100,000 rows. Larger exports are prepared in the background and emailed to you as a link.

## About the file

- The encoding is UTF-8 with a BOM, so Excel opens Japanese text correctly.
- Dates are written as \`2026-04-01\`, in your workspace time zone.
- Amounts have no thousands separators; the currency is in its own column.

## Troubleshooting

- **No Export menu?** Your role needs the *Export reports* permission. Ask an admin.
- **Garbled characters?** In Excel, open the file with **Data → From Text/CSV** and choose UTF-8.`,
          },
          ja: {
            title: 'レポートを CSV でエクスポートする',
            body: `どのレポートも CSV ファイルとしてダウンロードし、表計算ソフトや独自の分析に使えます。

## 手順

1. **レポート** を開き、**利用状況** などのレポートを選びます。
2. 期間（月、四半期、または任意の範囲）を選びます。
3. 右上のメニューから **エクスポート → CSV** を選びます。

10 万行まではすぐにダウンロードが始まります。それを超える場合はバックグラウンドで作成され、完成するとダウンロードリンクがメールで届きます。

## ファイルの形式

- 文字コードは BOM 付き UTF-8 です。Excel でも日本語が文字化けせずに開けます。
- 日付はワークスペースのタイムゾーンで \`2026-04-01\` の形式で出力されます。
- 金額に桁区切りは入りません。通貨は別の列に出力されます。

## うまくいかないとき

- **エクスポートのメニューがない**: ロールに「レポートのエクスポート」権限が必要です。管理者にご相談ください。
- **文字化けする**: Excel の **データ → テキストまたは CSV から** でファイルを開き、UTF-8 を選んでください。`,
          },
        },
      },
      {
        section: 1,
        daysAgo: 30,
        tags: ['reports', 'csv', 'exports'],
        original: 'en',
        versions: {
          en: {
            title: 'Send a report every month by email',
            body: `If someone needs the same report every month, let the product send it.

## Set up a schedule

1. Open **Settings → Exports** and select **New schedule**.
2. Choose the report, the format (CSV or XLSX) and the period: previous day, week or month.
3. Add the recipients. They do not need an account; each link expires after 7 days.
4. Save. Exports go out at 08:00 in your workspace time zone.

## Change or stop a schedule

Open **Settings → Exports**, select the schedule and edit it, or choose **Pause** to stop it for now. Paused schedules keep their settings.

## Good to know

- A schedule runs with the permissions of the person who created it. If that person leaves, reassign the schedule to someone else.
- Each run is listed under **History** with its recipients, so you can check what was sent.`,
          },
        },
      },
      {
        section: 0,
        daysAgo: 12,
        tags: ['reports', 'dashboard', 'timezone'],
        original: 'ja',
        versions: {
          ja: {
            title: 'レポートとダッシュボードの日付を日本時間で表示する',
            body: `レポートとダッシュボードの日付は、ワークスペースのタイムゾーンで集計・表示されます。初期設定は UTC のため、日本のチームでは日付が 9 時間ずれて見えることがあります。

## ワークスペースのタイムゾーンを変更する

1. 右上のメニュー → **設定** → **タイムゾーン** を開きます。
2. \`Asia/Tokyo\` を選んで保存します。

変更はすぐにダッシュボード、レポート、メールの日時に反映されます。

## 自分の表示だけを変更する

**個人設定 → 表示** でタイムゾーンを選ぶと、ワークスペースの設定は変えずに、自分の画面の日時だけを切り替えられます。

## 注意点

- タイムゾーンを変更すると、日次・月次の集計の区切りも変わります。変更前後の数値を比べるときはご注意ください。
- 過去にエクスポートしたファイルの日時は、作成時のタイムゾーンのままです。`,
          },
        },
      },
      {
        section: 0,
        daysAgo: 7,
        tags: ['reports', 'health-score'],
        original: 'ja',
        versions: {
          ja: {
            title: 'ヘルススコアの見方',
            body: `ヘルススコアは、顧客アカウントの状態を 0〜100 で表す指標です。毎朝、前日までのデータから計算されます。

## スコアの内訳

- **利用状況**: ログインした日数と、主な機能を使った回数
- **エンゲージメント**: ウェビナーやイベントへの参加、コミュニティへの投稿
- **サポート**: 未解決のお問い合わせの件数

## 色の意味

- **緑**（70 以上）: 順調です。
- **黄**（40〜69）: 利用が減っています。担当者から連絡することをおすすめします。
- **赤**（39 以下）: 解約のおそれがあります。早めに打ち合わせを設定してください。`,
          },
        },
      },
    ],
  },
  {
    slug: 'account-security',
    nameEn: 'Account & security',
    nameJa: 'アカウントとセキュリティ',
    descriptionEn: 'Single sign-on, API keys and webhooks: keep access safe and connect your systems.',
    descriptionJa: 'シングルサインオン、API キー、Webhook など、安全なアクセスとシステム連携について。',
    sections: [
      ['Single sign-on', 'シングルサインオン'],
      ['API and integrations', 'API と連携'],
      ['Plan and billing', 'プランと請求'],
    ],
    articles: [
      {
        section: 0,
        daysAgo: 40,
        tags: ['sso', 'saml', 'security'],
        original: 'en',
        versions: {
          en: {
            title: 'Set up SAML single sign-on',
            body: `With SAML single sign-on, your team signs in through your identity provider: Microsoft Entra ID (Azure AD), Okta, Google Workspace and others.

## Before you start

- You need the **Admin** role.
- Single sign-on is part of the Business and Enterprise plans.

## Steps

1. Open **Settings → Security → Single sign-on** and copy the **ACS URL** and the **Entity ID**.
2. In your identity provider, create a SAML application with those two values. Use the **email address** as the NameID.
3. Set the signing algorithm to **SHA-256**. SHA-1 signatures are refused.
4. Download the provider's metadata XML and upload it on the same settings page.
5. Select **Test sign-in**. When it works, turn on **Require single sign-on** if everyone should use it.

## Common errors

- **"Invalid signature"**: the provider still signs with SHA-1, or its certificate was renewed. Switch to SHA-256 and upload fresh metadata.
- **"User not found"**: the NameID is not the user's email address.

> Keep one admin able to sign in with a password until single sign-on has been tested.`,
          },
          ja: {
            title: 'SAML シングルサインオンを設定する',
            body: `SAML シングルサインオンを使うと、メンバーは Microsoft Entra ID（Azure AD）、Okta、Google Workspace などの ID プロバイダー経由でログインできます。

## 始める前に

- **管理者** ロールが必要です。
- シングルサインオンは Business プランと Enterprise プランでご利用いただけます。

## 手順

1. **設定 → セキュリティ → シングルサインオン** を開き、**ACS URL** と **エンティティ ID** をコピーします。
2. ID プロバイダーで SAML アプリケーションを作成し、この 2 つの値を設定します。NameID には **メールアドレス** を指定してください。
3. 署名アルゴリズムを **SHA-256** にします。SHA-1 の署名は受け付けません。
4. ID プロバイダーのメタデータ XML をダウンロードし、同じ設定画面でアップロードします。
5. **ログインをテスト** を選びます。問題なくログインできたら、必要に応じて **シングルサインオンを必須にする** をオンにします。

## よくあるエラー

- **「無効な署名」**: ID プロバイダーの署名が SHA-1 のままか、証明書が更新されています。SHA-256 に変更し、新しいメタデータをアップロードしてください。
- **「ユーザーが見つかりません」**: NameID がメールアドレスになっていません。

> テストが終わるまでは、パスワードでログインできる管理者を 1 人残しておいてください。`,
          },
        },
      },
      {
        section: 1,
        daysAgo: 25,
        tags: ['api', 'rate-limits', 'security'],
        original: 'en',
        versions: {
          en: {
            title: 'API keys and rate limits',
            body: `## Create a key

1. Open **Settings → API** and select **New key**.
2. Name it after what will use it, such as "nightly sync".
3. Choose only the scopes it needs. A read-only key cannot change data.
4. Copy the key now: it is shown once.

## Rate limits

- Each key may send **600 requests per minute** on the standard plan.
- Over the limit, the API answers \`429 Too Many Requests\` with a \`Retry-After\` header in seconds.
- In batch jobs, wait that many seconds and retry with exponential backoff.

## Rotate a key

Create the new key, deploy it, then revoke the old one under **Settings → API**. A revoked key stops working at once, so rotate in that order.`,
          },
        },
      },
      {
        section: 1,
        daysAgo: 9,
        tags: ['webhooks', 'api'],
        original: 'ja',
        versions: {
          ja: {
            title: 'Webhook の再送ルール',
            body: `送信先のエンドポイントが 10 秒以内に 2xx のステータスを返さなかった場合、Webhook は再送されます。

## 再送のスケジュール

- 指数バックオフで最大 8 回再送します（1、2、4、8、16、32、64、128 分後）。
- 最初の送信から約 4 時間 15 分で最後の再送が行われます。
- それでも届かなかったイベントは **失敗** として記録されます。

## 失敗したイベントを送り直す

**設定 → Webhook → 配信履歴** を開き、**失敗** で絞り込んで **再送** を選びます。イベントは 30 日間保存されます。

## 実装のヒント

- すぐに 2xx を返し、処理はバックグラウンドで行ってください。
- 各イベントには \`id\` があります。処理が遅れて成功した後に再送が届くこともあるため、\`id\` で重複を除いてください。`,
          },
          en: {
            title: 'How webhook retries work',
            body: `When your endpoint does not answer with a 2xx status within 10 seconds, the webhook is sent again.

## Retry schedule

- Up to 8 retries with exponential backoff: after 1, 2, 4, 8, 16, 32, 64 and 128 minutes.
- The last retry comes about 4 hours and 15 minutes after the first attempt.
- An event that still fails is marked **Failed**.

## Send failed events again

Open **Settings → Webhooks → Deliveries**, filter by **Failed** and select **Resend**. Events are kept for 30 days.

## Tips for your endpoint

- Answer with a 2xx at once and do the work in the background.
- Every event has an \`id\`. A retry can arrive after a slow success, so use the \`id\` to ignore duplicates.`,
          },
        },
      },
      {
        section: 2,
        daysAgo: 15,
        tags: ['billing', 'plans'],
        original: 'ja',
        versions: {
          ja: {
            title: '契約を解約する',
            body: `有料プランの契約は、管理者がいつでも解約できます。解約しても、契約期間の終わりまではこれまでどおりご利用いただけます。

## 解約の申し込み

1. **設定 → プランと請求** を開きます。
2. **解約を申し込む** を選び、理由を選んで送信します。
3. 申し込みを受け付けると、確認のメールが届きます。

契約は自動更新です。次の更新日の 7 日前までに申し込むと、次の期間の請求は発生しません。

## 解約の前に

- 必要なレポートやデータは、事前にダウンロードしておいてください。契約が終わってから 30 日後にデータは削除されます。
- 年間契約の途中で解約しても、残りの期間の料金は返金されません。

ご不明な点は、サポートへお問い合わせください。`,
          },
          en: {
            title: 'Cancel your subscription',
            body: `An admin can cancel a paid plan at any time. After you cancel, you keep full access until the end of the current billing period.

## Request the cancellation

1. Open **Settings → Plan and billing**.
2. Select **Cancel subscription**, pick a reason and submit.
3. We confirm by email once the request is received.

Subscriptions renew automatically. Cancel at least 7 days before the renewal date and you will not be billed for the next period.

## Before you cancel

- Download the reports and data you need. Your data is deleted 30 days after the subscription ends.
- Cancelling in the middle of a yearly plan does not refund the remaining months.

Questions? Contact support.`,
          },
        },
      },
    ],
  },
]

/** The demo help center: three categories with sections and published articles in English and
 *  Japanese, several of them translations of each other, tagged like the demo questions. */
export async function seedDemoHelp(
  db: Db,
  { staffId }: { staffId: number },
): Promise<{ categoryIds: number[]; articleIds: number[] }> {
  const now = Date.now()
  const categoryIds: number[] = []
  const articleIds: number[] = []
  for (const [position, demo] of catalog.entries()) {
    const { sections: sectionNames, articles: demoArticles, ...values } = demo
    const category = await insertCategory(db, { ...values, position })
    categoryIds.push(category.id)
    const sections = []
    for (const [index, [nameEn, nameJa]] of sectionNames.entries()) {
      sections.push(await insertSection(db, category, { nameEn, nameJa, position: index }))
    }
    for (const demoArticle of demoArticles) {
      const other: Locale = demoArticle.original === 'en' ? 'ja' : 'en'
      let translationGroup: number | undefined
      // The translation follows its original by a few days.
      for (const [offset, locale] of [demoArticle.original, other].entries()) {
        const version = demoArticle.versions[locale]
        if (!version) continue
        const at = new Date(now - (demoArticle.daysAgo - offset * 3) * DAY)
        const article = await insertArticle(db, {
          category,
          sectionId: sections[demoArticle.section]!.id,
          slug: slugify(version.title),
          title: version.title,
          bodyMd: version.body,
          locale,
          translationGroup,
          tags: demoArticle.tags,
          status: 'published',
          authorId: staffId,
          publishedAt: at,
          createdAt: at,
          updatedAt: at,
          viewCount: 15 + demoArticle.daysAgo * 4,
        })
        translationGroup ??= article.id
        articleIds.push(article.id)
      }
    }
  }
  return { categoryIds, articleIds }
}
