// A deterministic corpus of search documents for bench:search: the same seed gives the same documents.
// About half Japanese and half English; questions (most of a community), help articles and events with
// realistic lengths; words drawn with Zipf-like frequencies from a B2B SaaS vocabulary plus a long tail
// of rarer words (names, identifiers), so common words are very common and the term list is large.
// A share of the articles exists in both languages: the two versions follow each other, share a
// translation group and carry each other's text (SearchDocument.group, .otherLocales, .translations), as
// search/documents.server.ts builds them.
//   npx tsx scripts/bench/search-corpus.ts [--docs N]   prints N documents as JSON lines
import { pathToFileURL } from 'node:url'
import { type SearchDocType, type SearchDocument, type SearchLocale, searchDocId } from '#search/engine.ts'

/** mulberry32: small, fast and good enough to pick words. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

type Random = () => number

function int(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!
}

/** Draws from `words` with probability ∝ 1 / rank^exponent (Zipf): rank 1 is the first word. */
function zipf(words: readonly string[], exponent: number): (random: Random) => string {
  const cumulative = new Float64Array(words.length)
  let sum = 0
  for (let i = 0; i < words.length; i++) {
    sum += 1 / (i + 1) ** exponent
    cumulative[i] = sum
  }
  return (random) => {
    const target = random() * sum
    let lo = 0
    let hi = words.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (cumulative[mid]! < target) lo = mid + 1
      else hi = mid
    }
    return words[lo]!
  }
}

const englishFunctionWords =
  'the to and a of in is for we our it on that this with can be you i not are do from have as at or if how when but all an by there which they what will my your so any was has would should one after before each only also new into out then no more some use other than them just via'.split(
    ' ',
  )

// "customer" and "success" are common on purpose: the typo class searches for "custmer sucess".
const englishDomainWords =
  'report export customer success billing invoice dashboard user account team admin role permission settings api webhook csv sso saml login password integration slack data sync error page email notification workspace member invite plan subscription payment renewal contract seat usage monthly weekly daily schedule filter chart metric health score churn onboarding training webinar workshop event meetup session token key limit rate request response endpoint retry timeout status field column row file upload download import template custom label tag search query result list view access group organization department approval workflow automation rule trigger action alert threshold period quarter annual trial upgrade downgrade cancel refund tax currency price discount credit card bank transfer receipt statement balance overdue reminder ticket support help article guide faq community question answer comment vote feedback survey nps rating review release feature update version changelog roadmap bug fix issue incident outage maintenance latency performance backup restore archive delete remove create edit save publish draft share link embed widget mobile app browser desktop timezone date time calendar deadline owner manager staff partner vendor contact lead opportunity pipeline forecast revenue arr mrr expansion adoption engagement retention playbook segment cohort tier enterprise business starter security audit log compliance gdpr encryption certificate domain verification mfa identity provider okta azure google microsoft directory scim provisioning deprovisioning license quota storage attachment image pdf xlsx json xml format encoding utf bom excel spreadsheet sheet cell formula pivot total average count sum percent growth trend comparison benchmark goal target kpi okr objective milestone task project board card sprint status priority assignee reviewer approver'.split(
    ' ',
  )

const japaneseWords =
  '設定 請求書 権限 管理者 レポート ダッシュボード エクスポート メンバー 招待 ロール カスタマーサクセス 利用状況 契約 更新 支払い 連携 通知 認証 ログイン 有料配信 パスワード 集計 期間 月次 請求 料金 プラン 導入 研修 問い合わせ 障害 復旧 仕様 制限 上限 件数 送信 再送 受信 形式 文字化け 日本時間 タイムゾーン シングルサインオン 画面 表示 検索 機能 追加 削除 変更 確認 手順 方法 原因 エラー 対応 担当者 顧客 営業 商談 分析 指標 解約率 継続率 活用 定着 支援 オンボーディング ヘルススコア 配信 動画 ウェビナー 資料 共有 保存 履歴 承認 申請 部署 組織 階層 一覧 詳細 項目 取り込み 書き出し 自動化 定期 毎月 毎週 東京 大阪 日東電工 アカウント ワークスペース データ 同期 ファイル テンプレート フィルター グラフ 売上 見積書 領収書 請求先 クレジットカード 銀行振込 税率 通貨 割引 無料 試用 解約 アップグレード セキュリティ 監査 ログ 暗号化 証明書 署名 ドメイン 二要素認証 プロバイダー ディレクトリ ライセンス 容量 添付 画像 表計算 数式 合計 平均 割合 推移 比較 目標 課題 進捗 優先度 期限 担当 案件 商品 在庫 注文 配送 顧客満足度 アンケート 評価 改善 要望 不具合 修正 リリース 新機能 バージョン お知らせ メンテナンス 遅延 応答 速度 バックアップ 復元 アーカイブ 公開 下書き リンク 埋め込み スマートフォン ブラウザ カレンダー 予定 締め切り 会議 セミナー 勉強会 ハンズオン 録画 参加者 定員 キャンセル待ち'.split(
    ' ',
  )

const japaneseLatin = ['API', 'CSV', 'SSO', 'SAML', 'Webhook', 'Slack', 'Excel', 'Azure AD', 'Okta', 'UTF-8']
const particles = ['の', 'を', 'に', 'は', 'が', 'で', 'と', 'から', 'まで', 'へ', 'も', 'や']
const endings = [
  'します。',
  'できます。',
  'したいです。',
  'ですか？',
  'されません。',
  'してください。',
  'になります。',
  'が必要です。',
  'を確認しました。',
  'でしょうか。',
]

const syllables =
  'ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me mo ra ri ru re ro ya yu yo wa ba be bi bo bu da de do ga ge go gu pa pe pi po pu za ze zo lan ber ton vex mar qui dor sel fin gram trix'.split(
    ' ',
  )
const katakana =
  'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワンガギグゲゴザジズゼゾダデドバビブベボパピプペポ'
const kanji =
  '日本東京大阪社会業務管理情報報告通知設定権限請求契約顧客営業分析支援導入運用開発品質安全確認変更更新追加削除登録表示検索集計期間月次年度計画目標課題対応改善要望機能製品部門組織担当経理財務法務人事総務'

/** Rarer words: product and company names, identifiers, jargon. Fixed by the seed, like the rest. */
function tailWords(random: Random): { en: string[]; ja: string[] } {
  const en = new Set<string>()
  while (en.size < 20_000) {
    const parts = int(random, 2, 4)
    let word = ''
    for (let i = 0; i < parts; i++) word += pick(random, syllables)
    en.add(random() < 0.05 ? `${word}${int(random, 2, 999)}` : word)
  }
  const ja = new Set<string>()
  while (ja.size < 8_000) {
    if (random() < 0.5) {
      let word = ''
      for (let i = int(random, 3, 6); i > 0; i--) word += pick(random, [...katakana])
      ja.add(word)
    } else {
      let word = ''
      for (let i = int(random, 2, 3); i > 0; i--) word += pick(random, [...kanji])
      ja.add(word)
    }
  }
  return { en: [...en], ja: [...ja] }
}

const englishTags = [
  'reports',
  'billing',
  'api',
  'sso',
  'permissions',
  'dashboard',
  'exports',
  'webhooks',
  'integrations',
  'users',
  'security',
  'onboarding',
  'csv',
  'slack',
  'timezone',
  'invoices',
  'customer-success',
  'rate-limits',
  'saml',
  'import',
  'notifications',
  'mobile',
  'automation',
  'audit-log',
  'scim',
  'health-score',
  'renewals',
  'training',
  'webinars',
  'search',
]
const eventKinds = ['webinar', 'workshop', 'office_hours', 'training', 'meetup']

export type CorpusOptions = { seed?: number; batchSize?: number }

/** The share of articles that also exist in the other language. */
const TRANSLATED = 0.3

/** Yields `count` documents in batches, always the same for the same seed. Ids run from 1 per type. */
export function* generateSearchDocuments(
  count: number,
  { seed = 20_260_101, batchSize = 1000 }: CorpusOptions = {},
): Generator<SearchDocument[]> {
  const random = prng(seed)
  // Translations draw from a stream of their own, so the documents of the main stream stay as they were.
  const translating = prng(seed ^ 0x5bd1e995)
  const mainRandom = random
  const tail = tailWords(random)
  const englishWord = zipf([...englishFunctionWords, ...englishDomainWords, ...tail.en], 1.05)
  const japaneseWord = zipf([...japaneseWords, ...tail.ja], 1.0)
  const tag = zipf(englishTags, 0.9)
  const base = Date.UTC(2026, 0, 1)
  const nextId: Record<SearchDocType, number> = { question: 0, article: 0, event: 0 }

  const englishText = (words: number, capitalise = true, random: Random = mainRandom): string => {
    const out: string[] = []
    let sentence = 0
    for (let i = 0; i < words; i++) {
      let word = englishWord(random)
      if (random() < 0.01) word = String(int(random, 2, 5000))
      if (capitalise && sentence === 0) word = word[0]!.toUpperCase() + word.slice(1)
      sentence++
      if (sentence >= int(random, 8, 20) || i === words - 1) {
        word += i === words - 1 && !capitalise ? '' : '.'
        sentence = 0
      } else if (random() < 0.06) word += ','
      out.push(word)
    }
    return out.join(' ')
  }

  // A Japanese "word" here is a content word with its particle; sentences have no spaces.
  const japaneseText = (words: number, random: Random = mainRandom): string => {
    let text = ''
    let sentence = 0
    for (let i = 0; i < words; i++) {
      const word = random() < 0.06 ? pick(random, japaneseLatin) : japaneseWord(random)
      sentence++
      if (sentence >= int(random, 3, 7) || i === words - 1) {
        text += word + pick(random, endings)
        sentence = 0
      } else text += word + pick(random, particles)
    }
    return text
  }

  const text = (locale: SearchLocale, words: number, random: Random = mainRandom) =>
    locale === 'ja' ? japaneseText(words, random) : englishText(words, true, random)
  const title = (locale: SearchLocale, words: number, random: Random = mainRandom) =>
    locale === 'ja'
      ? japaneseText(Math.max(2, Math.round(words / 2)), random)
      : englishText(words, true, random).replace(/\.$/, '?')
  const tagsOf = (n: number) => [...new Set(Array.from({ length: n }, () => tag(random)))]

  let batch: SearchDocument[] = []
  let made = 0
  const add = (doc: SearchDocument) => {
    batch.push(doc)
    made++
  }
  while (made < count) {
    if (batch.length >= batchSize) {
      yield batch
      batch = []
    }
    const locale: SearchLocale = random() < 0.5 ? 'ja' : 'en'
    const roll = random()
    const type: SearchDocType = roll < 0.75 ? 'question' : roll < 0.95 ? 'article' : 'event'
    const docId = ++nextId[type]
    const updatedAt = new Date(base - int(random, 0, 3 * 365) * 86_400_000)
    const doc: SearchDocument = {
      id: searchDocId(type, docId),
      type,
      docId,
      locale,
      title: '',
      body: '',
      answers: '',
      tags: [],
      category: null,
      url: '',
      answerCount: 0,
      accepted: false,
      score: 0,
      startsAt: null,
      restricted: false,
      audienceAccountIds: [],
      audienceTiers: [],
      group: searchDocId(type, docId),
      otherLocales: [],
      translations: '',
      updatedAt,
    }
    if (type === 'question') {
      const answerCount = Math.min(5, Math.floor(-Math.log(1 - random()) * 1.4))
      doc.title = title(locale, int(random, 5, 15))
      doc.body = text(locale, int(random, 40, 300))
      doc.answers = Array.from({ length: answerCount }, () => text(locale, int(random, 20, 200))).join('\n\n')
      doc.answerCount = answerCount
      doc.accepted = answerCount > 0 && random() < 0.45
      doc.tags = tagsOf(int(random, 1, 4))
      doc.score = Math.floor(-Math.log(1 - random()) * 3) - (random() < 0.1 ? 2 : 0)
      doc.url = `/questions/${docId}`
    } else if (type === 'article') {
      doc.title = title(locale, int(random, 3, 9)).replace(/\?$/, '')
      doc.body = text(locale, int(random, 300, 1500))
      doc.tags = tagsOf(int(random, 1, 4))
      doc.category = pick(random, ['getting-started', 'reports-exports', 'account-security', 'billing', 'api'])
      doc.score = int(random, -3, 40)
      doc.url = `/help/articles/${docId}`
    } else {
      doc.title = title(locale, int(random, 4, 10)).replace(/\?$/, '')
      doc.body = text(locale, int(random, 60, 140))
      doc.category = pick(random, eventKinds)
      doc.startsAt = new Date(base + int(random, -365, 180) * 86_400_000 + int(random, 0, 23) * 3_600_000)
      doc.restricted = random() < 0.05
      doc.url = `/events/${docId}`
    }
    add(doc)
    if (type === 'article' && made < count && translating() < TRANSLATED) {
      const other: SearchLocale = locale === 'ja' ? 'en' : 'ja'
      const translationId = ++nextId.article
      const translation: SearchDocument = {
        ...doc,
        id: searchDocId('article', translationId),
        docId: translationId,
        locale: other,
        title: title(other, int(translating, 3, 9), translating).replace(/\?$/, ''),
        body: text(other, int(translating, 300, 1500), translating),
        score: int(translating, -3, 40),
        url: `/help/articles/${translationId}`,
      }
      const group = `article-group:${docId}`
      Object.assign(doc, { group, otherLocales: [other], translations: `${translation.title}\n\n${translation.body}` })
      Object.assign(translation, { group, otherLocales: [locale], translations: `${doc.title}\n\n${doc.body}` })
      add(translation)
    }
  }
  if (batch.length) yield batch
}

/** The same documents as an async iterable, the shape `SearchEngine.rebuild` takes. `timing.ms`
 *  accumulates the time spent generating, so a benchmark can subtract it from the build time. */
export async function* searchCorpus(
  count: number,
  options: CorpusOptions = {},
  timing: { ms: number } = { ms: 0 },
): AsyncGenerator<SearchDocument[]> {
  const batches = generateSearchDocuments(count, options)
  for (;;) {
    const t0 = performance.now()
    const next = batches.next()
    timing.ms += performance.now() - t0
    if (next.done) return
    yield next.value
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--docs')
  const count = at > 0 ? Number(process.argv[at + 1]) : 5
  for (const batch of generateSearchDocuments(count)) {
    for (const doc of batch) process.stdout.write(`${JSON.stringify(doc)}\n`)
  }
}
