/** Shows HTML made by `renderMarkdown` (app/lib/markdown.server.ts), which sanitized it on the server.
 *  The only place the app sets HTML from data; pass nothing else to it. */
export function Prose({ html, lang }: { html: string; lang?: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: the HTML comes only from the server-side sanitizer.
  return <div className="prose" lang={lang} dangerouslySetInnerHTML={{ __html: html }} />
}
