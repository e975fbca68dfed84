import { expect, test } from 'vitest'
import { npsGroups, npsOf } from './nps.ts'

test('NPS is the share of promoters minus the share of detractors', () => {
  expect(npsOf([10, 9, 8, 7, 6, 0])).toBe(0)
  expect(npsOf([10, 10, 9])).toBe(100)
  expect(npsOf([0, 5])).toBe(-100)
  expect(npsOf([10, 8, 7, 0])).toBe(0)
  expect(npsOf([10, 9, 9, 3])).toBe(50)
})

test('passives count in the total but in neither group', () => {
  expect(npsOf([7, 8])).toBe(0)
  expect(npsOf([10, 7, 8])).toBe(33)
  expect(npsGroups([10, 9, 8, 7, 6, 0])).toEqual({ promoters: 2, passives: 2, detractors: 2 })
})

test('the boundaries: 9 promotes, 7 is passive, 6 detracts', () => {
  expect(npsGroups([9])).toEqual({ promoters: 1, passives: 0, detractors: 0 })
  expect(npsGroups([7])).toEqual({ promoters: 0, passives: 1, detractors: 0 })
  expect(npsGroups([6])).toEqual({ promoters: 0, passives: 0, detractors: 1 })
})

test('halves round away from zero, the same for positive and negative scores', () => {
  // 1 promoter in 8 answers: 12.5 → 13, and 1 detractor in 8: −12.5 → −13.
  expect(npsOf([10, 8, 8, 8, 8, 8, 8, 8])).toBe(13)
  expect(npsOf([0, 8, 8, 8, 8, 8, 8, 8])).toBe(-13)
})

test('no answers have no score', () => {
  expect(npsOf([])).toBeNull()
  expect(npsGroups([])).toEqual({ promoters: 0, passives: 0, detractors: 0 })
})

test('an exact half stays a half: 23 detractors in 40 answers is −57.5, so −58, as the health measure has it', () => {
  const scores = [...Array<number>(23).fill(0), ...Array<number>(17).fill(8)]
  expect(npsOf(scores)).toBe(-58)
  expect(npsOf(scores.map((score) => (score === 0 ? 10 : score)))).toBe(58)
})
