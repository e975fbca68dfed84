import { expect, test } from 'vitest'
import { deriveFigures, emptyCounts, ratio } from './deflection.ts'

const yen = { amountMinor: 2500, currency: 'JPY' }

test('the rate counts explicit deflections against contact-flow tickets; implicit ones only widen the range', () => {
  const figures = deriveFigures({ ...emptyCounts, explicit: 1, implicit: 2, filed: 1, tickets: 5 }, yen)
  expect(figures.deflectionRate).toBe(1 / 2)
  expect(figures.deflectionRateUpper).toBe(3 / 4)
  expect(figures.costSavedMinor).toBe(2500)
  expect(figures.costSavedUpperMinor).toBe(7500)
})

test('a figure with nothing to divide by is null, never 0 or NaN', () => {
  const figures = deriveFigures(emptyCounts, yen)
  expect(figures).toMatchObject({
    deflectionRate: null,
    deflectionRateUpper: null,
    selfServiceRatio: null,
    communityAnswerRate: null,
    costSavedMinor: 0,
  })
  expect(ratio(0, 3)).toBe(0)
  expect(ratio(3, 0)).toBeNull()
  expect(deriveFigures({ ...emptyCounts, helpReaders: 6, ticketFilers: 4 }, yen).selfServiceRatio).toBe(1.5)
  expect(deriveFigures({ ...emptyCounts, answeredQuestions: 4, communityAnswered: 1 }, yen).communityAnswerRate).toBe(
    1 / 4,
  )
})
