// What a member's picture looks like wherever they appear: the address of the uploaded one (its version
// in the URL, so it can be cached for good) or, without one, their initials on a colour taken from
// their id. Plain code: components and the server both use it.

/** The side of the stored square image, in pixels: sharp enough for the largest place it is shown
 *  (the profile, 96 CSS pixels) on a screen of twice the density. */
export const AVATAR_SIDE = 256

/** The version of an avatar in its URL: the time it changed, in milliseconds. */
export function avatarVersion(updatedAt: Date | string): string {
  return String(new Date(updatedAt).getTime())
}

/** The address of a member's uploaded picture, or null when they have none (initials are shown). */
export function avatarPath(userId: number, updatedAt: Date | string | null | undefined): string | null {
  if (!updatedAt) return null
  return `/users/${userId}/avatar/${avatarVersion(updatedAt)}`
}

/** Letters of scripts written without capitals in a wide square (Han, kana, Hangul): one of them is
 *  a recognisable mark on its own, two would be cramped. */
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
const STARTS_WITH_LETTER = /^[\p{L}\p{N}]/u

/** The initials of a display name: the first letters of its first and last words ("Alice Tanaka" →
 *  "AT"), one character for names in Han, kana or Hangul ("山田 太郎" → "山"). Words that start with
 *  punctuation ("(CS)") are skipped; a name of symbols only gives its first character. */
export function initialsOf(displayName: string): string {
  const name = displayName.normalize('NFC').trim()
  const words = name.split(/\s+/).filter((word) => STARTS_WITH_LETTER.test(word))
  const firstOf = (word: string) => Array.from(word)[0] ?? ''
  if (!words.length) return firstOf(name) || '?'
  const first = firstOf(words[0]!)
  if (WIDE.test(first)) return first
  const last = words.length > 1 ? firstOf(words.at(-1)!) : ''
  return `${first}${WIDE.test(last) ? '' : last}`.toLocaleUpperCase()
}

/** Backgrounds for initials, each with white text at a contrast of at least 4.5:1 (WCAG AA for normal
 *  text; avatar.test.ts checks every one). */
export const AVATAR_COLOURS = [
  '#1d4ed8',
  '#b91c1c',
  '#047857',
  '#7e22ce',
  '#b45309',
  '#0f766e',
  '#be185d',
  '#4d7c0f',
  '#475569',
  '#0369a1',
] as const

/** The colour of a member's initials: fixed by their id, spread so that neighbouring ids differ. */
export function avatarColour(userId: number): string {
  // Knuth's multiplicative hash: consecutive ids land far apart in the palette.
  const hash = Math.imul(userId, 2654435761) >>> 0
  return AVATAR_COLOURS[hash % AVATAR_COLOURS.length]!
}
