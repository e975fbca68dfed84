import type { notify as en } from '../en/notify.ts'
import type { Catalogue } from '../types.ts'

export const notify: Catalogue<typeof en> = {
  notify: {
    not_found: 'その通知は見つかりませんでした。',
    question_not_found: 'その質問は見つかりませんでした。',
    someone: 'だれか',
    nav: {
      link: '通知',
      link_unread: '通知、未読 {{count}} 件',
    },
    kind: {
      answer: '{{actor}} さんが「{{title}}」に回答しました',
      comment: '{{actor}} さんが「{{title}}」のあなたの投稿にコメントしました',
      accepted: '{{actor}} さんが「{{title}}」へのあなたの回答を採用しました',
      mention: '{{actor}} さんが「{{title}}」であなたをメンションしました',
    },
    page: {
      title: '通知',
      lead: 'ウォッチ中の質問への回答、あなたの投稿へのコメント、採用された回答、メンションをお知らせします。',
      unread: '未読 {{count}} 件',
      mark_all: 'すべて既読にする',
      new: '未読',
      empty:
        'まだ通知はありません。ウォッチ中の質問に回答が付いたとき、投稿にコメントが付いたとき、回答が採用されたとき、メンションされたときにここに表示されます。',
      list: 'あなたへの通知',
    },
    settings: {
      title: 'メール通知',
      lead: '通知は常に通知ページに表示されます。メールでも受け取るかどうかを選んでください。',
      mode: 'メールで受け取る',
      modes: {
        each: '通知ごとに',
        digest: '1 日 1 回まとめて',
        none: '受け取らない',
      },
      submit: 'メール通知を更新',
      saved: 'メール通知の設定を更新しました。',
    },
    email: {
      greeting: '{{name}} さん',
      open: '開く: {{link}}',
      footer: 'このメールは通知設定に基づいて送信されています。設定の変更はこちら: {{link}}',
      answer: {
        subject: '「{{title}}」に新しい回答',
        intro: 'ウォッチ中の質問「{{title}}」に {{actor}} さんが回答しました。',
      },
      comment: {
        subject: '「{{title}}」に新しいコメント',
        intro: '{{actor}} さんが「{{title}}」のあなたの投稿にコメントしました。',
      },
      accepted: {
        subject: '「{{title}}」へのあなたの回答が採用されました',
        intro: '{{actor}} さんが「{{title}}」へのあなたの回答を採用しました。',
      },
      mention: {
        subject: '{{actor}} さんが「{{title}}」であなたをメンションしました',
        intro: '{{actor}} さんが「{{title}}」であなたをメンションしました。',
      },
    },
    digest: {
      subject_one: 'コミュニティからの新しい通知 {{count}} 件',
      subject_other: 'コミュニティからの新しい通知 {{count}} 件',
      intro: '前回のまとめ以降のお知らせです。',
      more: 'ほか {{count}} 件: {{link}}',
    },
  },
}
