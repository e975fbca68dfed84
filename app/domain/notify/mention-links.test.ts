import { expect, test } from 'vitest'
import { renderHtml } from '#app/lib/markdown-render.mjs'
import { linkMentionsInHtml } from './mention-links.ts'

const names = new Map<string, number | null>([
  ['alice tanaka', 7],
  ['alice', 8],
  ['kim park', null],
  ['山田 太郎', 9],
  ["o'brien", 10],
])

/** The markdown rendered and sanitized as a post is, then linked. */
function linked(markdown: string, resolved = names): string {
  return linkMentionsInHtml(renderHtml(markdown), resolved)
}

test('a mention becomes a link to the profile of the longest name it matches; the rest stays as written', () => {
  expect(linked('Thanks @Alice Tanaka, and @alice!')).toBe(
    '<p>Thanks <a href="/users/7" class="mention">@Alice Tanaka</a>, and <a href="/users/8" class="mention">@alice</a>!</p>\n',
  )
})

test('mentions in code spans, code blocks and existing links stay plain text', () => {
  const html = linked('`@alice` and\n\n```\n@Alice Tanaka\n```\n\n[@alice](https://example.com) @alice')
  expect(html).toContain('<code>@alice</code>')
  expect(html).toContain('<code>@Alice Tanaka\n</code>')
  expect(html).toContain('<a href="https://example.com" rel="nofollow ugc noopener noreferrer">@alice</a>')
  expect(html.match(/class="mention"/g)).toHaveLength(1)
  expect(html).toContain(' <a href="/users/8" class="mention">@alice</a></p>')
})

test('an ambiguous name stays plain text, and no shorter name is linked in its place', () => {
  const html = linked('Ask @Kim Park about it', new Map([...names, ['kim', 11]]))
  expect(html).toBe('<p>Ask @Kim Park about it</p>\n')
})

test('a Japanese name is linked without the honorific that follows it', () => {
  expect(linked('@山田 太郎さん、ありがとうございます。')).toBe(
    '<p><a href="/users/9" class="mention">@山田 太郎</a>さん、ありがとうございます。</p>\n',
  )
})

test('escaped text stays escaped around and inside a link; email addresses and unknown names are not mentions', () => {
  expect(linked("a < b & @O'Brien > c, mail me@alice.example, @nobody")).toBe(
    '<p>a &lt; b &amp; <a href="/users/10" class="mention">@O\'Brien</a> &gt; c, mail <a href="mailto:me@alice.example" rel="nofollow ugc noopener noreferrer">me@alice.example</a>, @nobody</p>\n',
  )
})

test('mentions inside emphasis, lists and quotes are linked; text without a mention is returned unchanged', () => {
  const html = linked('> **@alice** look\n\n- item @Alice Tanaka')
  expect(html).toContain('<strong><a href="/users/8" class="mention">@alice</a></strong>')
  expect(html).toContain('<li>item <a href="/users/7" class="mention">@Alice Tanaka</a></li>')
  const plain = renderHtml('No one is mentioned & nothing changes.')
  expect(linkMentionsInHtml(plain, names)).toBe(plain)
  expect(linkMentionsInHtml(renderHtml('@alice'), new Map())).toBe('<p>@alice</p>\n')
})

test('a hostile text cannot open a tag through a name', () => {
  const hostile = new Map([['x<script>', 1]])
  expect(linked('@x<script>alert(1)</script>', hostile)).not.toContain('<script')
})
