/** An upload's address inside plain text: `/uploads/<id>/<name>`, alone or after this site's origin. */
const UPLOAD_ADDRESS = /(?:https?:\/\/[^\s/]+)?(\/uploads\/[A-Za-z0-9_-]{22}\/[^\s<>"'()[\]]{1,300})/g

/** Plain text (a comment) with each upload address in it as a link to the file on this site, so a
 *  screenshot mentioned in a comment opens in one click. Everything else stays text. */
export function TextWithUploadLinks({ text }: { text: string }) {
  const parts: React.ReactNode[] = []
  let last = 0
  for (const match of text.matchAll(UPLOAD_ADDRESS)) {
    const at = match.index ?? 0
    if (at > last) parts.push(text.slice(last, at))
    parts.push(
      <a key={at} href={match[1]} rel="nofollow ugc">
        {match[0]}
      </a>,
    )
    last = at + match[0].length
  }
  if (last < text.length) parts.push(text.slice(last))
  return <>{parts}</>
}
