import type { scoring as en } from '../en/scoring.ts'
import type { Catalogue } from '../types.ts'

export const scoring: Catalogue<typeof en> = {
  scoring: {
    level: {
      GOOD: '良好',
      NORMAL: '普通',
      BAD: '要注意',
      INSUFFICIENT_DATA: 'データ不足',
    },
    tier: {
      high: 'ハイタッチ',
      low: 'ロータッチ',
      tech: 'テックタッチ',
    },
    measure: {
      engagement: { title: 'シートあたりのエンゲージメント', name: 'シートあたりのエンゲージメント' },
      trend: { title: '活動の推移', name: '活動の推移' },
      breadth: { title: '利用の広がり', name: '利用の広がり' },
      supportLoad: { title: 'サポート負荷', name: 'サポート負荷' },
      selfService: { title: '自己解決率', name: '自己解決率' },
      events: { title: 'イベント出席', name: 'イベント出席' },
      sentiment: { title: '推奨度（NPS）', name: '推奨度（NPS）' },
      onboarding: { title: 'オンボーディング', name: 'オンボーディング' },
    },
    reason: {
      engagement: {
        no_seats: 'シートあたりのエンゲージメント：このアカウントにはシート数が登録されていません',
        none: 'シートあたりのエンゲージメント：このアカウントのメンバーにはエンゲージメントのポイントがありません',
        ranked_one:
          'シートあたりのエンゲージメント：{{perSeat}} ポイントで、{{tier}}のアカウント {{peers}} 社のうち {{rank}} パーセンタイルです',
        ranked_other:
          'シートあたりのエンゲージメント：{{perSeat}} ポイントで、{{tier}}のアカウント {{peers}} 社のうち {{rank}} パーセンタイルです',
      },
      trend: {
        none: '直近 {{days}} 日にも、その前の {{days}} 日にも活動がありません',
        started: '活動が始まりました：直近 {{days}} 日に {{recent}} ポイント（その前の {{days}} 日はなし）',
        fell: '直近 {{days}} 日の活動が、その前の期間より {{percent}}% 減りました（{{previous}} → {{recent}} ポイント）',
        rose: '直近 {{days}} 日の活動が、その前の期間より {{percent}}% 増えました（{{previous}} → {{recent}} ポイント）',
        steady: '直近 {{days}} 日の活動は、その前の期間と同じ水準です（{{previous}} → {{recent}} ポイント）',
      },
      breadth: {
        no_seats: '利用の広がり：このアカウントにはシート数が登録されていません',
        ratio_one:
          '利用の広がり：直近 {{days}} 日に活動したメンバーは {{seats}} シート中 {{active}} 人（{{percent}}%）',
        ratio_other:
          '利用の広がり：直近 {{days}} 日に活動したメンバーは {{seats}} シート中 {{active}} 人（{{percent}}%）',
      },
      support_load: {
        no_seats: 'サポート負荷：このアカウントにはシート数が登録されていません',
        quiet: 'サポート負荷：直近 {{days}} 日に問い合わせはありませんが、活動もありません',
        none: '直近 {{days}} 日に問い合わせはありません',
        zero_median_one:
          '直近 {{days}} 日に問い合わせが {{tickets}} 件（シートあたり {{perSeat}} 件）ありました。{{tier}}のアカウントの多くは問い合わせていません',
        zero_median_other:
          '直近 {{days}} 日に問い合わせが {{tickets}} 件（シートあたり {{perSeat}} 件）ありました。{{tier}}のアカウントの多くは問い合わせていません',
        ratio_one:
          '直近 {{days}} 日に問い合わせが {{tickets}} 件、シートあたり {{perSeat}} 件で、{{tier}}の中央値 {{median}} 件の {{ratio}} 倍です',
        ratio_other:
          '直近 {{days}} 日に問い合わせが {{tickets}} 件、シートあたり {{perSeat}} 件で、{{tier}}の中央値 {{median}} 件の {{ratio}} 倍です',
      },
      self_service: {
        none: '自己解決率：直近 {{days}} 日に問い合わせも自己解決もありません',
        ratio:
          '自己解決率：直近 {{days}} 日の相談 {{total}} 件のうち {{deflections}} 件が問い合わせなしで解決しました（{{percent}}%）',
      },
      events: {
        none: '直近 {{days}} 日にイベントに出席したメンバーはいません',
        attended_one: '直近 {{days}} 日にメンバーがイベントに延べ {{count}} 回出席しました',
        attended_other: '直近 {{days}} 日にメンバーがイベントに延べ {{count}} 回出席しました',
      },
      sentiment: {
        none: '直近 {{days}} 日のイベントアンケートの回答はありません',
        few_one: '直近 {{days}} 日のイベントアンケートの回答は {{count}} 件だけです（NPS には {{min}} 件以上必要です）',
        few_other:
          '直近 {{days}} 日のイベントアンケートの回答は {{count}} 件だけです（NPS には {{min}} 件以上必要です）',
        nps_one:
          '直近 {{days}} 日のイベントアンケート {{count}} 件の NPS は {{nps}}（推奨者 {{promoters}} 人、批判者 {{detractors}} 人）',
        nps_other:
          '直近 {{days}} 日のイベントアンケート {{count}} 件の NPS は {{nps}}（推奨者 {{promoters}} 人、批判者 {{detractors}} 人）',
      },
      onboarding: {
        not_applicable: 'オンボーディングは開始から {{window}} 日以内のアカウントだけを評価します',
        too_early: 'オンボーディング：まだ活動はありません（最初の {{days}} 日間のうち残り {{left}} 日）',
        active_one: 'オンボーディング：最初の {{days}} 日間に {{count}} 件の活動がありました',
        active_other: 'オンボーディング：最初の {{days}} 日間に {{count}} 件の活動がありました',
        silent: 'オンボーディング：最初の {{days}} 日間に活動がありませんでした',
      },
      silent: 'これまで活動していたのに {{days}} 日間活動がありません。ほかの指標にかかわらず要注意です',
    },
    value: {
      engagement: '{{rank}} パーセンタイル',
      trend: '{{value}}%',
      breadth: '{{value}}%',
      supportLoad: '1 シートあたり {{value}} 件',
      selfService: '{{value}}%',
      events: '{{value}} 回',
      sentiment: '{{value}}',
      onboarding: '{{value}} 件',
    },
    change: {
      since: '{{date}}から{{level}}',
      since_detail: '{{date}}から{{level}}：{{detail}}',
      dropped: '{{measure}}が下がりました（{{from}} → {{to}}）',
      rose: '{{measure}}が上がりました（{{from}} → {{to}}）',
      went: '{{measure}}が「{{from}}」から「{{to}}」に変わりました',
      silent: 'すべての活動が止まりました',
    },
    summary: {
      line: '{{level}}：{{items}}',
      separator: '、',
      insufficient: '{{level}}：データの充足度が {{percent}}% です（判定には {{min}}% 以上必要です）',
      too_new_one: '{{level}}：開始から {{count}} 日のアカウントです。最初の {{days}} 日が過ぎてから判定します',
      too_new_other: '{{level}}：開始から {{count}} 日のアカウントです。最初の {{days}} 日が過ぎてから判定します',
      silent: '{{days}} 日間活動なし',
      engagement: 'エンゲージメントは {{rank}} パーセンタイル',
      trend_fell: '活動が {{percent}}% 減少',
      trend_rose: '活動が {{percent}}% 増加',
      trend_steady: '活動は横ばい',
      trend_started: '活動を開始',
      breadth: '利用の広がり {{percent}}%',
      support_load: 'シートあたり {{value}} 件の問い合わせ',
      self_service: '自己解決率 {{percent}}%',
      events_one: 'イベント出席 {{count}} 回',
      events_other: 'イベント出席 {{count}} 回',
      sentiment: 'NPS {{value}}',
      onboarding_silent: '最初の {{days}} 日間に活動なし',
      onboarding_active: '最初の {{days}} 日間に活動あり',
    },
    play: {
      with_note: '{{reason}}{{note}}',
      champion_note_one: 'メンバーにチャンピオンが {{count}} 人います。まずその人に声をかけましょう。',
      champion_note_other: 'メンバーにチャンピオンが {{count}} 人います。まずその人たちに声をかけましょう。',
      csm_call: {
        title: 'CSM による個別のミーティング',
        reason:
          'ヘルススコアが「要注意」のハイタッチ顧客です。CSM が個別のミーティングを設定し、うまくいっていない点を聞き取りましょう。',
      },
      workshop_invite: {
        title: '次回のワークショップに招待',
        reason:
          'ヘルススコアが「要注意」のロータッチ顧客です。次回のワークショップにメンバーを招待し、利用を立て直すきっかけにしましょう。',
      },
      send_searched_articles: {
        title: '検索されたヘルプ記事を送る',
        reason: 'ヘルススコアが「要注意」のテックタッチ顧客です。メンバーが検索したヘルプ記事を送りましょう。',
      },
      csm_review: {
        title: 'CSM との活用状況レビュー',
        reason:
          'ヘルススコアが「普通」のハイタッチ顧客です。状況が悪化する前に、CSM が目標と利用状況を一緒に確認しましょう。',
      },
      office_hours_invite: {
        title: 'オフィスアワーに招待',
        reason:
          'ヘルススコアが「普通」のロータッチ顧客です。あまり使われていない機能を扱うオフィスアワーやウェビナーにメンバーを招待しましょう。',
      },
      tips_email: {
        title: '利用状況に合わせたヒントを送る',
        reason:
          'ヘルススコアが「普通」のテックタッチ顧客です。メンバーの使い方に合ったヒントやコミュニティの回答を送りましょう。',
      },
      case_study: {
        title: '導入事例や紹介を依頼',
        reason_one:
          'ヘルススコアは良好で、メンバーにチャンピオンが {{count}} 人います。導入事例の作成や紹介をお願いしましょう。',
        reason_other:
          'ヘルススコアは良好で、メンバーにチャンピオンが {{count}} 人います。導入事例の作成や紹介をお願いしましょう。',
      },
      grow_champions: {
        title: 'チャンピオンを育てる',
        reason:
          'ヘルススコアは良好ですが、まだチャンピオンがいません。最も活発なメンバーにコミュニティでの回答を呼びかけましょう。',
      },
      onboarding_check_in: {
        title: 'オンボーディングの確認',
        reason:
          'ヘルススコアを判定するにはデータが足りません。オンボーディングの進み具合とメンバーの利用開始の状況を確認しましょう。',
      },
    },
  },
}
