import { expect, test } from 'vitest'
import { translator } from '#app/lib/i18n.ts'
import { scoring as catalogue } from '#app/locales/en/scoring.ts'
import { answeredToday, pinnedSettings } from '#tests/scoring-model.ts'
import {
  type AccountHealthInput,
  breadthBand,
  breadthChangeBand,
  championsBand,
  engagementBand,
  eventsBand,
  type HealthContext,
  hardRiskOf,
  measureOutcomes,
  type NpsAnswer,
  onboardingBand,
  selfServiceBand,
  sentimentBand,
  supportLoadBand,
  ticketSurgeBand,
  trendBand,
} from './health.ts'
import type { HardRisk, MeasureOutcome } from './measures.ts'
import {
  type ComponentSnapshot,
  describeChange,
  formatDay,
  formatNumber,
  hardRiskReason,
  measureReason,
  ordinal,
  scoringTranslator,
  summaryLine,
} from './reasons.ts'
import type { HealthBand, HealthLevel, HealthMeasure } from './settings.ts'

const settings = pinnedSettings

const ctx: HealthContext = {
  engagementPerSeat: { high: [1.25, 2.5, 10], low: [], tech: [0] },
  ticketsPerMemberMedian: { high: 0.6, low: null, tech: 0 },
}

test('reasons are written with exactly the text translator() gives for every scoring key', () => {
  const flatten = (node: unknown, prefix: string): [string, string][] =>
    typeof node === 'string'
      ? [[prefix, node]]
      : Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => flatten(value, `${prefix}.${key}`))
  const keys = new Map<string, string[]>()
  for (const [key, text] of flatten(catalogue.scoring, 'scoring')) {
    const base = key.replace(/_(one|other)$/, '')
    const names = [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]!)
    keys.set(base, [...new Set([...(keys.get(base) ?? []), ...names])])
  }
  expect(keys.size).toBeGreaterThan(80)
  for (const locale of ['en', 'ja'] as const) {
    const fast = scoringTranslator(locale)
    const reference = translator(locale)
    for (const [key, names] of keys) {
      const params = Object.fromEntries(names.map((name) => [name, `<${name}>`]))
      expect(fast(key), key).toBe(reference(key))
      expect(fast(key, params), key).toBe(reference(key, params))
      for (const count of [0, 1, 2, 1200]) {
        expect(fast(key, { ...params, count }), `${key} ${count}`).toBe(reference(key, { ...params, count }))
      }
    }
  }
  expect(scoringTranslator('en')('scoring.reason.events.attended', { count: 1, days: '90' })).toBe(
    "1 event attendance by the account's members in the last 90 days",
  )
})

test('ordinals, days and numbers are written the way each language writes them', () => {
  expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 62, 100, 101].map((n) => ordinal(n, 'en'))).toEqual([
    '1st',
    '2nd',
    '3rd',
    '4th',
    '11th',
    '12th',
    '13th',
    '21st',
    '22nd',
    '23rd',
    '62nd',
    '100th',
    '101st',
  ])
  expect(ordinal(62, 'ja')).toBe('62')
  expect(formatDay('2026-11-12', 'en')).toBe('12 Nov')
  expect(formatDay('2026-11-12', 'ja')).toBe('11月12日')
  expect(formatDay('2025-01-03', 'en', true)).toBe('3 Jan 2025')
  expect(formatDay('2025-01-03', 'ja', true)).toBe('2025年1月3日')
  expect(formatNumber(1234.56, 'en', 1)).toBe('1,234.6')
  expect(formatNumber(-45, 'en', 0, true)).toBe('-45')
  expect(formatNumber(5, 'ja', 0, true)).toBe('+5')
  expect(formatNumber(0, 'en', 0, true)).toBe('0')
  // Small whole numbers skip Intl, and come out as Intl would write them.
  for (const value of [-999, -67, 0, 7, 999, 1000]) {
    expect(formatNumber(value, 'en')).toBe(new Intl.NumberFormat('en-US').format(value))
    expect(formatNumber(value, 'ja')).toBe(new Intl.NumberFormat('ja-JP').format(value))
  }
})

test('engagement reasons quote points per seat and the percentile among the tier', () => {
  expect(
    measureReason({
      measure: 'engagement',
      ...engagementBand({ tier: 'high', seats: 40, engagementPoints: 100 }, ctx, settings),
    }),
  ).toEqual({
    en: 'Engagement per seat: 2.5 points, the 50th percentile among 3 high-touch accounts',
    ja: 'シートあたりのエンゲージメント：2.5 ポイントで、ハイタッチのアカウント 3 社のうち 50 パーセンタイルです',
  })
  expect(
    measureReason({
      measure: 'engagement',
      ...engagementBand({ tier: 'tech', seats: 5, engagementPoints: 0 }, ctx, settings),
    }),
  ).toEqual({
    en: 'Engagement per seat: no member of the account has engagement points',
    ja: 'シートあたりのエンゲージメント：このアカウントのメンバーにはエンゲージメントのポイントがありません',
  })
  expect(
    measureReason({
      measure: 'engagement',
      ...engagementBand({ tier: 'high', seats: null, engagementPoints: 9 }, ctx, settings),
    }).en,
  ).toBe('Engagement per seat: the account has no seat count')
  // The only account of its tier: the middle, among one.
  const alone: HealthContext = { ...ctx, engagementPerSeat: { high: [], low: [4], tech: [0] } }
  expect(
    measureReason({
      measure: 'engagement',
      ...engagementBand({ tier: 'low', seats: 2, engagementPoints: 8 }, alone, settings),
    }).en,
  ).toBe('Engagement per seat: 4 points, the 50th percentile among 1 low-touch account')
  // 2 is the count that picks the English ordinal form "two": the rank must not be taken for i18next's
  // ordinal option.
  const two: HealthContext = { ...ctx, engagementPerSeat: { high: [], low: [1, 4], tech: [0] } }
  expect(
    measureReason({
      measure: 'engagement',
      ...engagementBand({ tier: 'low', seats: 2, engagementPoints: 8 }, two, settings),
    }).en,
  ).toBe('Engagement per seat: 4 points, the 75th percentile among 2 low-touch accounts')
})

test("trend reasons say holidays and each span's quietest week are not counted", () => {
  // Four weeks each way, the quietest (0) left out of both.
  const reason = (previous: number, recent: number) =>
    measureReason({ measure: 'trend', ...trendBand({ activityWeeks: [recent, 0, 0, 0, previous, 0, 0, 0] }, settings) })
  expect(reason(20, 11)).toEqual({
    en: "Activity fell 45% against the previous 28 days (20 → 11 points; holidays and each span's quietest week not counted)",
    ja: '直近 28 日の活動が、その前の期間より 45% 減りました（20 → 11 ポイント。日数は祝日・休暇期間を除き、各期間で最も活動の少ない週は数えません）',
  })
  expect(reason(12.5, 15)).toEqual({
    en: "Activity rose 20% against the previous 28 days (12.5 → 15 points; holidays and each span's quietest week not counted)",
    ja: '直近 28 日の活動が、その前の期間より 20% 増えました（12.5 → 15 ポイント。日数は祝日・休暇期間を除き、各期間で最も活動の少ない週は数えません）',
  })
  expect(reason(20, 20)).toEqual({
    en: 'Activity held steady against the previous 28 days (20 → 20 points; holidays not counted)',
    ja: '直近 28 日の活動は、その前の期間と同じ水準です（20 → 20 ポイント。日数は祝日・休暇期間を除いて数えます）',
  })
  expect(reason(0, 4.2)).toEqual({
    en: 'Activity started: 4.2 points in the last 28 days, none in the 28 before (holidays not counted)',
    ja: '活動が始まりました：直近 28 日に 4.2 ポイント、その前の 28 日はなし（日数は祝日・休暇期間を除いて数えます）',
  })
  expect(reason(0, 0)).toEqual({
    en: 'No activity in the last 28 days or the 28 before (holidays not counted)',
    ja: '直近 28 日にも、その前の 28 日にも活動がありません（日数は祝日・休暇期間を除いて数えます）',
  })
  // The points quoted are those compared: the quiet week is not in them.
  const quietWeek = trendBand({ activityWeeks: [10, 0, 10, 10, 10, 10, 10, 10] }, settings)
  expect(measureReason({ measure: 'trend', ...quietWeek }).en).toBe(
    'Activity held steady against the previous 28 days (30 → 30 points; holidays not counted)',
  )
})

test('breadth reasons count active members against seats, holidays not counted', () => {
  const reason = (activeMembers: number, seats: number | null) =>
    measureReason({ measure: 'breadth', ...breadthBand({ activeMembers, seats }, settings) })
  expect(reason(9, 40)).toEqual({
    en: 'Breadth: 9 of 40 seats active in the last 28 days, holidays not counted (23%)',
    ja: '利用の広がり：直近 28 日（祝日・休暇期間を除く）に活動したメンバーは 40 シート中 9 人（23%）',
  })
  expect(reason(1, 1).en).toBe('Breadth: 1 of 1 seat active in the last 28 days, holidays not counted (100%)')
  expect(reason(1, 1200).en).toBe('Breadth: 1 of 1,200 seats active in the last 28 days, holidays not counted (0%)')
  expect(reason(3, 0)).toEqual({
    en: 'Breadth: the account has no seat count',
    ja: '利用の広がり：このアカウントにはシート数が登録されていません',
  })
})

test('breadth-change reasons compare the members active now with those active 60 days earlier', () => {
  const reason = (activeMembersBefore: number, activeMembers: number, ageDays = 400) =>
    measureReason({
      measure: 'breadthChange',
      ...breadthChangeBand({ ageDays, activeMembers, activeMembersBefore }, settings),
    })
  expect(reason(12, 9)).toEqual({
    en: 'Breadth fell 25% against its own past: 9 members active in the last 28 days, 12 in as many days 60 days earlier (holidays not counted)',
    ja: '利用の広がりが以前より 25% 縮みました：直近 28 日に活動したメンバーは 9 人、60 日前の同じ長さの期間は 12 人（日数は祝日・休暇期間を除く）',
  })
  expect(reason(3, 6)).toEqual({
    en: 'Breadth rose 100% against its own past: 6 members active in the last 28 days, 3 in as many days 60 days earlier (holidays not counted)',
    ja: '利用の広がりが以前より 100% 広がりました：直近 28 日に活動したメンバーは 6 人、60 日前の同じ長さの期間は 3 人（日数は祝日・休暇期間を除く）',
  })
  expect(reason(10, 10)).toEqual({
    en: 'Breadth held against its own past: 10 members active in the last 28 days, 10 in as many days 60 days earlier (holidays not counted)',
    ja: '利用の広がりは以前と同じ水準です：直近 28 日に活動したメンバーは 10 人、60 日前の同じ長さの期間は 10 人（日数は祝日・休暇期間を除く）',
  })
  expect(reason(10, 10, 87)).toEqual({
    en: 'Breadth against its own past: the account is too young to compare with 60 days ago (holidays not counted)',
    ja: '利用の広がりの変化：60 日前（祝日・休暇期間を除く）と比べるには、アカウントの開始からの日数が足りません',
  })
  expect(reason(1, 5)).toEqual({
    en: 'Breadth against its own past: 1 member was active 60 days ago (holidays not counted); 3 are needed to compare',
    ja: '利用の広がりの変化：60 日前（祝日・休暇期間を除く）に活動したメンバーは 1 人です（比べるには 3 人以上必要です）',
  })
  expect(reason(2, 5).en).toBe(
    'Breadth against its own past: 2 members were active 60 days ago (holidays not counted); 3 are needed to compare',
  )
})

test('breadth-change reasons agree in number with the members active now', () => {
  // One member left of three.
  expect(
    measureReason({
      measure: 'breadthChange',
      ...breadthChangeBand({ ageDays: 400, activeMembers: 1, activeMembersBefore: 3 }, settings),
    }).en,
  ).toBe(
    'Breadth fell 67% against its own past: 1 member active in the last 28 days, 3 in as many days 60 days earlier (holidays not counted)',
  )
})

/** The champions measure of an account, with some key contributors out of 100 contribution points. */
function champions(
  keyContributors: AccountHealthInput['keyContributors'],
  { accountName = 'Acme', contributionPoints = 100, othersActive = true, scoring = settings } = {},
): MeasureOutcome {
  return {
    measure: 'champions',
    ...championsBand({ accountName, contributionPoints, keyContributors, othersActive }, scoring),
  }
}

test('an English account name ending in s takes the possessive without another s', () => {
  const lost = champions([{ name: 'Tara', points: 60, silentDays: 30 }], { accountName: 'Cobalt Labs' })
  expect(measureReason(lost).en).toBe(
    "Tara, who gave 60% of Cobalt Labs' contributions in the 90 days before, has been silent for 4 weeks while others stay active (holidays not counted)",
  )
  expect(measureReason(lost).ja).toContain('Cobalt Labs の貢献の 60%')
})

test('champion-loss reasons name the silent members, their share and how long they have been silent', () => {
  const aikoAndKen = champions([
    { name: 'Aiko', points: 40, silentDays: 30 },
    { name: 'Ken', points: 30, silentDays: 29 },
  ])
  expect(measureReason(aikoAndKen)).toEqual({
    en: "Aiko and Ken, who gave 70% of Acme's contributions in the 90 days before, have been silent for 4 weeks while others stay active (holidays not counted)",
    ja: 'Aiko さん、Ken さんは、活動が止まるまでの 90 日に Acme の貢献の 70% を担っていましたが、ほかのメンバーが活動を続けるなか 4 週間活動していません（日数は祝日・休暇期間を除く）',
  })
  // One member; the weeks are whole weeks of the shortest silence among those named.
  expect(measureReason(champions([{ name: 'Aiko', points: 60, silentDays: 41 }]))).toEqual({
    en: "Aiko, who gave 60% of Acme's contributions in the 90 days before, has been silent for 5 weeks while others stay active (holidays not counted)",
    ja: 'Aiko さんは、活動が止まるまでの 90 日に Acme の貢献の 60% を担っていましたが、ほかのメンバーが活動を続けるなか 5 週間活動していません（日数は祝日・休暇期間を除く）',
  })
  const week = {
    ...settings,
    health: { ...settings.health, champions: { ...settings.health.champions, silentDays: 7 } },
  }
  // Under two weeks, the silence is given in days; from 14 days, in whole weeks again.
  expect(measureReason(champions([{ name: 'Aiko', points: 60, silentDays: 10 }], { scoring: week }))).toEqual({
    en: "Aiko, who gave 60% of Acme's contributions in the 90 days before, has been silent for 10 days while others stay active (holidays not counted)",
    ja: 'Aiko さんは、活動が止まるまでの 90 日に Acme の貢献の 60% を担っていましたが、ほかのメンバーが活動を続けるなか 10 日間活動していません（日数は祝日・休暇期間を除く）',
  })
  expect(measureReason(champions([{ name: 'Aiko', points: 60, silentDays: 13 }], { scoring: week })).en).toBe(
    "Aiko, who gave 60% of Acme's contributions in the 90 days before, has been silent for 13 days while others stay active (holidays not counted)",
  )
  expect(measureReason(champions([{ name: 'Aiko', points: 60, silentDays: 14 }], { scoring: week })).en).toBe(
    "Aiko, who gave 60% of Acme's contributions in the 90 days before, has been silent for 2 weeks while others stay active (holidays not counted)",
  )
  // Three names: a list in each language's way. Only the silent ones are named.
  expect(
    measureReason(
      champions([
        { name: 'Aiko', points: 30, silentDays: 30 },
        { name: 'Ken', points: 26, silentDays: 30 },
        { name: 'Mei', points: 25, silentDays: 28 },
        { name: 'Sam', points: 19, silentDays: 2 },
      ]),
    ),
  ).toEqual({
    en: "Aiko, Ken, and Mei, who gave 81% of Acme's contributions in the 90 days before, have been silent for 4 weeks while others stay active (holidays not counted)",
    ja: 'Aiko さん、Ken さん、Mei さんは、活動が止まるまでの 90 日に Acme の貢献の 81% を担っていましたが、ほかのメンバーが活動を続けるなか 4 週間活動していません（日数は祝日・休暇期間を除く）',
  })
})

test('champion-loss reasons in Japanese: さん after each name, with a space only next to Latin letters', () => {
  // A Japanese name takes さん directly and no space after the Japanese before it.
  expect(measureReason(champions([{ name: '佐藤', points: 60, silentDays: 30 }])).ja).toBe(
    '佐藤さんは、活動が止まるまでの 90 日に Acme の貢献の 60% を担っていましたが、ほかのメンバーが活動を続けるなか 4 週間活動していません（日数は祝日・休暇期間を除く）',
  )
  expect(
    measureReason(
      champions([
        { name: '佐藤', points: 40, silentDays: 30 },
        { name: 'Ken', points: 30, silentDays: 30 },
      ]),
    ).ja,
  ).toBe(
    '佐藤さん、Ken さんは、活動が止まるまでの 90 日に Acme の貢献の 70% を担っていましたが、ほかのメンバーが活動を続けるなか 4 週間活動していません（日数は祝日・休暇期間を除く）',
  )
  // A Japanese account name sits in the sentence without spaces.
  expect(
    measureReason(champions([{ name: '佐藤', points: 60, silentDays: 30 }], { accountName: 'アクメ株式会社' })).ja,
  ).toBe(
    '佐藤さんは、活動が止まるまでの 90 日にアクメ株式会社の貢献の 60% を担っていましたが、ほかのメンバーが活動を続けるなか 4 週間活動していません（日数は祝日・休暇期間を除く）',
  )
})

test('champion-loss reasons when the key members are still active, or nobody can be told', () => {
  expect(measureReason(champions([{ name: 'Aiko', points: 40, silentDays: 3 }]))).toEqual({
    en: "Aiko, who gave 40% of Acme's contributions in the 90 days before the last 28, is still active (holidays not counted)",
    ja: '直近 28 日より前の 90 日に Acme の貢献の 40% を担った Aiko さんは、今も活動しています（日数は祝日・休暇期間を除く）',
  })
  expect(
    measureReason(
      champions([
        { name: 'Aiko', points: 40, silentDays: 3 },
        { name: 'Ken', points: 30, silentDays: 27 },
      ]),
    ).en,
  ).toBe(
    "Aiko and Ken, who gave 70% of Acme's contributions in the 90 days before the last 28, are still active (holidays not counted)",
  )
  expect(measureReason(champions([], { contributionPoints: 10 }))).toEqual({
    en: 'Champion loss: too few contributions in the 90 days before the last 28 to tell who carries the account (holidays not counted)',
    ja: 'チャンピオンの離脱：直近 28 日より前の 90 日の貢献が少なく、誰がアカウントを支えているか判断できません（日数は祝日・休暇期間を除く）',
  })
  expect(measureReason(champions([{ name: 'Aiko', points: 40, silentDays: 30 }], { othersActive: false }))).toEqual({
    en: 'Champion loss: nobody in the account has been active in the last 28 days, holidays not counted (the silence rule judges that)',
    ja: 'チャンピオンの離脱：直近 28 日（祝日・休暇期間を除く）はアカウントの誰も活動していません（活動停止のルールで判定します）',
  })
})

test('support load reasons compare tickets per active member with the tier median', () => {
  const reason = (tier: 'high' | 'tech', tickets: number, supportMembers = 4) =>
    measureReason({
      measure: 'supportLoad',
      ...supportLoadBand({ tier, tickets, supportMembers, daysSinceLastActivity: 1 }, ctx, settings),
    })
  // 6 / 4 = 1.5 per active member; 1.5 / 0.6 = 2.5×
  expect(reason('high', 6)).toEqual({
    en: '6 tickets in the last 90 days, 1.5 per active member: 2.5× the high-touch median of 0.6',
    ja: '直近 90 日に問い合わせが 6 件、活動したメンバー 1 人あたり 1.5 件で、ハイタッチの中央値 0.6 件の 2.5 倍です',
  })
  expect(reason('high', 1, 3).en).toBe(
    '1 ticket in the last 90 days, 0.33 per active member: 0.56× the high-touch median of 0.6',
  )
  expect(reason('tech', 1, 3)).toEqual({
    en: '1 ticket in the last 90 days (0.33 per active member), while most tech-touch accounts filed none',
    ja: '直近 90 日に問い合わせが 1 件（活動したメンバー 1 人あたり 0.33 件）ありました。テックタッチのアカウントの多くは問い合わせていません',
  })
  expect(reason('high', 0)).toEqual({
    en: 'No tickets filed in the last 90 days',
    ja: '直近 90 日に問い合わせはありません',
  })
  expect(reason('high', 0, 0)).toEqual({
    en: 'Support load: no tickets, but no activity either in the last 90 days',
    ja: 'サポート負荷：直近 90 日に問い合わせはありませんが、活動もありません',
  })
})

test('ticket-surge reasons compare recent tickets with those expected from the baseline', () => {
  const reason = (
    surgeTickets: number,
    surgeBaselineTickets: number,
    { surgeMembers = 5, surgeBaselineMembers = 5, ageDays = 400 } = {},
  ) =>
    measureReason({
      measure: 'ticketSurge',
      ...ticketSurgeBand({ ageDays, surgeTickets, surgeBaselineTickets, surgeMembers, surgeBaselineMembers }, settings),
    })
  expect(reason(40, 30)).toEqual({
    en: '40 tickets in the last 30 days against 10 expected at the rate of the 90 days before, per active member (4×)',
    ja: '直近 30 日の問い合わせは 40 件で、その前の 90 日のペース（活動したメンバー 1 人あたり）から見込まれる 10 件の 4 倍です',
  })
  // Fewer members now: fewer tickets expected, with a decimal.
  expect(reason(10, 20, { surgeMembers: 2 }).en).toBe(
    '10 tickets in the last 30 days against 2.7 expected at the rate of the 90 days before, per active member (3.75×)',
  )
  expect(reason(3, 0)).toEqual({
    en: '3 tickets in the last 30 days: fewer than 4, no surge',
    ja: '直近 30 日の問い合わせは 3 件で、4 件未満のため急増ではありません',
  })
  expect(reason(1, 0).en).toBe('1 ticket in the last 30 days: fewer than 4, no surge')
  expect(reason(0, 0)).toEqual({
    en: 'No tickets in the last 30 days or the 90 days before',
    ja: '直近 30 日にも、その前の 90 日にも問い合わせはありません',
  })
  expect(reason(20, 1, { ageDays: 74 })).toEqual({
    en: 'Ticket surge: the account is too young to compare with its previous 90 days',
    ja: '問い合わせの急増：その前の 90 日と比べるには、アカウントの開始からの日数が足りません',
  })
})

test('self-service, events and sentiment reasons, with and without data', () => {
  expect(
    measureReason({ measure: 'selfService', ...selfServiceBand({ deflections: 2, tickets: 6 }, settings) }),
  ).toEqual({
    en: 'Deflection rate: 2 of 8 requests for help solved without a ticket in the last 90 days (25%)',
    ja: '自己解決率：直近 90 日の相談 8 件のうち 2 件が問い合わせなしで解決しました（25%）',
  })
  expect(
    measureReason({ measure: 'selfService', ...selfServiceBand({ deflections: 0, tickets: 0 }, settings) }).en,
  ).toBe('Deflection rate: no tickets or deflections in the last 90 days')
  const events = (eventsAttended: number) =>
    measureReason({ measure: 'events', ...eventsBand({ eventsAttended }, settings) })
  expect(events(0)).toEqual({
    en: 'No member attended an event in the last 90 days',
    ja: '直近 90 日にイベントに出席したメンバーはいません',
  })
  expect(events(1).en).toBe("1 event attendance by the account's members in the last 90 days")
  expect(events(4)).toEqual({
    en: "4 event attendances by the account's members in the last 90 days",
    ja: '直近 90 日にメンバーがイベントに延べ 4 回出席しました',
  })
  const sentiment = (npsAnswers: NpsAnswer[]) =>
    measureReason({ measure: 'sentiment', ...sentimentBand({ npsAnswers }, settings) })
  expect(sentiment([])).toEqual({
    en: 'No survey answers in the last 180 days',
    ja: '直近 180 日のアンケートの回答はありません',
  })
  expect(sentiment(answeredToday(9))).toEqual({
    en: 'NPS 100 from 1 survey answer in the last 180 days, recent answers weighing more (promoters: 1, detractors: 0)',
    ja: '直近 180 日のアンケート 1 件の NPS は 100（新しい回答ほど重く数えます。推奨者 1 人、批判者 0 人）',
  })
  expect(sentiment(answeredToday(10, 9, 5, 8))).toEqual({
    en: 'NPS 25 from 4 survey answers in the last 180 days, recent answers weighing more (promoters: 2, detractors: 1)',
    ja: '直近 180 日のアンケート 4 件の NPS は 25（新しい回答ほど重く数えます。推奨者 2 人、批判者 1 人）',
  })
  // The NPS is weighted; the counts are of people.
  expect(
    sentiment([
      { score: 10, ageDays: 0 },
      { score: 2, ageDays: 120 },
    ]).en,
  ).toBe(
    'NPS 60 from 2 survey answers in the last 180 days, recent answers weighing more (promoters: 1, detractors: 1)',
  )
})

test('onboarding reasons for each stage of a young account, and for older ones', () => {
  const reason = (ageDays: number, milestones: Partial<AccountHealthInput> = {}) =>
    measureReason({
      measure: 'onboarding',
      ...onboardingBand(
        {
          ageDays,
          seats: 40,
          firstDaysActivity: 3,
          membersJoined: 0,
          onboardingActiveDays: 0,
          onboardingContributed: false,
          ...milestones,
        },
        settings,
      ),
    })
  expect(reason(400)).toEqual({
    en: "Onboarding is measured only in an account's first 90 days",
    ja: 'オンボーディングは開始から 90 日以内のアカウントだけを評価します',
  })
  expect(reason(10, { firstDaysActivity: 0 })).toEqual({
    en: 'Onboarding: no activity yet, 4 of the first 14 days left',
    ja: 'オンボーディング：まだ活動はありません（最初の 14 日間のうち残り 4 日）',
  })
  expect(reason(20, { firstDaysActivity: 0 })).toEqual({
    en: "Onboarding: no activity in the account's first 14 days",
    ja: 'オンボーディング：最初の 14 日間に活動がありませんでした',
  })
  expect(reason(45, { membersJoined: 8, onboardingActiveDays: 3, onboardingContributed: true })).toEqual({
    en: 'Onboarding: 2 of 3 milestones in the first 45 days (members joined 8 of 8; days active 3 of 5; a first question, answer or event: yes)',
    ja: 'オンボーディング：最初の 45 日間のマイルストーン達成 2 / 3（参加したメンバー 8 / 8 人、活動した日 3 / 5 日、初めての質問・回答・イベント出席：あり）',
  })
  expect(reason(30, { membersJoined: 2, onboardingActiveDays: 5 })).toEqual({
    en: 'Onboarding so far: 1 of 3 milestones, 15 of the first 45 days left (members joined 2 of 8; days active 5 of 5; a first question, answer or event: not yet)',
    ja: 'オンボーディングの途中：マイルストーン達成 1 / 3、最初の 45 日間のうち残り 15 日（参加したメンバー 2 / 8 人、活動した日 5 / 5 日、初めての質問・回答・イベント出席：まだなし）',
  })
})

/** The outcomes and hard-risk reason of a mature account where every measure has data. */
function riskReason(overrides: Partial<AccountHealthInput>, scoring = settings) {
  const input: AccountHealthInput = {
    accountId: 1,
    accountName: 'Acme',
    tier: 'high',
    seats: 40,
    ageDays: 400,
    engagementPoints: 100,
    activityWeeks: [5, 5, 5, 5, 5, 5, 5, 5],
    activeMembers: 9,
    activeMembersBefore: 9,
    contributionPoints: 100,
    keyContributors: [],
    othersActive: true,
    tickets: 2,
    deflections: 2,
    supportMembers: 9,
    surgeTickets: 0,
    surgeBaselineTickets: 0,
    surgeMembers: 9,
    surgeBaselineMembers: 9,
    eventsAttended: 1,
    npsAnswers: answeredToday(9, 8),
    firstDaysActivity: 3,
    membersJoined: 0,
    onboardingActiveDays: 0,
    onboardingContributed: false,
    daysSinceLastActivity: 1,
    champions: 0,
    ...overrides,
  }
  const outcomes = measureOutcomes(input, ctx, scoring)
  const risk = hardRiskOf(input, outcomes, scoring)
  return risk ? hardRiskReason(risk, outcomes, input.daysSinceLastActivity ?? 0) : null
}

test('hard-risk reasons say what caps the level whatever the measures say', () => {
  expect(riskReason({})).toBeNull()
  expect(riskReason({ daysSinceLastActivity: 31 })).toEqual({
    en: 'No activity for 31 days (holidays not counted) after being active: BAD whatever the other measures say',
    ja: 'これまで活動していたのに 31 日間（祝日・休暇期間を除く）活動がありません。ほかの指標にかかわらず要注意です',
  })
  expect(
    riskReason({
      keyContributors: [
        { name: 'Aiko', points: 40, silentDays: 30 },
        { name: 'Ken', points: 30, silentDays: 29 },
      ],
    }),
  ).toEqual({
    en: "Aiko and Ken, who gave 70% of Acme's contributions in the 90 days before, have been silent for 4 weeks while others stay active (holidays not counted): BAD whatever the other measures say",
    ja: 'Aiko さん、Ken さんは、活動が止まるまでの 90 日に Acme の貢献の 70% を担っていましたが、ほかのメンバーが活動を続けるなか 4 週間活動していません（日数は祝日・休暇期間を除く）。ほかの指標にかかわらず要注意です',
  })
  // Detractors: the answers of the last 90 days only (the one of day 100 is not counted).
  const unhappy = { npsAnswers: [...answeredToday(2, 5, 10), { score: 10, ageDays: 100 }] }
  expect(riskReason(unhappy)).toEqual({
    en: '2 of 3 survey answers in the last 90 days came from detractors (0–6): BAD at best',
    ja: '直近 90 日のアンケート 3 件のうち 2 件が批判者（0〜6）の回答です。判定は最も良くても要注意です',
  })
  const normalCap = {
    ...settings,
    health: { ...settings.health, sentiment: { ...settings.health.sentiment, detractorCap: 'NORMAL' as const } },
  }
  expect(riskReason(unhappy, normalCap)).toEqual({
    en: '2 of 3 survey answers in the last 90 days came from detractors (0–6): NORMAL at best',
    ja: '直近 90 日のアンケート 3 件のうち 2 件が批判者（0〜6）の回答です。判定は最も良くても普通です',
  })
  // With a minimum of one detractor, "survey answers" agrees with the answers, not the detractors.
  const oneDetractor = {
    ...settings,
    health: { ...settings.health, sentiment: { ...settings.health.sentiment, detractorMin: 1 } },
  }
  expect(riskReason({ npsAnswers: answeredToday(3, 10) }, oneDetractor)).toEqual({
    en: '1 of 2 survey answers in the last 90 days came from a detractor (0–6): BAD at best',
    ja: '直近 90 日のアンケート 2 件のうち 1 件が批判者（0〜6）の回答です。判定は最も良くても要注意です',
  })
  expect(riskReason({ npsAnswers: answeredToday(3) }, oneDetractor)?.en).toBe(
    '1 of 1 survey answer in the last 90 days came from a detractor (0–6): BAD at best',
  )
  // Without the outcome it comes from, the risk is named in a few words.
  expect(hardRiskReason({ risk: 'detractors', cap: 'BAD' }, [], 0)).toEqual({
    en: 'detractors in the surveys',
    ja: 'アンケートに批判者の回答が続いています',
  })
})

test('every reason resolves to real text in both languages', () => {
  const outcomes: MeasureOutcome[] = [
    { measure: 'engagement', ...engagementBand({ tier: 'low', seats: 3, engagementPoints: 2 }, ctx, settings) },
    { measure: 'trend', ...trendBand({ activityWeeks: [1, 1, 1, 1, 3, 3, 3, 3] }, settings) },
    {
      measure: 'breadthChange',
      ...breadthChangeBand({ ageDays: 400, activeMembers: 4, activeMembersBefore: 8 }, settings),
    },
    champions([{ name: 'Aiko', points: 40, silentDays: 30 }]),
    {
      measure: 'supportLoad',
      ...supportLoadBand({ tier: 'low', tickets: 2, supportMembers: 3, daysSinceLastActivity: 1 }, ctx, settings),
    },
    {
      measure: 'supportLoad',
      ...supportLoadBand({ tier: 'low', tickets: 0, supportMembers: 0, daysSinceLastActivity: null }, ctx, settings),
    },
    {
      measure: 'ticketSurge',
      ...ticketSurgeBand(
        { ageDays: 400, surgeTickets: 9, surgeBaselineTickets: 9, surgeMembers: 3, surgeBaselineMembers: 3 },
        settings,
      ),
    },
    { measure: 'sentiment', ...sentimentBand({ npsAnswers: answeredToday(1, 2, 3, 4) }, settings) },
    {
      measure: 'onboarding',
      ...onboardingBand(
        {
          ageDays: 0,
          seats: 3,
          firstDaysActivity: 0,
          membersJoined: 0,
          onboardingActiveDays: 0,
          onboardingContributed: false,
        },
        settings,
      ),
    },
  ]
  const risks: [HardRisk, HealthBand][] = [
    ['silent', 'BAD'],
    ['champion_lost', 'BAD'],
    ['detractors', 'NORMAL'],
  ]
  const texts = [
    ...outcomes.map(measureReason),
    ...risks.map(([risk, cap]) => hardRiskReason({ risk, cap }, outcomes, 31)),
  ]
  for (const text of texts) {
    for (const value of [text.en, text.ja]) {
      expect(value).not.toMatch(/scoring\.|\{\{/)
      expect(value.length).toBeGreaterThan(10)
    }
  }
})

function component(measure: HealthMeasure, band: HealthBand | null, value: number | null): ComponentSnapshot {
  const weight = measure === 'events' ? 1 : settings.health.weights[measure]
  return { measure, band, value, weight, score: band === null ? null : settings.health.bandScore[band] }
}

test('the summary names what drags a BAD or NORMAL account down: BAD measures first, then heavier ones', () => {
  const components = [
    component('engagement', 'GOOD', 70),
    component('trend', 'NORMAL', -10),
    component('breadth', 'NORMAL', 20),
    component('selfService', 'BAD', 10),
    component('events', 'BAD', 0),
    component('sentiment', null, null),
  ]
  // BAD: self-service and events (both weight 1: in the measures' order), then NORMAL breadth (2) before
  // trend (1.5); three at most.
  expect(summaryLine({ level: 'NORMAL', coverage: 0.8, components, silentFor: null }, settings)).toEqual({
    en: 'NORMAL: deflection rate 10%; 0 event attendances; breadth 20%',
    ja: '普通：自己解決率 10%、イベント出席 0 回、利用の広がり 20%',
  })
  // A silent account names its silence first.
  expect(summaryLine({ level: 'BAD', coverage: 0.8, components, silentFor: 42, hardRisk: 'silent' }, settings)).toEqual(
    {
      en: 'BAD: no activity for 42 days; deflection rate 10%; 0 event attendances',
      ja: '要注意：42 日間活動なし（祝日・休暇期間を除く）、自己解決率 10%、イベント出席 0 回',
    },
  )
})

test('the summary of a GOOD account names its two heaviest GOOD measures', () => {
  const components = [
    component('engagement', 'GOOD', 83),
    component('trend', 'GOOD', 0),
    component('breadth', 'GOOD', 50),
    component('events', 'NORMAL', 1),
    component('onboarding', 'BAD', null),
  ]
  expect(summaryLine({ level: 'GOOD', coverage: 1, components, silentFor: null }, settings)).toEqual({
    en: 'GOOD: engagement at the 83rd percentile; breadth 50%',
    ja: '良好：エンゲージメントは 83 パーセンタイル、利用の広がり 50%',
  })
  // Champions and ticket surge only warn: GOOD there is a risk that did not happen, no strength, so
  // they are passed over however heavy, and a line with nothing else names nothing.
  const risksOnly = [
    component('champions', 'GOOD', 0),
    component('ticketSurge', 'GOOD', 1),
    component('trend', 'GOOD', 0),
  ]
  expect(summaryLine({ level: 'GOOD', coverage: 1, components: risksOnly, silentFor: null }, settings)).toEqual({
    en: 'GOOD: activity steady',
    ja: '良好：活動は横ばい',
  })
  expect(
    summaryLine({ level: 'GOOD', coverage: 1, components: risksOnly.slice(0, 2), silentFor: null }, settings),
  ).toEqual({ en: 'GOOD', ja: '良好' })
  expect(summaryLine({ level: 'INSUFFICIENT_DATA', coverage: 0.38, components, silentFor: null }, settings)).toEqual({
    en: 'Insufficient data: measures with data carry 38% of the weight (50% needed)',
    ja: 'データ不足：データの充足度が 38% です（判定には 50% 以上必要です）',
  })
})

test('the summary tells onboarding silence apart from missed milestones', () => {
  // Silent in its first days: no value to quote.
  const silent = [component('onboarding', 'BAD', null), component('events', 'NORMAL', 1)]
  expect(summaryLine({ level: 'BAD', coverage: 1, components: silent, silentFor: null }, settings)).toEqual({
    en: 'BAD: no activity in the first 14 days; 1 event attendance',
    ja: '要注意：最初の 14 日間に活動なし、イベント出席 1 回',
  })
  // Active, but none of the three milestones met.
  const missed = [component('onboarding', 'BAD', 0), component('events', 'NORMAL', 1)]
  expect(summaryLine({ level: 'BAD', coverage: 1, components: missed, silentFor: null }, settings)).toEqual({
    en: 'BAD: 0 of 3 onboarding milestones; 1 event attendance',
    ja: '要注意：オンボーディングのマイルストーン 0 / 3、イベント出席 1 回',
  })
  const two = [component('onboarding', 'NORMAL', 2)]
  expect(summaryLine({ level: 'NORMAL', coverage: 1, components: two, silentFor: null }, settings).en).toBe(
    'NORMAL: 2 of 3 onboarding milestones',
  )
})

test('the summary of the new measures', () => {
  const line = (measure: HealthMeasure, band: HealthBand, value: number) =>
    summaryLine(
      { level: 'NORMAL', coverage: 1, components: [component(measure, band, value)], silentFor: null },
      settings,
    )
  expect(line('breadthChange', 'BAD', -40)).toEqual({
    en: 'NORMAL: breadth -40% on its own past',
    ja: '普通：利用の広がりが以前と比べて -40%',
  })
  expect(line('champions', 'NORMAL', 30)).toEqual({
    en: 'NORMAL: 30% of contributions silent',
    ja: '普通：貢献の 30% が活動停止',
  })
  expect(line('ticketSurge', 'BAD', 3.75)).toEqual({
    en: 'NORMAL: 3.75× the usual tickets',
    ja: '普通：通常の 3.75 倍の問い合わせ',
  })
  expect(line('supportLoad', 'NORMAL', 1.5)).toEqual({
    en: 'NORMAL: 1.5 tickets per active member',
    ja: '普通：活動したメンバー 1 人あたり 1.5 件の問い合わせ',
  })
})

test('the summary names a hard risk first, then the weakest other measures', () => {
  const components = [
    component('trend', 'NORMAL', -20),
    component('breadth', 'GOOD', 50),
    component('champions', 'BAD', 70),
    component('sentiment', 'BAD', -33),
  ]
  expect(
    summaryLine({ level: 'BAD', coverage: 1, components, silentFor: null, hardRisk: 'champion_lost' }, settings),
  ).toEqual({
    en: 'BAD: 70% of contributions silent; NPS -33; activity fell 20%',
    ja: '要注意：貢献の 70% が活動停止、NPS -33、活動が 20% 減少',
  })
  // With the silent members at hand, the line names them.
  const lostChampions = [
    { name: 'Aiko', share: 40, silentDays: 30 },
    { name: '佐藤', share: 30, silentDays: 29 },
  ]
  expect(
    summaryLine(
      { level: 'BAD', coverage: 1, components, silentFor: null, hardRisk: 'champion_lost', lostChampions },
      settings,
    ),
  ).toEqual({
    en: 'BAD: Aiko and 佐藤 silent; NPS -33; activity fell 20%',
    ja: '要注意：Aiko さん、佐藤さんの活動が停止、NPS -33、活動が 20% 減少',
  })
  expect(
    summaryLine({ level: 'BAD', coverage: 1, components, silentFor: null, hardRisk: 'detractors' }, settings),
  ).toEqual({
    en: 'BAD: NPS -33; 70% of contributions silent; activity fell 20%',
    ja: '要注意：NPS -33、貢献の 70% が活動停止、活動が 20% 減少',
  })
})

test('the summary says how long the level has held, and where it is heading', () => {
  const components = [component('trend', 'BAD', -45), component('breadth', 'NORMAL', 23)]
  const line = (extra: { heldDays?: number; pending?: { level: HealthLevel; days: number; needed: number } | null }) =>
    summaryLine({ level: 'BAD', coverage: 1, components, silentFor: null, ...extra }, settings)
  expect(line({ heldDays: 5 })).toEqual({
    en: 'BAD for 5 days: activity fell 45%; breadth 23%',
    ja: '要注意（5 日間）：活動が 45% 減少、利用の広がり 23%',
  })
  // One day is not worth saying.
  expect(line({ heldDays: 1 }).en).toBe('BAD: activity fell 45%; breadth 23%')
  expect(line({}).en).toBe('BAD: activity fell 45%; breadth 23%')
  expect(line({ heldDays: 5, pending: { level: 'GOOD', days: 3, needed: 7 } })).toEqual({
    en: 'BAD for 5 days, moving to GOOD (3 of 7 days): activity fell 45%; breadth 23%',
    ja: '要注意（5 日間）、良好へ移行中（7 日のうち 3 日）：活動が 45% 減少、利用の広がり 23%',
  })
  expect(line({ heldDays: 1, pending: { level: 'NORMAL', days: 1, needed: 7 } })).toEqual({
    en: 'BAD, moving to NORMAL (1 of 7 days): activity fell 45%; breadth 23%',
    ja: '要注意、普通へ移行中（7 日のうち 1 日）：活動が 45% 減少、利用の広がり 23%',
  })
  // Insufficient data is not a level held.
  expect(
    summaryLine({ level: 'INSUFFICIENT_DATA', coverage: 0.38, components, silentFor: null, heldDays: 9 }, settings).en,
  ).toBe('Insufficient data: measures with data carry 38% of the weight (50% needed)')
})

test('the summary of a GOOD level on its way down names what pulls it down, not its strengths', () => {
  const components = [
    component('engagement', 'GOOD', 83),
    component('trend', 'BAD', -45),
    component('breadth', 'NORMAL', 23),
    component('events', 'GOOD', 4),
  ]
  const line = (pending: { level: HealthLevel; days: number; needed: number } | null) =>
    summaryLine({ level: 'GOOD', coverage: 1, components, silentFor: null, heldDays: 29, pending }, settings)
  // Steady GOOD: its strengths.
  expect(line(null).en).toBe('GOOD for 29 days: engagement at the 83rd percentile; 4 event attendances')
  // Moving to NORMAL or BAD: the weak measures, weakest first, as a NORMAL or BAD account's.
  expect(line({ level: 'NORMAL', days: 3, needed: 7 })).toEqual({
    en: 'GOOD for 29 days, moving to NORMAL (3 of 7 days): activity fell 45%; breadth 23%',
    ja: '良好（29 日間）、普通へ移行中（7 日のうち 3 日）：活動が 45% 減少、利用の広がり 23%',
  })
  expect(line({ level: 'BAD', days: 1, needed: 4 }).en).toBe(
    'GOOD for 29 days, moving to BAD (1 of 4 days): activity fell 45%; breadth 23%',
  )
  // A NORMAL level names its weak measures whichever way it is heading.
  const normal = (pending: { level: HealthLevel; days: number; needed: number } | null) =>
    summaryLine({ level: 'NORMAL', coverage: 1, components, silentFor: null, pending }, settings).en
  expect(normal({ level: 'GOOD', days: 2, needed: 7 })).toBe(
    'NORMAL, moving to GOOD (2 of 7 days): activity fell 45%; breadth 23%',
  )
  expect(normal({ level: 'BAD', days: 2, needed: 7 })).toBe(
    'NORMAL, moving to BAD (2 of 7 days): activity fell 45%; breadth 23%',
  )
})

function snapshot(level: HealthLevel, asOf: string, components: ComponentSnapshot[], hardRisk: HardRisk | null = null) {
  return { level, asOf, components, hardRisk }
}

test('no previous snapshot, or no change of level or band, describes no change', () => {
  const today = snapshot('GOOD', '2026-11-20', [component('breadth', 'GOOD', 41), component('trend', 'GOOD', -3)])
  expect(describeChange(null, today, '2026-11-20')).toBeNull()
  const before = snapshot('GOOD', '2026-11-19', [component('breadth', 'GOOD', 42), component('trend', 'GOOD', 5)])
  expect(describeChange(before, today, '2026-10-01')).toBeNull()
})

test('a worse level names the measure whose score dropped most', () => {
  const before = snapshot('NORMAL', '2026-11-11', [
    component('engagement', 'NORMAL', 40),
    component('trend', 'NORMAL', -10),
    component('breadth', 'GOOD', 42),
  ])
  const after = snapshot('BAD', '2026-11-20', [
    component('engagement', 'GOOD', 70), // rose: not the cause of a worse level
    component('trend', 'BAD', -45), // 60 → 0: dropped 60
    component('breadth', 'BAD', 9), // 100 → 0: dropped 100
  ])
  expect(describeChange(before, after, '2026-11-12')).toEqual({
    en: 'BAD since 12 Nov: breadth dropped from 42% to 9%',
    ja: '11月12日から要注意：利用の広がりが下がりました（42% → 9%）',
  })
})

test('equal drops go to the heavier measure, then to the first in order', () => {
  // Events of a low-touch account with a weight of 4 outweigh engagement (3), though listed after it.
  const heavyEvents = (band: HealthBand, value: number) => ({ ...component('events', band, value), weight: 4 })
  const before = snapshot('GOOD', '2026-10-02', [component('engagement', 'GOOD', 70), heavyEvents('GOOD', 3)])
  const after = snapshot('NORMAL', '2026-10-03', [component('engagement', 'NORMAL', 40), heavyEvents('NORMAL', 1)])
  expect(describeChange(before, after, '2026-10-03')).toEqual({
    en: 'NORMAL since 3 Oct: events attended dropped from 3 to 1',
    ja: '10月3日から普通：イベント出席が下がりました（3 回 → 1 回）',
  })
  // Equal weights: the measures' order decides.
  const lighter = snapshot('NORMAL', '2026-10-03', [
    component('engagement', 'NORMAL', 40),
    { ...component('events', 'NORMAL', 1), weight: 3 },
  ])
  const evenBefore = snapshot('GOOD', '2026-10-02', [
    component('engagement', 'GOOD', 70),
    { ...component('events', 'GOOD', 3), weight: 3 },
  ])
  expect(describeChange(evenBefore, lighter, '2026-10-03')).toEqual({
    en: 'NORMAL since 3 Oct: engagement per seat dropped from the 70th percentile to the 40th percentile',
    ja: '10月3日から普通：シートあたりのエンゲージメントが下がりました（70 パーセンタイル → 40 パーセンタイル）',
  })
})

test('a better level names the measure whose score rose most', () => {
  const before = snapshot('BAD', '2026-11-19', [
    component('trend', 'BAD', -30),
    component('supportLoad', 'BAD', 3.2),
    component('events', 'NORMAL', 1),
  ])
  const after = snapshot('NORMAL', '2026-11-20', [
    component('trend', 'NORMAL', -10), // +60
    component('supportLoad', 'GOOD', 0.5), // +100
    component('events', 'BAD', 0), // −60, against the direction of the change
  ])
  expect(describeChange(before, after, '2026-11-20')).toEqual({
    en: 'NORMAL since 20 Nov: support load dropped from 3.2 tickets per active member to 0.5 tickets per active member',
    ja: '11月20日から普通：サポート負荷が下がりました（活動したメンバー 1 人あたり 3.2 件 → 活動したメンバー 1 人あたり 0.5 件）',
  })
})

test('a band change under an unchanged level is described, with the year when the run began in another', () => {
  const before = snapshot('NORMAL', '2026-01-04', [
    component('selfService', 'NORMAL', 25),
    component('trend', 'GOOD', 8),
  ])
  const after = snapshot('NORMAL', '2026-01-05', [component('selfService', 'BAD', 10), component('trend', 'GOOD', 30)])
  expect(describeChange(before, after, '2025-10-03')).toEqual({
    en: 'NORMAL since 3 Oct 2025: deflection rate dropped from 25% to 10%',
    ja: '2025年10月3日から普通：自己解決率が下がりました（25% → 10%）',
  })
})

test('a change in the new measures quotes their values', () => {
  const surgeBefore = snapshot('NORMAL', '2026-11-19', [component('ticketSurge', 'GOOD', 1.2)])
  const surgeAfter = snapshot('NORMAL', '2026-11-20', [component('ticketSurge', 'BAD', 3.75)])
  expect(describeChange(surgeBefore, surgeAfter, '2026-10-01')?.en).toBe(
    'NORMAL since 1 Oct: ticket surge rose from 1.2× the usual tickets to 3.75× the usual tickets',
  )
  // The measure's name already says "against its own past"; the values do not say it again.
  const breadthBefore = snapshot('NORMAL', '2026-11-19', [component('breadthChange', 'GOOD', -10)])
  const breadthAfter = snapshot('NORMAL', '2026-11-20', [component('breadthChange', 'BAD', -40)])
  expect(describeChange(breadthBefore, breadthAfter, '2026-10-01')).toEqual({
    en: 'NORMAL since 1 Oct: breadth against its own past dropped from -10% to -40%',
    ja: '10月1日から普通：利用の広がりの変化が下がりました（-10% → -40%）',
  })
})

test('a new hard risk is named as the cause of the change', () => {
  const active = [component('trend', 'GOOD', null), component('sentiment', 'NORMAL', 10)]
  const silent = snapshot('BAD', '2026-11-20', active, 'silent')
  expect(describeChange(snapshot('GOOD', '2026-11-19', active), silent, '2026-11-20')).toEqual({
    en: 'BAD since 20 Nov: all activity stopped',
    ja: '11月20日から要注意：すべての活動が止まりました',
  })
  const lost = snapshot('BAD', '2026-11-20', [...active, component('champions', 'BAD', 70)], 'champion_lost')
  const kept = snapshot('GOOD', '2026-11-19', [...active, component('champions', 'GOOD', 0)])
  expect(describeChange(kept, lost, '2026-11-20')).toEqual({
    en: 'BAD since 20 Nov: the members who carried the account went quiet',
    ja: '11月20日から要注意：アカウントを支えていたメンバーの活動が止まりました',
  })
  // Capped at NORMAL by detractors.
  const unhappy = snapshot(
    'NORMAL',
    '2026-11-20',
    [component('trend', 'GOOD', null), component('sentiment', 'BAD', -40)],
    'detractors',
  )
  expect(describeChange(snapshot('GOOD', '2026-11-19', active), unhappy, '2026-11-20')).toEqual({
    en: 'NORMAL since 20 Nov: detractors in the surveys',
    ja: '11月20日から普通：アンケートに批判者の回答が続いています',
  })
  // A risk already there the day before is not news: the measure that moved is named.
  const worse = snapshot(
    'BAD',
    '2026-11-21',
    [component('trend', 'GOOD', null), component('sentiment', 'BAD', -60)],
    'detractors',
  )
  const capped = snapshot(
    'NORMAL',
    '2026-11-20',
    [component('trend', 'GOOD', null), component('sentiment', 'NORMAL', 0)],
    'detractors',
  )
  expect(describeChange(capped, worse, '2026-11-21')?.en).toBe('BAD since 21 Nov: NPS dropped from 0 to -60')
})

test('a change without a comparable measure: bands without values, or the level alone', () => {
  const active = [component('trend', 'GOOD', null), component('sentiment', 'NORMAL', 10)]
  // Trend had no percent (activity started from nothing), so bands are compared.
  const fell = snapshot('BAD', '2026-11-20', [component('trend', 'BAD', -100), component('sentiment', 'NORMAL', 10)])
  expect(describeChange(snapshot('NORMAL', '2026-11-19', active), fell, '2026-11-20')).toEqual({
    en: 'BAD since 20 Nov: activity trend went from GOOD to BAD',
    ja: '11月20日から要注意：活動の推移が「良好」から「要注意」に変わりました',
  })
  // Sentiment lost its data: nothing to compare, the level's change alone is told.
  const unknown = snapshot('INSUFFICIENT_DATA', '2026-11-20', [
    component('trend', 'GOOD', null),
    component('sentiment', null, null),
  ])
  expect(describeChange(snapshot('NORMAL', '2026-11-19', active), unknown, '2026-11-20')).toEqual({
    en: 'Insufficient data since 20 Nov',
    ja: '11月20日からデータ不足',
  })
})

test('stored components with a measure this version does not know are left out', () => {
  const before = snapshot('GOOD', '2026-11-19', [{ measure: 'retired', band: 'GOOD', value: 1, weight: 1, score: 100 }])
  const after = snapshot('GOOD', '2026-11-20', [{ measure: 'retired', band: 'BAD', value: 0, weight: 1, score: 0 }])
  expect(describeChange(before, after, '2026-11-01')).toBeNull()
})
