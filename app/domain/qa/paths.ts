/** A readable URL slug from a title: lower case, words joined by hyphens. Letters of any script are
 *  kept (a Japanese title keeps its characters; the URL percent-encodes them), punctuation is dropped. */
export function slugify(title: string, maxLength = 60): string {
  const slug = title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
  return slug.slice(0, maxLength).replace(/-+$/, '')
}

/** The canonical address of a question page: `/questions/42/how-to-export-csv`. */
export function questionPath(question: { id: number; title: string }): string {
  const slug = slugify(question.title)
  return slug ? `/questions/${question.id}/${encodeURIComponent(slug)}` : `/questions/${question.id}`
}

/** An answer's place on its question page. Without a page number the question page finds the page the
 *  answer is on (answers paginate) and redirects there. */
export function answerPath(question: { id: number; title: string }, answerId: number, page?: number): string {
  const query = page === undefined ? `?answer=${answerId}` : page > 1 ? `?page=${page}` : ''
  return `${questionPath(question)}${query}#answer-${answerId}`
}

export function userPath(userId: number): string {
  return `/users/${userId}`
}

export function tagPath(tag: string): string {
  return `/tags/${encodeURIComponent(tag)}`
}
