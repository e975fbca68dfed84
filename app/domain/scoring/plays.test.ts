import { expect, test } from 'vitest'
import { translator } from '#app/lib/i18n.ts'
import { isCommunityTouch, type PlayId, playFor, playIds, suggestedPlay } from './plays.ts'
import type { HealthLevel } from './settings.ts'
import { type TouchTier, touchTiers } from './tiers.ts'

test('each (tier, health) cell has its play; champions turn GOOD into a case-study ask', () => {
  const expected: Record<HealthLevel, Record<TouchTier, [PlayId, PlayId]>> = {
    // [without champions, with 2 champions]
    BAD: {
      high: ['csm_call', 'csm_call'],
      low: ['workshop_invite', 'workshop_invite'],
      tech: ['send_searched_articles', 'send_searched_articles'],
    },
    NORMAL: {
      high: ['csm_review', 'csm_review'],
      low: ['office_hours_invite', 'office_hours_invite'],
      tech: ['tips_email', 'tips_email'],
    },
    GOOD: {
      high: ['grow_champions', 'case_study'],
      low: ['grow_champions', 'case_study'],
      tech: ['grow_champions', 'case_study'],
    },
    INSUFFICIENT_DATA: {
      high: ['onboarding_check_in', 'onboarding_check_in'],
      low: ['onboarding_check_in', 'onboarding_check_in'],
      tech: ['onboarding_check_in', 'onboarding_check_in'],
    },
  }
  const reached = new Set<PlayId>()
  for (const level of Object.keys(expected) as HealthLevel[]) {
    for (const tier of touchTiers) {
      const plays = [playFor({ tier, level, champions: 0 }), playFor({ tier, level, champions: 2 })]
      expect(plays, `${level} ${tier}`).toEqual(expected[level][tier])
      // Silence is a hard risk without a play of its own: the cell's play.
      expect(playFor({ tier, level, champions: 0, hardRisk: 'silent' })).toBe(expected[level][tier][0])
      expect(playFor({ tier, level, champions: 0, hardRisk: null })).toBe(expected[level][tier][0])
      for (const play of plays) reached.add(play)
    }
  }
  for (const hardRisk of ['champion_lost', 'detractors'] as const)
    reached.add(playFor({ tier: 'high', level: 'BAD', champions: 0, hardRisk }))
  // Every listed play is suggested somewhere, and nothing unlisted is.
  expect([...reached].sort()).toEqual([...playIds].sort())
})

test('a lost champion or a detractor signal has its own play, whatever the tier and level', () => {
  for (const tier of touchTiers) {
    for (const level of ['BAD', 'NORMAL'] as const) {
      for (const champions of [0, 1]) {
        expect(playFor({ tier, level, champions, hardRisk: 'champion_lost' })).toBe('find_new_champion')
        expect(playFor({ tier, level, champions, hardRisk: 'detractors' })).toBe('close_the_loop')
      }
    }
  }
  // The reason is the play's own: no champion note, though the account has champions left.
  expect(suggestedPlay({ tier: 'high', level: 'BAD', champions: 2, hardRisk: 'champion_lost' })).toEqual({
    play: 'find_new_champion',
    reason: {
      en: 'The members who carried the account went quiet: ask them (or their manager) what changed, and bring the next most active member into the community programme.',
      ja: 'アカウントを支えていたメンバーの活動が止まりました。本人（または上長）に何が変わったかを聞き、次に活発なメンバーをコミュニティプログラムに招きましょう。',
    },
  })
  expect(suggestedPlay({ tier: 'tech', level: 'NORMAL', champions: 1, hardRisk: 'detractors' })).toEqual({
    play: 'close_the_loop',
    reason: {
      en: 'Several recent survey answers came from detractors: call them back within a week, fix what you can and tell them what changed.',
      ja: '最近のアンケートに批判者の回答が続いています。1 週間以内に連絡して、対応できることは対応し、何を変えたかを伝えましょう。',
    },
  })
  // A silent account keeps its cell's play, with the champion note.
  expect(suggestedPlay({ tier: 'low', level: 'BAD', champions: 1, hardRisk: 'silent' }).play).toBe('workshop_invite')
  expect(suggestedPlay({ tier: 'low', level: 'BAD', champions: 1, hardRisk: 'silent' }).reason.en).toMatch(
    /1 of their members is a champion: start with them\.$/,
  )
})

test('community touch: accounts with at least one champion', () => {
  expect(isCommunityTouch(0)).toBe(false)
  expect(isCommunityTouch(1)).toBe(true)
})

test('the play comes with its reason in both languages', () => {
  expect(suggestedPlay({ tier: 'high', level: 'BAD', champions: 0 })).toEqual({
    play: 'csm_call',
    reason: {
      en: 'BAD and high touch: the CSM books a 1:1 call to hear what is not working.',
      ja: 'ヘルススコアが「要注意」のハイタッチ顧客です。CSM が個別のミーティングを設定し、うまくいっていない点を聞き取りましょう。',
    },
  })
  expect(suggestedPlay({ tier: 'tech', level: 'BAD', champions: 0 }).reason.en).toBe(
    'BAD and tech touch: send the help articles their members searched for.',
  )
  expect(suggestedPlay({ tier: 'low', level: 'INSUFFICIENT_DATA', champions: 3 })).toEqual({
    play: 'onboarding_check_in',
    reason: {
      en: 'Too little data to judge: check how onboarding is going and how the members are getting started.',
      ja: 'ヘルススコアを判定するにはデータが足りません。オンボーディングの進み具合とメンバーの利用開始の状況を確認しましょう。',
    },
  })
})

test('champions are counted in a GOOD account’s ask, and named as the way in for the others', () => {
  expect(suggestedPlay({ tier: 'tech', level: 'GOOD', champions: 1 }).reason).toEqual({
    en: 'GOOD, with 1 champion among its members: ask for a case study or a referral.',
    ja: 'ヘルススコアは良好で、メンバーにチャンピオンが 1 人います。導入事例の作成や紹介をお願いしましょう。',
  })
  expect(suggestedPlay({ tier: 'tech', level: 'GOOD', champions: 3 }).reason.en).toBe(
    'GOOD, with 3 champions among its members: ask for a case study or a referral.',
  )
  expect(suggestedPlay({ tier: 'low', level: 'BAD', champions: 2 }).reason).toEqual({
    en: "BAD and low touch: invite the account's members to the next workshop to get them going again. 2 of their members are champions: start with them.",
    ja: 'ヘルススコアが「要注意」のロータッチ顧客です。次回のワークショップにメンバーを招待し、利用を立て直すきっかけにしましょう。メンバーにチャンピオンが 2 人います。まずその人たちに声をかけましょう。',
  })
  expect(suggestedPlay({ tier: 'high', level: 'NORMAL', champions: 1 }).reason.en).toBe(
    'NORMAL and high touch: the CSM reviews goals and usage with the account before it slips. 1 of their members is a champion: start with them.',
  )
  expect(suggestedPlay({ tier: 'high', level: 'GOOD', champions: 0 }).reason.en).toBe(
    'GOOD, without a champion yet: invite the most active members to answer questions in the community.',
  )
})

test('every play has a title and a reason in both catalogues', () => {
  for (const locale of ['en', 'ja'] as const) {
    const t = translator(locale)
    for (const play of playIds) {
      const title = t(`scoring.play.${play}.title`)
      expect(title).not.toContain('scoring.')
      const reason =
        play === 'case_study' ? t(`scoring.play.${play}.reason`, { count: 2 }) : t(`scoring.play.${play}.reason`)
      expect(reason, `${locale} ${play}`).not.toMatch(/scoring\.|\{\{/)
    }
  }
})
