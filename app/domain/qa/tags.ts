export const MAX_TAGS = 5
export const MAX_TAG_LENGTH = 32

/** The one spelling of a tag: NFKC (full-width letters become half-width), lower case, spaces and
 *  underscores become hyphens. Letters of any script, digits and `+ # . -` are kept. */
export function normalizeTag(raw: string): string {
  return raw
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/[^\p{L}\p{N}+#.-]/gu, '')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
}

/** Splits what was typed in the tags field into distinct tags. With a comma (or a Japanese comma)
 *  anywhere, commas separate tags and spaces inside one become hyphens ("data export" → data-export);
 *  without one, spaces separate them, as on Stack Overflow. */
export function parseTags(input: string): string[] {
  const separator = /[,、，]/.test(input) ? /[,、，]+/ : /\s+/
  const tags = input.split(separator).map(normalizeTag).filter(Boolean)
  return [...new Set(tags)]
}
