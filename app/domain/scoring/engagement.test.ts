import { expect, test } from 'vitest'
import {
  decayWeight,
  horizonDays,
  levelFor,
  levelProgress,
  memberPoints,
  nextLevel,
  roundPoints,
} from './engagement.ts'
import { defaultScoringSettings as settings } from './settings.ts'

const asOf = new Date('2026-03-31T15:00:00Z')

test('a signal keeps its full worth today, half after one half-life, a quarter after two', () => {
  expect(decayWeight(0, 30)).toBe(1)
  expect(decayWeight(30, 30)).toBe(0.5)
  expect(decayWeight(60, 30)).toBe(0.25)
  expect(decayWeight(-5, 30)).toBe(1)
  expect(decayWeight(horizonDays(settings), 30)).toBeLessThan(0.001)
})

test('points are summed per type, each decayed by the age of its day', () => {
  const result = memberPoints(
    [
      { type: 'answer_accepted', day: '2026-03-31', count: 1 },
      { type: 'answer_posted', day: '2026-03-31', count: 2 },
      { type: 'answer_posted', day: '2026-03-01', count: 2 },
      { type: 'question_asked', day: '2026-01-30', count: 1 },
    ],
    asOf,
    settings,
  )
  // 10 + 6 + 6 × ½ + 2 × ¼
  expect(result.points).toBe(19.5)
  expect(result.byType).toEqual({ answer_accepted: 10, answer_posted: 9, question_asked: 0.5 })
})

test('cheap signals count only up to their daily cap', () => {
  const result = memberPoints(
    [
      { type: 'vote_cast', day: '2026-03-31', count: 30 },
      { type: 'article_viewed', day: '2026-03-31', count: 50 },
      { type: 'visit_day', day: '2026-03-31', count: 3 },
      { type: 'comment_posted', day: '2026-03-31', count: 12 },
    ],
    asOf,
    settings,
  )
  expect(result.byType).toEqual({ vote_cast: 5, article_viewed: 2, visit_day: 1, comment_posted: 12 })
  expect(result.points).toBe(20)
})

test('caps apply per day, not per period', () => {
  const result = memberPoints(
    [
      { type: 'vote_received', day: '2026-03-31', count: 15 },
      { type: 'vote_received', day: '2026-03-30', count: 15 },
    ],
    asOf,
    settings,
  )
  expect(result.points).toBe(roundPoints(10 + 10 * 0.5 ** (1 / 30)))
})

test('points are rounded to one decimal, and signals worth nothing are left out', () => {
  const result = memberPoints(
    [
      { type: 'article_viewed', day: '2026-03-20', count: 1 },
      { type: 'search_performed', day: '2026-03-31', count: 40 },
      { type: 'ticket_filed', day: '2026-03-31', count: 2 },
    ],
    asOf,
    settings,
  )
  // 0.2 × 0.5^(11/30) ≈ 0.155
  expect(result).toEqual({ points: 0.2, byType: { article_viewed: 0.2 } })
  expect(roundPoints(12.349)).toBe(12.3)
  expect(roundPoints(12.35 + 1e-9)).toBe(12.4)
})

test('the cut-off time of day does not matter: a day ages as a whole', () => {
  const rows = [{ type: 'answer_posted' as const, day: '2026-03-01', count: 1 }]
  expect(memberPoints(rows, new Date('2026-03-31T00:00:00Z'), settings).points).toBe(1.5)
  expect(memberPoints(rows, new Date('2026-03-31T23:59:59Z'), settings).points).toBe(1.5)
})

test('no activity is an observer with no points', () => {
  expect(memberPoints([], asOf, settings)).toEqual({ points: 0, byType: {} })
  expect(levelFor(0, settings)).toBe('observer')
})

test('levels promote as soon as the threshold is reached', () => {
  expect(levelFor(4.9, settings)).toBe('observer')
  expect(levelFor(5, settings)).toBe('participant')
  expect(levelFor(24.9, settings)).toBe('participant')
  expect(levelFor(25, settings)).toBe('contributor')
  expect(levelFor(80, settings)).toBe('champion')
  expect(levelFor(80, settings, 'observer')).toBe('champion')
  expect(levelFor(30, settings, 'participant')).toBe('contributor')
})

test('a level is kept until points fall below 0.9 of its threshold', () => {
  expect(levelFor(79, settings, 'champion')).toBe('champion')
  expect(levelFor(72, settings, 'champion')).toBe('champion')
  expect(levelFor(71, settings, 'champion')).toBe('contributor')
  expect(levelFor(23, settings, 'contributor')).toBe('contributor')
  expect(levelFor(22, settings, 'contributor')).toBe('participant')
  expect(levelFor(4.5, settings, 'participant')).toBe('participant')
  expect(levelFor(4.4, settings, 'participant')).toBe('observer')
})

test('a steep fall demotes to the level the points still hold under the same rule', () => {
  // 23 is below 25 (contributor) but above 22.5, which a former champion still holds.
  expect(levelFor(23, settings, 'champion')).toBe('contributor')
  expect(levelFor(10, settings, 'champion')).toBe('participant')
  expect(levelFor(0, settings, 'champion')).toBe('observer')
})

test('the next level and the points still needed to reach it', () => {
  expect(nextLevel('observer')).toBe('participant')
  expect(nextLevel('contributor')).toBe('champion')
  expect(nextLevel('champion')).toBeNull()
  expect(levelProgress(13, 'participant', settings)).toEqual({ next: 'contributor', remaining: 12, ratio: 0.4 })
  expect(levelProgress(0, 'observer', settings)).toEqual({ next: 'participant', remaining: 5, ratio: 0 })
  expect(levelProgress(23, 'contributor', settings)).toEqual({ next: 'champion', remaining: 57, ratio: 0 })
  expect(levelProgress(120, 'champion', settings)).toBeNull()
})

test('settings are a parameter: other thresholds and half-lives change the result', () => {
  const custom = {
    ...settings,
    halfLifeDays: 10,
    levels: { thresholds: { participant: 1, contributor: 2, champion: 3 }, demoteBelow: 1 },
  }
  const result = memberPoints([{ type: 'answer_posted', day: '2026-03-21', count: 1 }], asOf, custom)
  expect(result.points).toBe(1.5)
  expect(levelFor(result.points, custom)).toBe('participant')
  expect(levelFor(2.9, custom, 'champion')).toBe('contributor')
})
