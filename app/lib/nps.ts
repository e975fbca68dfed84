/** Net Promoter Score groups: 9–10 promote, 7–8 are passive, 0–6 detract. */
export type NpsGroups = { promoters: number; passives: number; detractors: number }

export function npsGroups(scores: readonly number[]): NpsGroups {
  const groups: NpsGroups = { promoters: 0, passives: 0, detractors: 0 }
  for (const score of scores) {
    if (score >= 9) groups.promoters++
    else if (score >= 7) groups.passives++
    else groups.detractors++
  }
  return groups
}

/** The Net Promoter Score of 0–10 answers: % promoters minus % detractors, an integer from −100 to 100
 *  (halves round away from zero, so the score is symmetric). Null without answers. The one NPS: event
 *  results, the dashboard and the health sentiment measure (`scoring/health.ts`) all use it. */
export function npsOf(scores: readonly number[]): number | null {
  if (scores.length === 0) return null
  const { promoters, detractors } = npsGroups(scores)
  // Multiply before dividing: (23 ÷ 40) × 100 is 57.49999… in floating point, 2300 ÷ 40 is exactly 57.5.
  const exact = ((promoters - detractors) * 100) / scores.length
  // Math.round sends −0.5 up to −0, and 0.5 up to 1; rounding the magnitude keeps −x = −(x).
  const rounded = Math.sign(exact) * Math.round(Math.abs(exact))
  return rounded === 0 ? 0 : rounded
}
