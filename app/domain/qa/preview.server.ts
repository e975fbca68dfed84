import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { withMentionLinks } from '#app/domain/notify/mentions.server.ts'
import { renderMarkdown } from '#app/lib/markdown.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { hitRateLimit, rateRules, waitParams } from '#app/lib/rate-limit.server.ts'
import type { Db } from '#db/client.server.ts'

/** The preview of a markdown body, as the post would show it (questions, answers, help articles and
 *  events share the editor). Each preview costs a render, and nothing else limits how often one is
 *  asked for, so each user gets `rateRules.previewPerUser` of them; past it the answer is a 429 with
 *  the wait, and the route shows the form again with what was typed. With `linkMentions` (questions
 *  and answers) mentions are linked as saving links them. */
export async function previewMarkdown(
  db: Db,
  user: SessionUser,
  markdown: string,
  { linkMentions = false }: { linkMentions?: boolean } = {},
): Promise<Outcome<string>> {
  const pace = await hitRateLimit(db, `preview:${user.id}`, rateRules.previewPerUser)
  if (!pace.allowed) return fail(429, 'qa.preview_too_fast', { params: waitParams(pace.retryAfterSeconds, 'seconds') })
  const bodyHtml = await renderMarkdown(markdown)
  // Questions and answers store their mentions as links (withMentionLinks); their preview shows them so.
  if (!linkMentions) return ok(bodyHtml)
  return ok((await withMentionLinks(db, { bodyMd: markdown, bodyHtml })).bodyHtml)
}
