import type { crm as en } from '../en/crm.ts'
import type { Catalogue } from '../types.ts'

export const crm: Catalogue<typeof en> = {
  crm: {
    api: {
      account_not_found: 'この ID のアカウントはありません。',
      no_health: 'このアカウントのヘルススコアはまだありません。最初のスコアは毎日の集計で計算されます。',
      invalid_band: 'band には GOOD、NORMAL、BAD、INSUFFICIENT_DATA のいずれかを指定してください。',
      invalid_limit: 'limit には 1〜500 の整数を指定してください。',
      invalid_cursor: 'cursor には前のページの next_cursor を指定してください。',
      method_not_allowed: 'このエンドポイントは GET リクエストにのみ対応しています。',
    },
    settings: {
      title: 'CRM 連携',
      lead: 'CRM 上のヘルススコアを最新に保ちます。CRM は「ヘルススコア」の権限を持つ API トークンでヘルススコアを読み取ります。また、アカウントのヘルススコアの判定（良好、普通、要注意、データ不足）が変わると、署名付きの Webhook "health.changed" を受け取ります。',
      endpoints: 'エンドポイント：',
      webhook_url: 'CRM の受信 URL',
      webhook_url_hint:
        'アカウントのヘルススコアの判定が変わるたびに、署名付きの POST を 1 回受け取る CRM 側の URL です。空欄にすると何も送信しません。配信に失敗した場合は、間隔を空けながら再試行します。',
      save: '保存',
      saved: '保存しました。ヘルススコアの変化は、この設定で CRM に送信されます。',
      secret_title: 'CRM の署名シークレット',
      secret_label: 'CRM の署名シークレット',
      secret_hint:
        'CRM にはヘルプデスクとは別のシークレットを使います。外部に漏らさず、CRM にコピーして設定してください。',
      secret_none:
        'CRM の署名シークレットはまだありません。受信 URL を保存すると自動で作成されます。今すぐ作成することもできます。',
      secret_rotated:
        '新しい CRM の署名シークレットに切り替えました。CRM にすぐ設定してください。これ以降の配信はこのシークレットで署名されます。',
      scheme:
        '署名と再試行の仕組みはヘルプデスクの Webhook とまったく同じで（「受信側での配信の確認方法」を参照）、このシークレットで署名します。イベントは "health.changed" です。本文には、アカウント、新しい判定、変化前の判定、スコア、英語と日本語の理由、推奨アクションが含まれます。',
      test_title: 'CRM へのテスト配信',
      test_lead: '署名付きの "ping" を今すぐ CRM の受信 URL に送り、応答を表示します。配信ログにも記録されます。',
      test_no_url: '先に CRM の受信 URL を保存してください。',
    },
  },
}
