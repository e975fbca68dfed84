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
      for (const play of plays) reached.add(play)
    }
  }
  // Every listed play is suggested somewhere, and nothing unlisted is.
  expect([...reached].sort()).toEqual([...playIds].sort())
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
