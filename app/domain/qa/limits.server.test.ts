import { expect, test } from 'vitest'
import { postingInterval } from './limits.server.ts'

// The operator sets the pause between posts; comments wait half as long, and `off` turns it off.
// (env() reads the environment once per file: one setting per file, the default is in the tests of
// askQuestion and the HTTP rate-limit suite.)
process.env.POSTING_INTERVAL_SECONDS = '3'

test('POSTING_INTERVAL_SECONDS sets the pace of questions and answers, comments wait half of it', () => {
  expect(postingInterval('question')).toEqual({ limit: 1, windowSeconds: 3 })
  expect(postingInterval('answer')).toEqual({ limit: 1, windowSeconds: 3 })
  expect(postingInterval('comment')).toEqual({ limit: 1, windowSeconds: 2 })
})
