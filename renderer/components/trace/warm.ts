import type { ItemDetail } from '../../../shared/domain'
import { cutText, LONG_TEXT_CHARS, LONG_TEXT_LINES } from './LongText'
import { lexMarkdown } from './Markdown'

/**
 * Tokenizes the Markdown a trace will show, before it is shown: the Label screen calls it for the
 * next items while the reviewer reads this one, so the keypress that shows them only renders.
 * Only chat turns (user, assistant) and the input and output of text items, cut as LongText cuts
 * them; anything else is tokenized when it is shown, as before.
 */
export function warmTrace(item: ItemDetail): void {
  const texts =
    item.kind === 'chat' && item.messages.length > 0
      ? item.messages.filter((m) => m.role === 'user' || m.role === 'assistant').map((m) => m.content ?? '')
      : item.kind === 'pipeline' && item.steps.length > 0
        ? []
        : [item.input, item.output]
  for (const text of texts) if (text.trim() !== '') lexMarkdown(cutText(text, LONG_TEXT_CHARS, LONG_TEXT_LINES) ?? text)
}
