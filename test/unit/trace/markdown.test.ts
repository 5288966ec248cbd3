import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { decodeEntities, linkTarget, Markdown } from '../../../renderer/components/trace/Markdown'

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text, onOpenLink: () => {} }))

/**
 * Markup that would run code or fetch something if it reached the DOM as HTML. Text is escaped
 * (`<` becomes `&lt;`), so every `<` left in the output opens a real element: attributes are
 * checked on those tags only, since the literal words "onerror=" may rightly appear as text.
 */
function expectInert(out: string): void {
  expect(out).not.toMatch(/<script/i)
  expect(out).not.toMatch(/<img/i)
  expect(out).not.toMatch(/<iframe/i)
  expect(out).not.toMatch(/<svg/i)
  expect(out).not.toMatch(/<object|<embed|<style|<link|<meta|<form|<input|<base/i)
  expect(out).not.toMatch(/href="javascript:/i)
  const tags = out.match(/<[^>]*>/g) ?? []
  for (const tag of tags) {
    expect(tag).not.toMatch(/\son[a-z]+=/i) // no event-handler attribute (onerror=, onload=, onclick=)
    expect(tag).not.toMatch(/\s(href|src|srcset|style|action|formaction)=/i) // links carry no href; nothing is fetched
  }
}

describe('Markdown is inert whatever the trace holds', () => {
  const payloads: [string, string][] = [
    ['script block', '<script>alert(1)</script>'],
    ['script inline', 'hello <script>alert(1)</script> world'],
    ['img onerror', '<img src=x onerror=alert(1)>'],
    ['img onerror inline', 'text <img src=x onerror=alert(1)> text'],
    ['javascript link', '[x](javascript:alert(1))'],
    ['javascript link, entity-encoded', '[x](&#106;avascript:alert(1))'],
    ['javascript link, tab inside scheme', '[x](java\tscript:alert(1))'],
    ['javascript autolink', '<javascript:alert(1)>'],
    ['reference link to javascript', '[x][r]\n\n[r]: javascript:alert(1)'],
    ['remote image', '![i](http://evil.example/p.png)'],
    ['image in link', '[![i](http://evil.example/p.png)](https://ok.example)'],
    ['svg onload', '<svg onload=alert(1)>'],
    ['iframe', '<iframe src="https://evil.example"></iframe>'],
    ['raw html block', '<div onclick="alert(1)">\n<p style="color:red">hi</p>\n</div>'],
    ['data url link', '[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['data url image', '![d](data:image/svg+xml,<svg onload=alert(1)>)'],
    ['vbscript', '[v](vbscript:msgbox(1))'],
    ['file url', '[f](file:///etc/passwd)'],
    ['html entities', '&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;'],
    ['html in table', '| a |\n|---|\n| <img src=x onerror=alert(1)> |'],
    ['html in code span', '`<script>alert(1)</script>`'],
    ['html in fenced code', '```html\n<script>alert(1)</script>\n```'],
    ['html comment', '<!-- <script>alert(1)</script> -->'],
    ['style tag', '<style>body{display:none}</style>'],
    ['form', '<form action="https://evil.example"><input name=x></form>'],
  ]
  for (const [name, src] of payloads) {
    it(name, () => expectInert(html(src)))
  }

  it('(the check above does catch live markup)', () => {
    expect(() => expectInert('<p><img src="x" onerror="alert(1)"></p>')).toThrow()
    expect(() => expectInert('<a href="javascript:alert(1)">x</a>')).toThrow()
    expect(() => expectInert('<span onmouseover="alert(1)">x</span>')).toThrow()
    expect(() => expectInert('<p>&lt;img src=x onerror=alert(1)&gt;</p>')).not.toThrow()
  })

  it('shows raw HTML as literal text the reader can see', () => {
    const out = html('<script>alert(1)</script>')
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html('hi <b>there</b>')).toContain('&lt;b&gt;')
  })

  it('describes images instead of loading them', () => {
    expect(html('![a cat](http://evil.example/p.png)')).toContain('[image: a cat — http://evil.example/p.png]')
  })

  it('makes unsafe links plain text with a warning', () => {
    const out = html('[click](javascript:alert(1))')
    expect(out).toContain('unsafe link')
    expect(out).not.toContain('md-link"')
    expect(out).toContain('click')
  })

  it('makes http, https and mailto links confirmable buttons without href', () => {
    const out = html('[docs](https://example.com/a?b=1) and <mailto:x@example.com> and www.example.org')
    expect(out.match(/class="md-link"/g)?.length).toBe(3)
    expect(out).toContain('role="link"')
    expect(out).toContain('title="https://example.com/a?b=1"')
  })

  it('decodes entities to text, which React escapes again', () => {
    expect(decodeEntities('a &amp; b &lt;x&gt; &#65;&#x42; &copy; &bogus;')).toBe('a & b <x> AB © &bogus;')
    const out = html('Salt &amp; pepper, 5 &lt; 6')
    expect(out).toContain('Salt &amp; pepper, 5 &lt; 6') // one escaping, not &amp;amp;
    expect(out).not.toContain('&amp;amp;')
  })
})

describe('linkTarget', () => {
  it.each([
    ['https://example.com/x', true],
    ['http://example.com', true],
    ['mailto:a@b.example', true],
    ['HTTPS://EXAMPLE.COM', true],
    ['javascript:alert(1)', false],
    ['JaVaScRiPt:alert(1)', false],
    [' javascript:alert(1)', false],
    ['&#106;avascript:alert(1)', false],
    ['java\nscript:alert(1)', false],
    ['data:text/html,hi', false],
    ['file:///etc/passwd', false],
    ['vbscript:msgbox(1)', false],
    ['/relative/path', false],
    ['example.com', false],
  ])('%s → openable %s', (href, openable) => {
    expect(linkTarget(href).openable).toBe(openable)
  })
})

describe('Markdown renders ordinary content as the right elements', () => {
  it('headings start below the trace view’s own h2/h3', () => {
    const out = html('# One\n## Two\n### Three\n###### Six')
    expect(out).toContain('<h3 class="md-h md-h1">One</h3>')
    expect(out).toContain('<h4 class="md-h md-h2">Two</h4>')
    expect(out).toContain('<h5 class="md-h md-h3">Three</h5>')
    expect(out).toContain('<h6 class="md-h md-h6">Six</h6>')
    expect(out).not.toMatch(/<h[12]/)
  })

  it('emphasis, strong, strikethrough, inline code, line breaks, hr', () => {
    const out = html('*a* **b** ~~c~~ `d`\nnext line\n\n---')
    expect(out).toContain('<em>a</em>')
    expect(out).toContain('<strong>b</strong>')
    expect(out).toContain('<del>c</del>')
    expect(out).toContain('<code>d</code>')
    expect(out).toContain('<br/>next line')
    expect(out).toContain('<hr/>')
  })

  it('fenced code keeps its text verbatim with a language label', () => {
    const out = html('```python\nif a < b and c > d:\n    print("&amp;")\n```')
    expect(out).toContain('<figcaption class="md-code-lang">python</figcaption>')
    expect(out).toContain('<pre><code>if a &lt; b and c &gt; d:\n    print(&quot;&amp;amp;&quot;)</code></pre>')
  })

  it('ordered, unordered, nested and task lists', () => {
    const out = html('3. three\n4. four\n\n- a\n  - nested\n- [x] done\n- [ ] todo')
    expect(out).toContain('<ol start="3"><li>')
    expect(out).toMatch(/<ul><li>.*a.*<ul><li>.*nested/)
    expect(out).toContain('aria-label="done"')
    expect(out).toContain('aria-label="not done"')
  })

  it('blockquotes and tables with alignment', () => {
    const out = html('> quoted **bold**\n\n| Item | Qty |\n|:--|--:|\n| egg | 2 |')
    expect(out).toContain('<blockquote><p>quoted <strong>bold</strong></p></blockquote>')
    expect(out).toContain('<th class="align-left">Item</th><th class="align-right">Qty</th>')
    expect(out).toContain('<td class="align-left">egg</td><td class="align-right">2</td>')
  })

  it('a recipe answer like the course data (bold labels, lists with bold leads, follow-up question)', () => {
    const recipe = [
      "Certainly! Here's a quick and flavorful Lemon Herb Salmon recipe that you can enjoy in about 20 minutes.",
      '',
      '### Lemon Herb Salmon',
      '',
      '**Ingredients:**',
      '- 2 salmon fillets',
      '- 1 lemon (for juice and zest)',
      '- Salt & freshly ground black pepper to taste',
      '',
      '**Steps:**',
      '',
      '1. **Prepare the Marinade:**',
      '   - In a small bowl, combine the juice of half the lemon, olive oil and garlic.',
      '   - Mix well.',
      '',
      '2. **Cook:** Bake at 200°C for 12–15 minutes.',
      '',
      'Would you like a side dish to go with it? 🍋',
    ].join('\n')
    const out = html(recipe)
    expect(out).toContain('<h5 class="md-h md-h3">Lemon Herb Salmon</h5>')
    expect(out).toContain('<strong>Ingredients:</strong>')
    expect(out.match(/<li>/g)?.length).toBe(7)
    expect(out).toContain('Salt &amp; freshly ground')
    expect(out).toContain('<strong>Prepare the Marinade:</strong>')
    expect(out).toMatch(/<ol><li><p><strong>Prepare the Marinade:<\/strong><\/p><ul>/)
    expect(out).toContain('🍋')
  })
})
