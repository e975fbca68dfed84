import { expect, test } from 'vitest'
import { AVATAR_COLOURS, avatarColour, avatarPath, initialsOf } from './avatar.ts'

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = Number.parseInt(hex.slice(at, at + 2), 16) / 255
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

test('white initials stand out on every background at 4.5:1 or more', () => {
  for (const colour of AVATAR_COLOURS) {
    const contrast = (1 + 0.05) / (luminance(colour) + 0.05)
    expect(contrast, colour).toBeGreaterThanOrEqual(4.5)
  }
})

test('a member keeps their colour, and neighbouring ids get different ones', () => {
  expect(avatarColour(42)).toBe(avatarColour(42))
  const colours = new Set(Array.from({ length: 10 }, (_, i) => avatarColour(100 + i)))
  expect(colours.size).toBeGreaterThan(5)
})

test('initials: first and last word, one character for Japanese names, punctuation skipped', () => {
  expect(initialsOf('Alice Tanaka')).toBe('AT')
  expect(initialsOf('  bob  ')).toBe('B')
  expect(initialsOf('Sato Haruka (CS)')).toBe('SH')
  expect(initialsOf('Mary Ann de la Cruz')).toBe('MC')
  expect(initialsOf('山田 太郎')).toBe('山')
  expect(initialsOf('さくら')).toBe('さ')
  expect(initialsOf('Émile Zola')).toBe('ÉZ')
  expect(initialsOf('🙂')).toBe('🙂')
  expect(initialsOf('')).toBe('?')
})

test('the picture’s address carries its version; none without an upload', () => {
  expect(avatarPath(7, new Date(1_700_000_000_123))).toBe('/users/7/avatar/1700000000123')
  expect(avatarPath(7, '2023-11-14T22:13:20.123Z')).toBe('/users/7/avatar/1700000000123')
  expect(avatarPath(7, null)).toBeNull()
})
