import type { sso as en } from '../en/sso.ts'
import type { Catalogue } from '../types.ts'

export const sso: Catalogue<typeof en> = {
  sso: {
    sign_in_with: '{{name}} でログイン',
    or_password: 'メールアドレスとパスワードでログイン',
    providers_label: 'シングルサインオン',
    password_closed:
      'ご所属の組織では {{name}} でログインします。パスワードではなく「{{name}} でログイン」ボタンをお使いください。',
    errors: {
      provider_unknown: 'このログイン方法は利用できません。ログイン画面からほかの方法でログインしてください。',
      unavailable:
        'ログインサービスに接続できませんでした。数分後にもう一度お試しいただくか、パスワードでログインしてください。',
      state_mismatch:
        'このログインは別のブラウザーやタブで開始されたか、有効期限が切れています。下のボタンからもう一度お試しください。',
      attempt_invalid: 'このログインはすでに使用済みか、有効期限が切れています。下のボタンからもう一度お試しください。',
      denied: 'プロバイダーでログインが取り消されました。準備ができたらもう一度お試しください。',
      exchange_failed: 'プロバイダーからの応答を確認できなかったため、ログインしませんでした。もう一度お試しください。',
      email_missing:
        'プロバイダーからメールアドレスが提供されなかったため、ログインしませんでした。管理者にお問い合わせください。',
      email_unverified:
        'プロバイダーでメールアドレスが確認されていないため、アカウントの作成や連携は行いませんでした。先にプロバイダーで確認してください。',
      already_linked:
        'このメールアドレスには、このプロバイダーの別の ID がすでに連携されています。管理者にお問い合わせください。',
      account_disabled: 'このアカウントは無効になっています。コミュニティ運営チームにお問い合わせください。',
      rate_limited: 'ログインの試行が多すぎます。数分待ってからもう一度お試しください。',
      failed: 'ログインできませんでした。もう一度お試しいただくか、パスワードでログインしてください。',
    },
    validation: {
      slug_invalid: '半角英小文字、数字、ハイフンで入力してください（例：acme-cloud）。',
      slug_taken: 'この URL（スラッグ）はほかのプロバイダーが使用しています。',
      issuer_invalid: '発行者 URL を入力してください（例：https://login.example.com）。',
      issuer_https: '発行者 URL には https を使用してください（http はテスト用にこのサーバー上でのみ使用できます）。',
      issuer_private: 'この URL はこのサーバーまたはプライベートネットワークを指しているため使用できません。',
      scopes_invalid: 'スコープは半角スペースで区切ってください。引用符やバックスラッシュは使用できません。',
      claim_invalid: 'クレーム名には英数字と記号（_ - . / およびコロン）のみ使用できます。',
      confirm_mismatch: '確認のため、プロバイダーの URL（スラッグ）を正確に入力してください。',
    },
    admin: {
      nav: 'シングルサインオン',
      title: 'シングルサインオン（OpenID Connect）',
      lead: 'メンバーは製品で使っているアカウントでログインできます。各プロバイダーに表示されたコールバック URL をプロバイダー側に登録してください。',
      empty: 'プロバイダーはまだありません。',
      add_title: 'プロバイダーの追加',
      add: 'プロバイダーを追加',
      created: 'プロバイダーを追加しました。コールバック URL をプロバイダー側に登録してください。',
      saved: 'プロバイダーを保存しました。',
      deleted: 'プロバイダーを削除しました。',
      back: 'シングルサインオンに戻る',
      edit_title: 'プロバイダー：{{name}}',
      save: 'プロバイダーを保存',
      columns: {
        name: '名前',
        issuer: '発行者',
        callback: 'コールバック URL',
        members: '連携済みメンバー',
        status: '状態',
      },
      status: { enabled: '有効', disabled: '無効' },
      password_closed_badge: 'メンバーのパスワードログインは停止中',
      fields: {
        name: 'ボタンに表示する名前',
        name_hint: '「… でログイン」と表示されます。製品名などを入力してください。',
        slug: 'URL（スラッグ）',
        slug_hint: 'ログイン URL とコールバック URL の一部です。半角英小文字、数字、ハイフンで入力してください。',
        issuer: '発行者 URL',
        issuer_hint: 'プロバイダーの発行者識別子です。ここから /.well-known/openid-configuration を読み込みます。',
        client_id: 'クライアント ID',
        client_secret: 'クライアントシークレット',
        client_secret_hint_new:
          '暗号化して保存し、今後は表示しません。パブリッククライアントの場合は空欄のままにしてください。',
        client_secret_hint_keep: 'シークレットは保存済みです。変更しない場合は空欄のままにしてください。',
        client_secret_hint_none:
          'シークレットは保存されていません。パブリッククライアントの場合は空欄のままにしてください。',
        scopes: 'スコープ',
        scopes_hint: '半角スペースで区切ります。openid は常に追加されます。メンバーの照合には email が必要です。',
        account_claim: 'アカウントのクレーム',
        account_claim_hint:
          'メンバーの顧客アカウントを示すクレームです。ログインのたびに反映します。空欄の場合はメールアドレスのドメインで判定します。',
        account_match: 'クレームの内容',
        password_sign_in: 'このプロバイダーを使うメンバーにパスワードでのログインも許可する',
        password_sign_in_hint: 'スタッフと管理者は、プロバイダーの障害に備えて常にパスワードでもログインできます。',
        enabled: '有効にする（ログイン画面にボタンを表示）',
      },
      match: {
        external_id: 'アカウントの外部 ID（CRM の ID）',
        domain: 'アカウントのメールドメイン',
      },
      callback: 'プロバイダーに登録するコールバック URL',
      linked_members: '連携済みメンバー：{{members}} 人',
      delete_title: 'このプロバイダーの削除',
      delete_lead:
        '連携済みのメンバー（{{members}} 人）のアカウントは残りますが、このプロバイダーではログインできなくなります。確認のため、URL（スラッグ）「{{slug}}」を入力してください。',
      delete_confirm: '確認用の URL（スラッグ）',
      delete: 'プロバイダーを削除',
    },
  },
}
