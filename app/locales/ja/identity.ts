import type { identity as en } from '../en/identity.ts'
import type { Catalogue } from '../types.ts'

export const identity: Catalogue<typeof en> = {
  identity: {
    email: 'メールアドレス',
    password: 'パスワード',
    display_name: '表示名',
    display_name_hint: '質問や回答の横に表示されます。',
    password_hint: '8 文字以上で入力してください。長めのフレーズもお使いいただけます。',
    new_password: '新しいパスワード',
    confirm_password: '新しいパスワード（確認）',
    current_password: '現在のパスワード',
    email_taken: 'このメールアドレスは既に登録されています。ログインしてご利用ください。',
    invalid_credentials: 'メールアドレスまたはパスワードが正しくありません。',
    account_disabled: 'このアカウントは無効になっています。管理者にお問い合わせください。',
    current_password_wrong: '現在のパスワードが正しくありません。',
    reset_link_invalid:
      'この再設定リンクは無効、有効期限切れ、または使用済みです。新しい再設定リンクを依頼してください。',
    signup: {
      title: 'コミュニティに参加',
      lead: '質問や回答の投稿、イベントへの参加登録ができます。',
      submit: 'アカウントを作成',
      have_account: 'アカウントをお持ちの方は',
      check_title: 'メールをご確認ください',
      check_body:
        '{{email}} 宛てにメールを送信しました。24 時間以内にメール内のリンクを開いてメールアドレスを確認し、登録を完了してください。',
      check_hint:
        '数分たってもメールが届かない場合は、迷惑メールフォルダをご確認いただくか、ログインしてリンクを再送してください。このメールアドレスのアカウントが既にある場合は、ログインの方法をメールでご案内しています。',
    },
    verify: {
      title: 'メールアドレスの確認',
      confirm_lead: '{{name}} 様、{{email}} がご自身のメールアドレスであることを確認して、登録を完了してください。',
      confirm_change: '{{name}} 様、{{email}} をアカウントの新しいメールアドレスとして確認してください。',
      confirm: 'メールアドレスを確認',
      invalid_title: 'このリンクは使用できません',
      link_invalid: 'この確認リンクは無効、期限切れ、または使用済みです。',
      invalid_signed_in: '設定画面から新しいリンクを送信してください。',
      invalid_signed_out: 'ログインして新しいリンクを送信してください。',
      address_taken:
        'このメールアドレスは、既に別のアカウントで使用されています。設定画面で別のメールアドレスを指定してください。',
      required:
        '先にメールアドレスを確認してください。お送りしたリンクを開くと確認できます。リンクはページ上部のお知らせから再送できます。',
      banner_title: 'メールアドレスを確認してください。',
      banner_body:
        '{{email}} 宛てにリンクを送信しました。確認が済むまでは閲覧のみご利用いただけます。投稿、イベントへの参加登録、お問い合わせは確認後にご利用ください。',
      send_again: 'リンクを再送',
      sent_again: '新しいリンクを送信しました。有効期限は 24 時間です。',
      welcome: 'メールアドレスを確認しました。コミュニティへようこそ。',
      already: 'メールアドレス {{email}} は確認済みです。',
    },
    change_email: {
      title: 'メールアドレス',
      lead: '新しいメールアドレス宛てにリンクをお送りします。リンクを開くと現在のメールアドレスから切り替わります。',
      new_email: '新しいメールアドレス',
      submit: '確認リンクを送信',
      same: '現在のメールアドレスと同じです。',
      sent: '{{email}} 宛てにリンクを送信しました。リンクを開くとメールアドレスが変更されます（有効期限 24 時間）。',
      changed: 'メールアドレスを変更しました。',
      unverified_note: '未確認',
    },
    login: {
      title: 'ログイン',
      submit: 'ログイン',
      no_account: 'アカウントをお持ちでない方は',
      forgot: 'パスワードをお忘れの方',
      reset_done: 'パスワードを変更しました。新しいパスワードでログインしてください。',
    },
    forgot: {
      title: 'パスワードの再設定',
      lead: 'アカウントのメールアドレスを入力してください。新しいパスワードを設定するためのリンクをお送りします。',
      submit: '再設定リンクを送信',
      sent: '{{email}} で登録されたアカウントがある場合は、再設定リンクをお送りしました。有効期限は 1 時間です。',
    },
    reset: {
      title: '新しいパスワードの設定',
      submit: 'パスワードを設定',
      invalid_title: 'このリンクは使用できません',
      request_new: '新しい再設定リンクを依頼',
    },
    settings: {
      title: '設定',
      profile: 'プロフィールと言語',
      language: '言語',
      time_zone: 'タイムゾーン',
      saved: '設定を保存しました。',
      password: 'パスワードの変更',
      password_submit: 'パスワードを変更',
      password_changed: 'パスワードを変更しました。ほかのセッションからはログアウトしました。',
      password_changed_count_one: 'パスワードを変更しました。ほかの {{count}} 件のセッションからログアウトしました。',
      password_changed_count_other: 'パスワードを変更しました。ほかの {{count}} 件のセッションからログアウトしました。',
      sessions: 'セッション',
      sessions_lead:
        '共有の端末や紛失した端末でログインしたままになっている場合は、すべてのブラウザと端末から一度にログアウトできます。',
      sign_out_everywhere: 'すべての端末からログアウト',
      account: '所属アカウント',
      no_account: '所属しているアカウントはありません。',
      role: 'ロール',
    },
    roles: { member: 'メンバー', staff: 'スタッフ', manager: 'マネージャー', admin: '管理者' },
    languages: { en: 'English（英語）', ja: '日本語' },
  },
}
