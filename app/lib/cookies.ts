/** The value of one cookie from a Cookie header, or null. A value that is not valid percent-encoding,
 *  or that decodes to a control character, is no value: cookies come from the client and a broken
 *  one must not break the page (or reach a database query). */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    if (part.slice(0, eq).trim() !== name) continue
    try {
      const value = decodeURIComponent(part.slice(eq + 1).trim())
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
      return /[\u0000-\u001f\u007f]/.test(value) ? null : value
    } catch {
      return null
    }
  }
  return null
}
