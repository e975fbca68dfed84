import type { notify as en } from '../en/notify.ts'
import type { Catalogue } from '../types.ts'

export const notify: Catalogue<typeof en> = {
  notify: {
    not_found: 'その通知は見つかりませんでした。',
    question_not_found: 'その質問は見つかりませんでした。',
    actor: '{{name}} さん',
    someone: 'どなたか',
    nav: {
      link: '通知',
      link_unread: '通知、未読 {{count}} 件',
    },
    kind: {
      answer: '{{actor}}が「{{title}}」に回答しました',
      comment: '{{actor}}が「{{title}}」の投稿にコメントしました',
      accepted: '{{actor}}が「{{title}}」への回答をベストアンサーに選びました',
      mention: '{{actor}}が「{{title}}」であなたをメンションしました',
      event_registered: '「{{title}}」の参加登録が完了しました',
      event_waitlisted: '「{{title}}」のキャンセル待ちに登録しました',
      event_promoted: '席が空いたため「{{title}}」の参加登録が完了しました',
      event_changed: '「{{title}}」の日時または場所が変更されました',
      event_cancelled: '「{{title}}」は中止になりました',
      event_recording: '「{{title}}」の録画を公開しました',
      support_received: 'お問い合わせ {{title}} を受け付けました',
      support_updated: 'お問い合わせ {{title}} が更新されました',
    },
    page: {
      title: '通知',
      lead: '回答・コメント・メンション、イベントの参加登録、お問い合わせの状況をお知らせします。',
      unread: '未読 {{count}} 件',
      mark_all: 'すべて既読にする',
      new: '未読',
      empty:
        'まだ通知はありません。ウォッチ中の質問に回答が付いたとき、イベントに参加登録したとき、お問い合わせが更新されたときなどにここに表示されます。',
      list: '通知一覧',
      settings: '通知設定',
    },
    settings: {
      title: '通知設定',
      lead: '通知の種類ごとに、受け取り方を選んでください。',
      link_lead:
        '回答・イベント・お問い合わせの通知を、すぐにメールで受け取るか、まとめメールで受け取るか、通知ページだけで確認するか、受け取らないかを選べます。',
      link: '通知設定を変更',
      groups: {
        questions: '質問と回答',
        events: 'イベント',
        support: 'お問い合わせ',
      },
      kinds: {
        answer: 'ウォッチ中の質問への新しい回答',
        comment: '投稿へのコメント',
        accepted: '回答がベストアンサーに選ばれたとき',
        mention: 'メンションされたとき',
        event_registered: '参加登録の完了（カレンダーファイル付き）',
        event_waitlisted: 'キャンセル待ちへの登録',
        event_promoted: 'キャンセル待ちから参加登録への繰り上げ',
        event_changed: '参加登録したイベントの日時・場所の変更',
        event_cancelled: '参加登録したイベントの中止',
        event_recording: '参加登録したイベントの録画の公開',
        support_received: 'お問い合わせの受付',
        support_updated: 'サポートチームによるお問い合わせの更新',
      },
      channels: {
        email: 'すぐにメール',
        digest: 'まとめメール',
        in_app: '通知ページのみ',
        none: 'オフ',
      },
      required: '{{kind}}：常にメールでお送りします',
      required_hint: '参加予定に関わるお知らせのため、常にメールでお送りします。',
      submit: '通知設定を保存',
      saved: '通知設定を保存しました。',
      unchanged: '変更はありません。',
      digest_note: 'まとめメールは 1 日 1 回、過去 7 日間のお知らせをまとめてお送りします。',
    },
    email: {
      greeting: '{{name}} 様',
      open: '開く：{{link}}',
      footer: 'このメールは通知設定に基づいてお送りしています。設定の変更はこちら：{{link}}',
      unsubscribe: 'この種類のメールの配信停止はこちら：{{link}}',
      footer_required:
        'このメールはお申し込みいただいた内容に関するお知らせのため、常にお送りしています。通知設定はこちら：{{link}}',
      answer: {
        subject: '「{{title}}」に新しい回答',
        intro: 'ウォッチ中の質問「{{title}}」に{{actor}}が回答しました。',
      },
      comment: {
        subject: '「{{title}}」に新しいコメント',
        intro: '{{actor}}が「{{title}}」の投稿にコメントしました。',
      },
      accepted: {
        subject: '「{{title}}」への回答がベストアンサーに選ばれました',
        intro: '{{actor}}が「{{title}}」への回答をベストアンサーに選びました。',
      },
      mention: {
        subject: '{{actor}}が「{{title}}」であなたをメンションしました',
        intro: '{{actor}}が「{{title}}」であなたをメンションしました。',
      },
    },
    digest: {
      subject_one: 'コミュニティからの新しい通知 {{count}} 件',
      subject_other: 'コミュニティからの新しい通知 {{count}} 件',
      intro: '前回のまとめ以降のお知らせです。',
      more: 'ほか {{count}} 件：{{link}}',
      unsubscribe: 'まとめメールの配信停止はこちら：{{link}}',
    },
    unsubscribe: {
      title: '配信停止',
      lead_kind: '次のメールの配信を停止します：{{kind}}',
      lead_digest: 'まとめメールの配信を停止します。',
      in_app: 'これらの通知は引き続き通知ページで確認できます。',
      confirm: '配信を停止',
      done: '配信を停止しました。今後このメールはお送りしません。',
      already: 'このメールはすでに配信停止になっています。',
      invalid:
        'この配信停止リンクは無効です。メールのリンクを最後までコピーするか、ログインして通知設定を変更してください。',
      manage: 'すべての通知設定',
    },
  },
}
