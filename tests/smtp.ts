import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export type ReceivedMail = { from: string; to: string[]; raw: string }

/** A real SMTP server on loopback that keeps what it receives. */
export async function startSmtpServer() {
  const received: ReceivedMail[] = []
  const waiters: (() => void)[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        })
        for (const wake of waiters.splice(0)) wake()
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** Resolves once `count` messages have arrived, or rejects after `timeoutMs`. */
    async waitFor(count: number, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} emails, got ${received.length}`)
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 250)
        })
      }
      return received
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** One MIME part: its headers (names lower-cased, folded lines joined) and its decoded content. */
export type MailPart = { headers: Record<string, string>; content: Buffer }

/** The parsed message: its top-level headers, the plain-text and HTML parts, and its attachments
 *  (multipart/mixed and multipart/alternative, nested, as nodemailer writes them). */
export type ParsedMail = {
  headers: Record<string, string>
  text: string | null
  html: string | null
  attachments: { filename: string; contentType: string; content: Buffer }[]
}

function splitHead(raw: string): [string, string] {
  const at = raw.search(/\r?\n\r?\n/)
  if (at < 0) return [raw, '']
  const gap = raw.slice(at).match(/^\r?\n\r?\n/)![0].length
  return [raw.slice(0, at), raw.slice(at + gap)]
}

function headersOf(head: string): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return headers
}

function decode(body: string, encoding: string | undefined): Buffer {
  if (/base64/i.test(encoding ?? '')) return Buffer.from(body.replace(/\s+/g, ''), 'base64')
  if (/quoted-printable/i.test(encoding ?? '')) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    return Buffer.from(bytes, 'latin1')
  }
  return Buffer.from(body, 'utf8')
}

function leaves(raw: string): MailPart[] {
  const [head, body] = splitHead(raw)
  const headers = headersOf(head)
  const boundary = /multipart\/[^;]+;.*boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1]
  if (!boundary) return [{ headers, content: decode(body, headers['content-transfer-encoding']) }]
  const parts = body.split(`--${boundary}`).slice(1)
  return parts
    .filter((part) => !part.startsWith('--'))
    .flatMap((part) => leaves(part.replace(/^\r?\n/, '').replace(/\r?\n$/, '')))
}

/** Parses a received message into its parts. */
export function parseMail(raw: string): ParsedMail {
  const headers = headersOf(splitHead(raw)[0])
  const parsed: ParsedMail = { headers, text: null, html: null, attachments: [] }
  for (const part of leaves(raw)) {
    const type = part.headers['content-type'] ?? 'text/plain'
    const disposition = part.headers['content-disposition'] ?? ''
    const filename = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? /name="?([^";]+)"?/i.exec(type)?.[1]
    if (/attachment/i.test(disposition) || (filename && !/^text\/(plain|html)/i.test(type))) {
      parsed.attachments.push({ filename: filename ?? '', contentType: type, content: part.content })
    } else if (/^text\/html/i.test(type)) parsed.html ??= part.content.toString('utf8')
    else if (/^text\/plain/i.test(type)) parsed.text ??= part.content.toString('utf8')
  }
  return parsed
}

/** The decoded plain text of a received message (nodemailer sends UTF-8 text as quoted-printable or
 *  base64; a message with an HTML alternative or attachments is multipart, and this is its text part). */
export function decodedBody(raw: string): string {
  return parseMail(raw).text ?? ''
}
