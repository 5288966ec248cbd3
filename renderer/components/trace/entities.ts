import { decodeHTMLStrict } from 'entities'

/**
 * Decodes HTML character references into plain text (React escapes it again on output).
 * marked leaves references such as `&hearts;` or `&#60;` in text tokens for an HTML renderer to
 * interpret; we have none, so we decode them with the `entities` package, which knows every name
 * of the HTML standard (`&Eacute;`, `&check;`, …). Strict: only references ending in `;` are
 * decoded, as before; unknown names stay as written, and invalid code points (`&#0;`, a lone
 * surrogate, past U+10FFFF) become U+FFFD as the HTML standard says.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text
  return decodeHTMLStrict(text)
}
