/** The bytes of an uploaded CSV file as text: UTF-8 when they are valid UTF-8, otherwise Shift_JIS,
 *  which Excel still writes for Japanese CSV. */
export function decodeCsvBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('shift_jis').decode(bytes)
  }
}

/** A value of a CSV file being written: text is escaped (and guarded against formulas), numbers are
 *  written as they are, null and undefined as an empty field. */
export type CsvCell = string | number | null | undefined

/** The byte-order mark Excel needs to read a CSV file as UTF-8 (without it, Japanese turns to mojibake). */
export const UTF8_BOM = '\uFEFF'

// Spreadsheets run a cell that starts with one of these as a formula (CSV injection, OWASP): such text
// is written with a leading apostrophe, which spreadsheets show as text.
const FORMULA_START = /^[=+\-@\t\r]/

/** One field per RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled. Text
 *  that a spreadsheet would run as a formula gets a leading apostrophe first. Numbers are ours, never
 *  user text, so a negative number stays a number. */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** A whole CSV document: a header row and the rows, CRLF line ends (RFC 4180), UTF-8 with a BOM. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','))
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`
}

/** A CSV download: `text/csv; charset=utf-8`, saved under `filename` (ASCII letters, digits, `.`, `-`
 *  and `_` only, so the header needs no encoding), never cached by shared caches. */
export function csvResponse(filename: string, header: readonly string[], rows: readonly (readonly CsvCell[])[]) {
  const safe = filename.replace(/[^A-Za-z0-9._-]/g, '_')
  return new Response(toCsv(header, rows), {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${safe}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
