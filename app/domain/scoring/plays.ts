import type { HardRisk } from './measures.ts'
import { type BilingualText, bilingual } from './reasons.ts'
import type { HealthLevel } from './settings.ts'
import type { TouchTier } from './tiers.ts'

/** What the team does next for an account, one per (touch tier, health) cell (docs/architecture.md section 6). */
export const playIds = [
  'csm_call',
  'workshop_invite',
  'send_searched_articles',
  'csm_review',
  'office_hours_invite',
  'tips_email',
  'case_study',
  'grow_champions',
  'onboarding_check_in',
  'find_new_champion',
  'close_the_loop',
] as const
export type PlayId = (typeof playIds)[number]

export type PlayInput = {
  tier: TouchTier
  level: HealthLevel
  champions: number
  /** The hard risk capping the level, if any: the champion loss and the detractors have plays of their own. */
  hardRisk?: HardRisk | null
}
export type SuggestedPlay = { play: PlayId; reason: BilingualText }

const byTier: Record<'BAD' | 'NORMAL', Record<TouchTier, PlayId>> = {
  BAD: { high: 'csm_call', low: 'workshop_invite', tech: 'send_searched_articles' },
  NORMAL: { high: 'csm_review', low: 'office_hours_invite', tech: 'tips_email' },
}

/** Community touch is a layer across the tiers: accounts with at least one champion among their
 *  members. */
export function isCommunityTouch(champions: number): boolean {
  return champions > 0
}

/** The play for an account. BAD and NORMAL follow the touch tier (BAD: high → CSM 1:1 call, low →
 *  invite to the next workshop, tech → send the help articles their members searched for; NORMAL:
 *  success review, office hours, tips). GOOD asks community-touch accounts for a case study or
 *  referral and grows a champion elsewhere. Too little data: an onboarding check-in, whatever the tier.
 *  The members who carried the account gone quiet: find out why and grow the next champion; a
 *  detractor signal: call the detractors back (close the loop), whatever the tier. */
export function playFor({ tier, level, champions, hardRisk }: PlayInput): PlayId {
  if (hardRisk === 'champion_lost') return 'find_new_champion'
  if (hardRisk === 'detractors') return 'close_the_loop'
  if (level === 'INSUFFICIENT_DATA') return 'onboarding_check_in'
  if (level === 'GOOD') return isCommunityTouch(champions) ? 'case_study' : 'grow_champions'
  return byTier[level][tier]
}

/** The play with its reason in both languages. For BAD and NORMAL accounts with champions the reason
 *  adds that the champions are the way in. */
export function suggestedPlay(input: PlayInput): SuggestedPlay {
  const play = playFor(input)
  const reason = bilingual((t) => {
    if (play === 'case_study') return t('scoring.play.case_study.reason', { count: input.champions })
    const text = t(`scoring.play.${play}.reason`)
    if (input.level === 'GOOD' || play !== byTier[input.level as 'BAD' | 'NORMAL']?.[input.tier]) return text
    if (!isCommunityTouch(input.champions)) return text
    return t('scoring.play.with_note', {
      reason: text,
      note: t('scoring.play.champion_note', { count: input.champions }),
    })
  })
  return { play, reason }
}
