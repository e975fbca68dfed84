import { expect, test } from 'vitest'
import { en } from './en/index.ts'
import { ja } from './ja/index.ts'

// docs/glossary.ja.md chooses one term per concept. This test holds the catalogues to it: a rejected term
// fails here unless its key is allowed below, with the reason the word is right there.

/** `only`: the rule applies to the keys it matches (an email greeting, not every sentence starting with a name). */
type Rule = { reject: RegExp; use: string; only?: RegExp; allow?: Record<string, string> }

const JAPANESE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u

const jaRules: Rule[] = [
  { reject: /サインイン|サインアウト/, use: 'ログイン / ログアウト' },
  { reject: /承認された回答|承認済みの回答|回答を承認|採用/, use: 'ベストアンサー / ベストアンサーに選ぶ' },
  { reject: /健全性|アカウントヘルス|ヘルス(?!スコア)/, use: 'ヘルススコア' },
  { reject: /タッチ区分/, use: 'タッチモデル' },
  { reject: /チケット|サポート要求/, use: 'お問い合わせ (customers) / 問い合わせ (staff)' },
  { reject: /未対応|メンバーの返信待ち/, use: '対応中 / お客様の返信待ち / 解決済み / 終了' },
  { reject: /セルフサービス率/, use: '自己解決率 (セルフサービス比率 is the readers ÷ filers figure)' },
  { reject: /暗黙の自己解決|自己解決の可能性/, use: '推定の自己解決' },
  { reject: /明示的な自己解決/, use: '自己解決 (beside 推定の自己解決)' },
  { reject: /満足度（NPS）|満足度\(NPS\)|私たち/, use: '推奨度（NPS）, and the question names the company (当社)' },
  { reject: /おすすめの対応/, use: '推奨アクション' },
  { reject: /不参加/, use: '欠席' },
  { reject: /インポート/, use: '取り込み' },
  {
    reject: /(?<!メール|IP ?)アドレス/,
    use: 'URL（スラッグ）, エンドポイント, フィード URL (アドレス only in メールアドレス)',
  },
  { reject: /問い合わせ者/, use: '依頼者' },
  { reject: /製品領域/, use: '製品分野' },
  { reject: /送信ログ/, use: '配信ログ' },
  { reject: /インサイト/, use: '分析' },
  { reject: /カバー率/, use: 'データの充足度' },
  { reject: /デフレクション|チャーン(?!ピオン)/, use: '自己解決, 解約' },
  { reject: /アウトカム|アップセル|ダウンセル/, use: '契約の記録 (更新 / 増額 / 減額 / 解約)' },
  { reject: /ロゴチャーン|顧客離脱率/, use: '解約率（社数）' },
  { reject: /ARR ?ムーブメント/, use: 'ARR の増減' },
  { reject: /リレーションシップ ?NPS|関係性 ?NPS/, use: '定期 NPS アンケート' },
  { reject: /トラックレコード|答え合わせ/, use: 'ヘルススコアの実績検証' },
  { reject: /購読解除|アンサブスクライブ/, use: '配信停止' },
  { reject: /同義語|シノニム/, use: '類義語' },
  { reject: /あなたの/, use: 'leave the owner implied (回答を書く, ご自身の投稿)' },
  { reject: /面談|1 ?対 ?1/, use: '個別のミーティング' },
  { reject: /(^|\n)\{\{name\}\} ?さん/, use: '{{name}} 様 (greeting in emails)', only: /email|greeting|body/ },
  {
    reject: /\b(GOOD|NORMAL|BAD)\b/,
    use: '良好 / 普通 / 要注意 (codes only where a person must type them)',
    allow: {
      'crm.api.invalid_band': 'an API error naming the values the band parameter accepts',
    },
  },
]

const enRules: Rule[] = [
  { reject: /(?<![/\w{])log ?(in|out)\b/i, use: 'sign in / sign out' },
  { reject: /\bbest answer/i, use: 'accepted answer' },
  { reject: /self-service rate/i, use: 'deflection rate (self-service ratio is the readers ÷ filers figure)' },
  { reject: /recommended action/i, use: 'suggested play' },
]

function entries(node: unknown, prefix = ''): [string, string][] {
  if (typeof node === 'string') return [[prefix, node]]
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => entries(v, prefix ? `${prefix}.${k}` : k))
}

function violations(catalogue: unknown, rules: Rule[]): string[] {
  const found: string[] = []
  for (const [key, text] of entries(catalogue)) {
    for (const rule of rules) {
      const match = rule.reject.exec(text)
      if (match && !rule.allow?.[key] && (!rule.only || rule.only.test(key)))
        found.push(`${key}: 「${match[0]}」 → ${rule.use}`)
    }
  }
  return found
}

test('the Japanese catalogues use the glossary’s term for each concept', () => {
  expect(violations(ja, jaRules)).toEqual([])
})

test('the English catalogues use one term for each concept too', () => {
  expect(violations(en, enRules)).toEqual([])
})

test('every allowed exception names a key that exists and still uses the word', () => {
  const texts = new Map(entries(ja))
  for (const rule of jaRules) {
    for (const key of Object.keys(rule.allow ?? {})) {
      expect(texts.has(key), key).toBe(true)
      expect(rule.reject.test(texts.get(key)!), key).toBe(true)
    }
  }
})

/** What is left of a Japanese string once placeholders, nested keys, code, URLs and clock times are gone. */
function prose(text: string): string {
  return text
    .replace(/\{\{[^}]*\}\}/g, '')
    .replace(/\$t\([^)]*\)/g, '')
    .replace(/`[^`]*`/g, '')
    .replace(/https?:\/\/\S*/g, '')
    .replace(/\d:\d/g, '')
}

test('Japanese text uses full-width colons and middle dots', () => {
  const found = entries(ja)
    .filter(([, text]) => JAPANESE.test(text) && /[:·]/.test(prose(text)))
    .map(([key, text]) => `${key}: ${text}`)
  expect(found).toEqual([])
})

test('a half-width space separates Japanese from Latin letters and digits', () => {
  const touching = new RegExp(`${JAPANESE.source}[0-9A-Za-z]|[0-9A-Za-z]${JAPANESE.source}`, 'u')
  const found = entries(ja)
    .filter(([, text]) => touching.test(prose(text)))
    .map(([key, text]) => `${key}: ${text}`)
  expect(found).toEqual([])
})
