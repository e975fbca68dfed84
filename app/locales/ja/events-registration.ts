import type { events_registration as en } from '../en/events-registration.ts'
import type { Catalogue } from '../types.ts'

export const events_registration: Catalogue<typeof en> = {
  events_registration: {
    not_found: 'イベントが見つかりませんでした。',
    cancelled: 'このイベントは中止になったため、参加登録はできません。',
    past: 'このイベントはすでに始まっているため、参加登録はできません。',
    closed: 'このイベントの参加登録は {{deadline}} に締め切られました。',
    not_in_audience: 'このイベントは対象のお客様限定のため、ご利用のアカウントでは参加登録いただけません。',
    nothing_to_cancel: 'このイベントには参加登録されていません。',
    cancel_too_late: 'このイベントはすでに始まっているため、参加登録を取り消すことはできません。',
    calendar_not_found: 'カレンダーが見つかりませんでした。フィード URL が再発行された可能性があります。',
    calendar: {
      feed_name: '参加予定のコミュニティイベント',
      waitlisted_summary: '{{title}}（キャンセル待ち）',
      event_page: 'イベントページ：{{link}}',
      join: 'オンライン参加：{{link}}',
    },
    email: {
      greeting: '{{name}} 様',
      when: '日時：{{time}}',
      time_in_zone: '{{time}}（{{zone}}）',
      where: '会場：{{venue}}',
      join: 'オンライン参加：{{link}}',
      page: 'イベントページ：{{link}}',
      footer:
        'このメールは、イベントに参加登録された方にお送りしています。ご都合が悪くなった場合は、キャンセル待ちの方が参加できるよう、イベントページから登録を取り消してください。',
      registered: {
        subject: '「{{title}}」の参加登録が完了しました',
        intro: '「{{title}}」の参加登録が完了しました。添付のカレンダーファイルからご予定に追加できます。',
      },
      waitlisted: {
        subject: '「{{title}}」のキャンセル待ちに登録しました',
        intro:
          '「{{title}}」は満席のため、キャンセル待ち（{{position}} 番目）に登録しました。空きが出ると順番に参加登録となり、メールでお知らせします。',
      },
      changed: {
        subject: '変更のお知らせ：「{{title}}」',
        intro: '「{{title}}」の日時または場所が変更になりました。変更後の内容は次のとおりです。',
      },
      cancelled: {
        subject: '中止のお知らせ：「{{title}}」',
        intro:
          '誠に申し訳ございませんが、「{{title}}」は中止となりました。参加登録も取り消されますので、お手続きは不要です。',
        others: 'ほかのイベントはこちらからご覧いただけます：{{link}}',
      },
      recording: {
        subject: '「{{title}}」の録画を公開しました',
        intro: '「{{title}}」の録画はこちらからご覧いただけます：{{link}}',
      },
      promoted: {
        subject: '「{{title}}」の参加登録が完了しました',
        intro: 'キャンセル待ちをされていた「{{title}}」に空きが出たため、参加登録が完了しました。',
      },
      reminder_24h: {
        subject: 'リマインダー：「{{title}}」の開催が近づいています',
        intro: '「{{title}}」の開始まで 24 時間を切りました。',
      },
      reminder_1h: {
        subject: 'まもなく開始：「{{title}}」',
        intro: '「{{title}}」は 1 時間以内に始まります。',
      },
    },
  },
}
