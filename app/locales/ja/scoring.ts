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
      breadthChange: { title: '利用の広がりの変化', name: '利用の広がりの変化' },
      champions: { title: 'チャンピオンの離脱', name: 'チャンピオンの離脱' },
      supportLoad: { title: 'サポート負荷', name: 'サポート負荷' },
      ticketSurge: { title: '問い合わせの急増', name: '問い合わせの急増' },
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
        none: '直近 {{days}} 日にも、その前の {{days}} 日にも活動がありません（日数は祝日・休暇期間を除いて数えます）',
        started:
          '活動が始まりました：直近 {{days}} 日に {{recent}} ポイント、その前の {{days}} 日はなし（日数は祝日・休暇期間を除いて数えます）',
        fell: '直近 {{days}} 日の活動が、その前の期間より {{percent}}% 減りました（{{previous}} → {{recent}} ポイント。日数は祝日・休暇期間を除き、各期間で最も活動の少ない週は数えません）',
        rose: '直近 {{days}} 日の活動が、その前の期間より {{percent}}% 増えました（{{previous}} → {{recent}} ポイント。日数は祝日・休暇期間を除き、各期間で最も活動の少ない週は数えません）',
        steady:
          '直近 {{days}} 日の活動は、その前の期間と同じ水準です（{{previous}} → {{recent}} ポイント。日数は祝日・休暇期間を除いて数えます）',
      },
      breadth: {
        no_seats: '利用の広がり：このアカウントにはシート数が登録されていません',
        ratio_one:
          '利用の広がり：直近 {{days}} 日（祝日・休暇期間を除く）に活動したメンバーは {{seats}} シート中 {{active}} 人（{{percent}}%）',
        ratio_other:
          '利用の広がり：直近 {{days}} 日（祝日・休暇期間を除く）に活動したメンバーは {{seats}} シート中 {{active}} 人（{{percent}}%）',
      },
      breadth_change: {
        young:
          '利用の広がりの変化：{{ago}} 日前（祝日・休暇期間を除く）と比べるには、アカウントの開始からの日数が足りません',
        few_one:
          '利用の広がりの変化：{{ago}} 日前（祝日・休暇期間を除く）に活動したメンバーは {{before}} 人です（比べるには {{min}} 人以上必要です）',
        few_other:
          '利用の広がりの変化：{{ago}} 日前（祝日・休暇期間を除く）に活動したメンバーは {{before}} 人です（比べるには {{min}} 人以上必要です）',
        fell_one:
          '利用の広がりが以前より {{percent}}% 縮みました：直近 {{days}} 日に活動したメンバーは {{now}} 人、{{ago}} 日前の同じ長さの期間は {{before}} 人（日数は祝日・休暇期間を除く）',
        fell_other:
          '利用の広がりが以前より {{percent}}% 縮みました：直近 {{days}} 日に活動したメンバーは {{now}} 人、{{ago}} 日前の同じ長さの期間は {{before}} 人（日数は祝日・休暇期間を除く）',
        rose_one:
          '利用の広がりが以前より {{percent}}% 広がりました：直近 {{days}} 日に活動したメンバーは {{now}} 人、{{ago}} 日前の同じ長さの期間は {{before}} 人（日数は祝日・休暇期間を除く）',
        rose_other:
          '利用の広がりが以前より {{percent}}% 広がりました：直近 {{days}} 日に活動したメンバーは {{now}} 人、{{ago}} 日前の同じ長さの期間は {{before}} 人（日数は祝日・休暇期間を除く）',
        steady_one:
          '利用の広がりは以前と同じ水準です：直近 {{days}} 日に活動したメンバーは {{now}} 人、{{ago}} 日前の同じ長さの期間は {{before}} 人（日数は祝日・休暇期間を除く）',
        steady_other:
          '利用の広がりは以前と同じ水準です：直近 {{days}} 日に活動したメンバーは {{now}} 人、{{ago}} 日前の同じ長さの期間は {{before}} 人（日数は祝日・休暇期間を除く）',
      },
      champions: {
        none: 'チャンピオンの離脱：直近 {{silent}} 日より前の {{baseline}} 日の貢献が少なく、誰がアカウントを支えているか判断できません（日数は祝日・休暇期間を除く）',
        all_quiet:
          'チャンピオンの離脱：直近 {{silent}} 日（祝日・休暇期間を除く）はアカウントの誰も活動していません（活動停止のルールで判定します）',
        kept_one:
          '直近 {{silent}} 日より前の {{baseline}} 日に{{account}}の貢献の {{share}}% を担った{{names}}は、今も活動しています（日数は祝日・休暇期間を除く）',
        kept_other:
          '直近 {{silent}} 日より前の {{baseline}} 日に{{account}}の貢献の {{share}}% を担った{{names}}は、今も活動しています（日数は祝日・休暇期間を除く）',
        lost_one:
          '{{names}}は、活動が止まるまでの {{baseline}} 日に{{account}}の貢献の {{share}}% を担っていましたが、ほかのメンバーが活動を続けるなか {{weeks}}活動していません（日数は祝日・休暇期間を除く）',
        lost_other:
          '{{names}}は、活動が止まるまでの {{baseline}} 日に{{account}}の貢献の {{share}}% を担っていましたが、ほかのメンバーが活動を続けるなか {{weeks}}活動していません（日数は祝日・休暇期間を除く）',
        name: '{{name}}さん',
        name_latin: '{{name}} さん',
        weeks_one: '{{count}} 週間',
        weeks_other: '{{count}} 週間',
        days_one: '{{count}} 日間',
        days_other: '{{count}} 日間',
      },
      support_load: {
        quiet: 'サポート負荷：直近 {{days}} 日に問い合わせはありませんが、活動もありません',
        none: '直近 {{days}} 日に問い合わせはありません',
        zero_median_one:
          '直近 {{days}} 日に問い合わせが {{tickets}} 件（活動したメンバー 1 人あたり {{perMember}} 件）ありました。{{tier}}のアカウントの多くは問い合わせていません',
        zero_median_other:
          '直近 {{days}} 日に問い合わせが {{tickets}} 件（活動したメンバー 1 人あたり {{perMember}} 件）ありました。{{tier}}のアカウントの多くは問い合わせていません',
        ratio_one:
          '直近 {{days}} 日に問い合わせが {{tickets}} 件、活動したメンバー 1 人あたり {{perMember}} 件で、{{tier}}の中央値 {{median}} 件の {{ratio}} 倍です',
        ratio_other:
          '直近 {{days}} 日に問い合わせが {{tickets}} 件、活動したメンバー 1 人あたり {{perMember}} 件で、{{tier}}の中央値 {{median}} 件の {{ratio}} 倍です',
      },
      ticket_surge: {
        young: '問い合わせの急増：その前の {{baseline}} 日と比べるには、アカウントの開始からの日数が足りません',
        none: '直近 {{days}} 日にも、その前の {{baseline}} 日にも問い合わせはありません',
        few_one: '直近 {{days}} 日の問い合わせは {{count}} 件で、{{min}} 件未満のため急増ではありません',
        few_other: '直近 {{days}} 日の問い合わせは {{count}} 件で、{{min}} 件未満のため急増ではありません',
        ratio_one:
          '直近 {{days}} 日の問い合わせは {{count}} 件で、その前の {{baseline}} 日のペース（活動したメンバー 1 人あたり）から見込まれる {{expected}} 件の {{ratio}} 倍です',
        ratio_other:
          '直近 {{days}} 日の問い合わせは {{count}} 件で、その前の {{baseline}} 日のペース（活動したメンバー 1 人あたり）から見込まれる {{expected}} 件の {{ratio}} 倍です',
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
        none: '直近 {{days}} 日のアンケートの回答はありません',
        nps_one:
          '直近 {{days}} 日のアンケート {{count}} 件の NPS は {{nps}}（新しい回答ほど重く数えます。推奨者 {{promoters}} 人、批判者 {{detractors}} 人）',
        nps_other:
          '直近 {{days}} 日のアンケート {{count}} 件の NPS は {{nps}}（新しい回答ほど重く数えます。推奨者 {{promoters}} 人、批判者 {{detractors}} 人）',
      },
      onboarding: {
        not_applicable: 'オンボーディングは開始から {{window}} 日以内のアカウントだけを評価します',
        too_early: 'オンボーディング：まだ活動はありません（最初の {{days}} 日間のうち残り {{left}} 日）',
        silent: 'オンボーディング：最初の {{days}} 日間に活動がありませんでした',
        due: 'オンボーディング：最初の {{window}} 日間のマイルストーン達成 {{met}} / 3（参加したメンバー {{joined}} / {{joinedNeeded}} 人、活動した日 {{activeDays}} / {{activeNeeded}} 日、初めての質問・回答・イベント出席：{{contributed}}）',
        early:
          'オンボーディングの途中：マイルストーン達成 {{met}} / 3、最初の {{window}} 日間のうち残り {{left}} 日（参加したメンバー {{joined}} / {{joinedNeeded}} 人、活動した日 {{activeDays}} / {{activeNeeded}} 日、初めての質問・回答・イベント出席：{{contributed}}）',
        yes: 'あり',
        no: 'まだなし',
      },
      silent:
        'これまで活動していたのに {{days}} 日間（祝日・休暇期間を除く）活動がありません。ほかの指標にかかわらず要注意です',
      champion_lost: '{{detail}}。ほかの指標にかかわらず要注意です',
      detractors_one:
        '直近 {{days}} 日のアンケート {{answers}}のうち {{count}} 件が批判者（0〜6）の回答です。判定は最も良くても{{level}}です',
      detractors_other:
        '直近 {{days}} 日のアンケート {{answers}}のうち {{count}} 件が批判者（0〜6）の回答です。判定は最も良くても{{level}}です',
      detractor_answers_one: '{{count}} 件',
      detractor_answers_other: '{{count}} 件',
    },
    value: {
      engagement: '{{rank}} パーセンタイル',
      trend: '{{value}}%',
      breadth: '{{value}}%',
      breadthChange: '{{value}}%',
      champions: '貢献の {{value}}% が活動停止',
      supportLoad: '活動したメンバー 1 人あたり {{value}} 件',
      ticketSurge: '通常の {{value}} 倍の問い合わせ',
      selfService: '{{value}}%',
      events: '{{value}} 回',
      sentiment: '{{value}}',
      onboarding: 'マイルストーン {{value}} / 3',
    },
    change: {
      since: '{{date}}から{{level}}',
      since_detail: '{{date}}から{{level}}：{{detail}}',
      dropped: '{{measure}}が下がりました（{{from}} → {{to}}）',
      rose: '{{measure}}が上がりました（{{from}} → {{to}}）',
      went: '{{measure}}が「{{from}}」から「{{to}}」に変わりました',
      silent: 'すべての活動が止まりました',
      champion_lost: 'アカウントを支えていたメンバーの活動が止まりました',
      detractors: 'アンケートに批判者の回答が続いています',
    },
    summary: {
      line: '{{level}}：{{items}}',
      held_one: '{{level}}（{{count}} 日間）',
      held_other: '{{level}}（{{count}} 日間）',
      pending: '{{current}}、{{level}}へ移行中（{{needed}} 日のうち {{days}} 日）',
      separator: '、',
      insufficient: '{{level}}：データの充足度が {{percent}}% です（判定には {{min}}% 以上必要です）',
      too_new_one: '{{level}}：開始から {{count}} 日のアカウントです。最初の {{days}} 日が過ぎてから判定します',
      too_new_other: '{{level}}：開始から {{count}} 日のアカウントです。最初の {{days}} 日が過ぎてから判定します',
      silent: '{{days}} 日間活動なし（祝日・休暇期間を除く）',
      champion_lost: '{{names}}の活動が停止',
      detractors_one: '最近の批判者 {{count}} 人',
      detractors_other: '最近の批判者 {{count}} 人',
      engagement: 'エンゲージメントは {{rank}} パーセンタイル',
      trend_fell: '活動が {{percent}}% 減少',
      trend_rose: '活動が {{percent}}% 増加',
      trend_steady: '活動は横ばい',
      trend_started: '活動を開始',
      breadth: '利用の広がり {{percent}}%',
      breadth_change: '利用の広がりが以前と比べて {{value}}%',
      champions: '貢献の {{percent}}% が活動停止',
      support_load: '活動したメンバー 1 人あたり {{value}} 件の問い合わせ',
      ticket_surge: '通常の {{value}} 倍の問い合わせ',
      self_service: '自己解決率 {{percent}}%',
      events_one: 'イベント出席 {{count}} 回',
      events_other: 'イベント出席 {{count}} 回',
      sentiment: 'NPS {{value}}',
      onboarding_silent: '最初の {{days}} 日間に活動なし',
      onboarding_milestones: 'オンボーディングのマイルストーン {{met}} / 3',
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
      find_new_champion: {
        title: '活動が止まったチャンピオンへの連絡と次のチャンピオンづくり',
        reason:
          'アカウントを支えていたメンバーの活動が止まりました。本人（または上長）に何が変わったかを聞き、次に活発なメンバーをコミュニティプログラムに招きましょう。',
      },
      close_the_loop: {
        title: '批判者へのフォローアップ',
        reason:
          '最近のアンケートに批判者の回答が続いています。1 週間以内に連絡して、対応できることは対応し、何を変えたかを伝えましょう。',
      },
    },
  },
}
