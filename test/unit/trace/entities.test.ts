/**
 * Issue 20 item 8: named HTML references (`&hearts; &Eacute; &check;`) showed raw in rendered
 * Markdown while numeric ones were decoded. Decoding is text-only: whatever a reference decodes to
 * (`&lt;script&gt;`) is escaped again by React, so no markup can come from it.
 */
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { decodeEntities, Markdown } from '../../../renderer/components/trace/Markdown'

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text, onOpenLink: () => {} }))

describe('HTML character references in Markdown', () => {
  it('decodes named references of the whole HTML standard', () => {
    expect(decodeEntities('&hearts; &Eacute; &check; &amp; &nbsp;|')).toBe('♥ É ✓ & \u00a0|')
    expect(decodeEntities('&NotNestedGreaterGreater; &fjlig;')).toBe('\u2aa2\u0338 fj')
  })

  it('decodes numeric references, decimal and hex', () => {
    expect(decodeEntities('&#65;&#x42;&#X43; &#128512; &#x2764;')).toBe('ABC 😀 ❤')
  })

  it('keeps what is not a valid reference, and replaces invalid code points', () => {
    expect(decodeEntities('&bogus; &amp &copy AT&T a & b &;')).toBe('&bogus; &amp &copy AT&T a & b &;')
    expect(decodeEntities('&#0; &#xD800; &#1114112;')).toBe('\ufffd \ufffd \ufffd')
  })

  it('renders decoded references as text in paragraphs, headings, lists and tables', () => {
    const out = html(
      '# Caf&eacute; &hearts;\n\n- &check; done\n\n| a |\n|---|\n| &Eacute;t&eacute; |\n\nI &hearts; &#60;3',
    )
    expect(out).toContain('Café ♥')
    expect(out).toContain('✓ done')
    expect(out).toContain('Été')
    expect(out).toContain('I ♥ &lt;3')
    expect(out).not.toContain('&amp;hearts;')
    expect(out).not.toContain('&amp;check;')
  })

  it('never turns a reference into markup', () => {
    const out = html('&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62; &lt;b&gt;x&lt;/b&gt;')
    expect(out).not.toMatch(/<script|<img|<b>/i)
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })

  it('leaves code spans and fenced code as written', () => {
    const out = html('`&hearts;`\n\n```\n&check;\n```')
    expect(out).toContain('&amp;hearts;')
    expect(out).toContain('&amp;check;')
  })
})
