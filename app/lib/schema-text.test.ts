import { expect, test } from 'vitest'
import { translateError } from '#app/components/forms.tsx'
import { ScoringSettingsFormSchema } from '#app/domain/scoring/settings-form.ts'
import { translator } from './i18n.ts'
import { messageParts, messageWith } from './schema-text.ts'

test('a message carries its bounds, and the person reads them in either language', () => {
  const message = messageWith('manage.settings.validation.range', { min: 0, max: 10 })
  expect(messageParts(message)).toEqual({ key: 'manage.settings.validation.range', params: { min: '0', max: '10' } })
  expect(translateError(translator('en'), message)).toBe('Enter a number from 0 to 10.')
  expect(translateError(translator('ja'), message)).toBe('0 から 10 までの数値を入力してください。')
  expect(
    translateError(translator('en'), messageWith('manage.settings.validation.range', { min: 0.000001, max: 1e6 })),
  ).toBe('Enter a number from 0.000001 to 1,000,000.')
  // A plain key and an already translated server message pass as before.
  expect(translateError(translator('en'), 'manage.settings.validation.whole')).toBe('Enter a whole number.')
  expect(translateError(translator('en'), 'Already translated?')).toBe('Already translated?')
})

test('an out-of-range scoring setting says which numbers are allowed', () => {
  const result = ScoringSettingsFormSchema.shape.halfLifeDays.safeParse(0)
  expect(result.success).toBe(false)
  const text = translateError(translator('en'), result.error?.issues[0]?.message ?? '')
  expect(text).toBe('Enter a number from 1 to 730.')
})
