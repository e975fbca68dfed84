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
