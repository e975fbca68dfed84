// The addresses of the public pages, in one place: domain functions (notifications, search documents,
// suggestions) and routes build links with these, and the search engines store them.

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

/** `/help/<category slug>`; slugs may hold Japanese letters, which the URL percent-encodes. */
export function helpCategoryPath(categorySlug: string): string {
  return `/help/${encodeURIComponent(categorySlug)}`
}

/** The public address of a help article: `/help/<category slug>/<article slug>`. */
export function articlePath({ categorySlug, slug }: { categorySlug: string; slug: string }): string {
  return `${helpCategoryPath(categorySlug)}/${encodeURIComponent(slug)}`
}

export function articleEditPath(articleId: number): string {
  return `/help/articles/${articleId}/edit`
}
