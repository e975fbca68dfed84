import type { UploadType } from './types.ts'

// What a file is, read from its bytes. The name and the type the browser sent are never trusted: a
// `.png` holding HTML is HTML. Images are recognised by their signature here and confirmed by sharp
// when decoded; anything else must be one of the file kinds below or it is refused.

export type Sniffed =
  /** A raster image sharp will decode and re-encode. */
  | { kind: 'image'; type: Extract<UploadType, 'jpeg' | 'png' | 'gif' | 'webp' | 'avif'> }
  /** A file stored as sent and served as a download with this content type. */
  | { kind: 'file'; type: Exclude<UploadType, 'jpeg' | 'png' | 'gif' | 'webp' | 'avif'>; contentType: string }
  /** Markup a browser would run (refused whatever the settings), or bytes of no known kind. */
  | { kind: 'refused'; type: 'html' | 'unknown' }

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  signature.every((byte, i) => bytes[at + i] === byte)
const ascii = (bytes: Uint8Array, from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1')

/** The file name's extension, lower case, without the dot ('' when none). */
export function extensionOf(name: string): string {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(name)
  return match ? match[1]!.toLowerCase() : ''
}

const officeTypes: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
}

/** Extensions a plain-text file keeps; any other gets `.txt` added. */
export const textExtensions = [
  'txt',
  'log',
  'md',
  'json',
  'yaml',
  'yml',
  'xml',
  'ini',
  'conf',
  'cfg',
  'sql',
  'csv',
  'tsv',
]

/** The image formats by signature. AVIF (and HEIF) is an ISO media file whose brand says `avif`. */
function imageTypeOf(bytes: Uint8Array): Extract<Sniffed, { kind: 'image' }>['type'] | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif'
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp'
  if (ascii(bytes, 4, 8) === 'ftyp' && /^(avif|avis)$/.test(ascii(bytes, 8, 12))) return 'avif'
  return null
}

/** The opening a browser would read as HTML (the WHATWG sniffing patterns), after leading white space. */
const HTML_START =
  /^(?:\uFEFF)?\s*<(?:!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p|meta|link|object|embed|svg|math|form|img|base|!--)[\s/>]/i

/** Whether bytes look like text: no NUL and few control characters in the first 8 KB (UTF-8 or a
 *  legacy encoding such as Shift_JIS alike). */
function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192)
  let control = 0
  for (const byte of sample) {
    if (byte === 0) return false
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) control++
  }
  return control <= sample.length / 100
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

/** What the bytes are, with the name's extension deciding only between kinds the content allows
 *  (a ZIP named `.docx` is a Word document; text named `.csv` is CSV). */
export function sniff(bytes: Uint8Array, name: string): Sniffed {
  const image = imageTypeOf(bytes)
  if (image) return { kind: 'image', type: image }
  const ext = extensionOf(name)
  if (ascii(bytes, 0, 5) === '%PDF-') return { kind: 'file', type: 'pdf', contentType: 'application/pdf' }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    if (['docx', 'xlsx', 'pptx'].includes(ext)) return { kind: 'file', type: 'office', contentType: officeTypes[ext]! }
    return { kind: 'file', type: 'zip', contentType: 'application/zip' }
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) && ['doc', 'xls', 'ppt'].includes(ext)) {
    return { kind: 'file', type: 'office', contentType: officeTypes[ext]! }
  }
  if (!looksLikeText(bytes)) return { kind: 'refused', type: 'unknown' }
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8')
  const svg = /<svg[\s>]/i.test(head) && /^(?:\uFEFF)?\s*<(?:\?xml|!doctype\s+svg|svg|!--)/i.test(head)
  if (svg) return { kind: 'file', type: 'svg', contentType: 'image/svg+xml' }
  if (HTML_START.test(head) || /<\s*(?:script|iframe)[\s>]/i.test(head)) return { kind: 'refused', type: 'html' }
  const charset = isUtf8(bytes) ? '; charset=utf-8' : ''
  if (ext === 'csv' || ext === 'tsv') {
    return {
      kind: 'file',
      type: 'csv',
      contentType: `text/${ext === 'tsv' ? 'tab-separated-values' : 'csv'}${charset}`,
    }
  }
  return { kind: 'file', type: 'text', contentType: `text/plain${charset}` }
}

/** The extension each stored kind ends in (images as re-encoded; AVIF becomes WebP). */
const extensionsOf: Record<string, readonly string[]> = {
  jpeg: ['jpg', 'jpeg'],
  png: ['png'],
  gif: ['gif'],
  webp: ['webp'],
  pdf: ['pdf'],
  zip: ['zip'],
  svg: ['svg'],
  csv: ['csv', 'tsv'],
  text: textExtensions,
}

/** A file name safe in a URL, a header and markdown: the last path part, letters, digits, `.`, `-`
 *  and `_` only (others become `-`), at most 100 characters, ending in an extension of what the file
 *  is (`photo.png` that is a JPEG becomes `photo.jpg`; `notes` that is text becomes `notes.txt`). */
export function safeFileName(name: string, format: string, officeExt?: string): string {
  const base =
    (name.split(/[\\/]/).pop() ?? '')
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}._-]+/gu, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '') || 'file'
  const ext = extensionOf(base)
  const allowed = format === 'office' ? [officeExt ?? ext] : (extensionsOf[format] ?? [])
  const stem = (allowed.includes(ext) ? base.slice(0, -(ext.length + 1)) : base).replace(/[-.]+$/, '') || 'file'
  const kept = allowed.includes(ext) ? ext : (allowed[0] ?? ext)
  const cut = [...stem].slice(0, 90).join('')
  return kept ? `${cut}.${kept}` : cut
}
