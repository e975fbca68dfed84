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
    },
    page: {
      title: '通知',
      lead: 'ウォッチ中の質問への回答、投稿へのコメント、ベストアンサーに選ばれた回答、メンションをお知らせします。',
      unread: '未読 {{count}} 件',
      mark_all: 'すべて既読にする',
      new: '未読',
      empty:
        'まだ通知はありません。ウォッチ中の質問に回答が付いたとき、投稿にコメントが付いたとき、回答がベストアンサーに選ばれたとき、メンションされたときにここに表示されます。',
      list: '通知一覧',
    },
    settings: {
      title: 'メール通知',
      lead: '通知はいつでも通知ページで確認できます。メールでも受け取るかどうかを選んでください。',
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
      greeting: '{{name}} 様',
      open: '開く：{{link}}',
      footer: 'このメールは通知設定に基づいてお送りしています。設定の変更はこちら：{{link}}',
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
    },
  },
}
