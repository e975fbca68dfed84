import type { support as en } from '../en/support.ts'
import type { Catalogue } from '../types.ts'

export const support: Catalogue<typeof en> = {
  support: {
    errors: {
      attempt_invalid:
        'このフォームの有効期限が切れました。ページを再読み込みしてもう一度お試しください。入力した内容は残っています。',
      suggestion_invalid: 'その候補が見つかりませんでした。',
      suggestion_gone: 'その記事または質問は現在表示できません。',
      already_filed: 'このお問い合わせはすでにサポートチームに送信されています。',
      too_many_tickets_one:
        '直近 1 時間に多くのお問い合わせをいただいたため、一時的に送信をお受けできません。{{count}} 分後から再びお送りいただけます。',
      too_many_tickets_other:
        '直近 1 時間に多くのお問い合わせをいただいたため、一時的に送信をお受けできません。{{count}} 分後から再びお送りいただけます。',
      too_fast: '短時間に検索が続いたため、候補を表示できませんでした。少し時間をおいてからもう一度お試しください。',
      actions_too_fast_one:
        '短時間に多くの候補が開かれたため、一時的にご利用いただけません。{{count}} 分後にもう一度お試しください。',
      actions_too_fast_other:
        '短時間に多くの候補が開かれたため、一時的にご利用いただけません。{{count}} 分後にもう一度お試しください。',
      suggestion_not_offered:
        'その候補はこのお問い合わせでは表示されていません。ページを再読み込みしてもう一度お試しください。',
      ticket_not_found: 'このお問い合わせは見つからないか、表示する権限がありません。',
    },
    validation: {
      subject_required: '件名を入力してください。',
      subject_too_short: '件名は 5 文字以上で入力してください。',
      subject_too_long: '件名は 150 文字以内で入力してください。',
      description_required: 'お問い合わせ内容を入力してください。',
      description_too_short: 'もう少し詳しくお書きください（20 文字以上）。',
      description_too_long: 'お問い合わせ内容は 10,000 文字以内で入力してください。',
      area_required: '製品分野を選んでください。',
      urgency_required: '緊急度を選んでください。',
    },
    suggestions: {
      heading: 'こちらで解決するかもしれません',
      count: '候補 {{count}} 件',
      count_one: '候補 {{count}} 件',
      count_other: '候補 {{count}} 件',
      kind: {
        article: 'ヘルプ記事',
        question: '回答済みの質問',
      },
      accepted: 'ベストアンサーあり',
      answer: '回答',
      open_new_tab: '新しいタブで開く',
      solved: 'これで解決しました',
    },
    new: {
      title: 'サポートへのお問い合わせ',
      lead: 'お困りの内容をお知らせください。件名を入力すると、解決につながるヘルプ記事や回答済みの質問を表示します。',
      subject_hint: '短い要約（例：「利用状況レポートをエクスポートできない」）',
      description_hint:
        '試したこと、起きたこと、期待していた結果を教えてください（{{max}} 文字まで）。パスワードは書かないでください。',
      confirm_notice:
        '送信の前に、下の記事や回答で解決しないかご確認ください。開いてお読みいただき、どれも役に立たない場合は「このまま送信」を押してください。',
      send: 'お問い合わせを送信',
      send_anyway: 'このまま送信',
    },
    fields: {
      subject: '件名',
      product_area: '製品分野',
      choose: '選択してください',
      urgency: '緊急度',
      description: 'お問い合わせ内容',
      status: 'ステータス',
      requester: '依頼者',
      account: 'アカウント',
      created: '送信日時',
      updated: '最終更新日時',
      external_id: 'ヘルプデスクの管理番号',
      source: '受付経路',
    },
    area: {
      account: 'アカウントとログイン',
      billing: '料金と請求書',
      integrations: '連携と API',
      reporting: 'レポートとエクスポート',
      permissions: 'ユーザーと権限',
      other: 'その他',
    },
    urgency: {
      low: '低：質問のみ、急ぎません',
      normal: '普通',
      high: '高：業務に支障が出ています',
      urgent: '緊急：業務が止まっています',
    },
    status: {
      open: '対応中',
      pending: 'お客様の返信待ち',
      solved: '解決済み',
      closed: '終了',
    },
    status_staff: {
      open: '対応中',
      pending: 'お客様の返信待ち',
      solved: '解決済み',
      closed: '終了',
    },
    email: {
      received: {
        subject: 'お問い合わせ #{{id}} を受け付けました：{{subject}}',
        intro:
          'お問い合わせ #{{id}}「{{subject}}」を受け付けました。サポートチームからメールでご連絡いたします。対応状況はお問い合わせのページでご確認いただけます。',
      },
      updated: {
        subject: 'お問い合わせ #{{id}} のステータス：{{status}}',
        intro:
          'サポートチームがお問い合わせ #{{id}}「{{subject}}」を更新しました。現在のステータスは「{{status}}」です。',
      },
    },
    source: {
      portal: '問い合わせフォーム',
      import: '取り込み',
    },
    tickets: {
      title: 'お問い合わせ履歴',
      all_title: 'すべての問い合わせ',
      views: '表示する問い合わせ',
      mine: '自分の問い合わせ',
      everyone: '全員の問い合わせ',
      none: 'まだお問い合わせはありません。',
      none_all: 'まだ問い合わせはありません。',
      caption: 'お問い合わせ {{count}} 件',
      caption_one: 'お問い合わせ {{count}} 件',
      caption_other: 'お問い合わせ {{count}} 件',
      imported: '取り込み',
    },
    ticket: {
      title: 'お問い合わせ',
      back: '← お問い合わせ一覧',
      sent: 'お問い合わせ #{{id}} をサポートチームに送信しました。返信はメールでお送りします。状況はこのページで確認できます。',
      suggested: '送信前に表示された候補',
      opened: '閲覧済み',
      marked_solved: '「これで解決しました」と回答',
    },
    solved: {
      title: 'お役に立ててよかったです',
      body: '解決したことを記録しました。お問い合わせは送信されていません。お知らせいただきありがとうございます。',
      help: 'ヘルプセンターを見る',
      new_request: '新しくお問い合わせする',
    },
    cta: {
      still_stuck: '解決しない場合は',
    },
    home: {
      lead: 'ヘルプセンターやコミュニティで答えを探すか、サポートチームにお問い合わせください。',
      help: 'ヘルプセンターを見る',
      recent: '最近のお問い合わせ',
      all_tickets: 'お問い合わせをすべて見る',
      staff: 'サポートチーム向け',
      insights: 'サポートの分析と自己解決の指標',
      deliveries: 'ヘルプデスクへの配信ログ',
      import: 'CSV から問い合わせを取り込む',
      settings: 'サポートの設定',
    },
  },
}
