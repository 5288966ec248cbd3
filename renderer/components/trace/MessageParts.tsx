import type { ReactNode } from 'react'
import type { ChatMessage } from '../../../shared/domain'
import type { KnownRole } from './chat-messages'
import { JsonOrText } from './JsonView'
import { LongText } from './LongText'
import { Markdown } from './Markdown'
import type { OpenLink } from './TraceFields'
import './trace.css'

type ToolCallData = NonNullable<ChatMessage['tool_calls']>[number]

/** One tool call of an assistant message: its arguments, then the result paired with it (if any). */
export function ToolCall({ call, result }: { call: ToolCallData; result: ChatMessage | undefined }) {
  return (
    <div className="tool-call" data-call-id={call.id}>
      <div className="tool-name">
        calls <code>{call.name}</code> <span className="muted">{call.id}</span>
      </div>
      {call.arguments.trim() === '' ? (
        <div className="muted empty-content">(no arguments)</div>
      ) : (
        <JsonOrText text={call.arguments} fallback={(t) => <LongText text={t} render={plain} />} />
      )}
      {result ? (
        <div className="tool-result" data-result-for={call.id}>
          <div className="tool-name">result{result.name && result.name !== call.name ? ` · ${result.name}` : ''}</div>
          <ToolContent content={result.content} />
        </div>
      ) : (
        <div className="tool-name muted tool-missing">no result in the trace</div>
      )}
    </div>
  )
}

/**
 * A message's own text, shown by role: chat turns as Markdown, prompts verbatim and folded,
 * tool output as JSON when it parses, anything else as plain text.
 */
export function MessageContent({
  message,
  role,
  onOpenLink,
}: {
  message: ChatMessage
  role: KnownRole | null
  onOpenLink: OpenLink
}) {
  const content = message.content
  if (content === null || content === '') {
    return message.tool_calls?.length ? null : <div className="muted empty-content">(no content)</div>
  }
  switch (role) {
    case 'user':
    case 'assistant':
      return <LongText text={content} render={(t) => <Markdown text={t} onOpenLink={onOpenLink} />} />
    case 'system':
    case 'developer':
      // Shown verbatim: whoever reads a prompt needs exactly what the model received.
      return (
        <LongText
          text={content}
          render={plain}
          collapse={{ lines: 3, label: role === 'system' ? 'system prompt' : 'developer prompt' }}
        />
      )
    case 'tool':
      return <ToolContent content={content} />
    default:
      return <LongText text={content} render={plain} />
  }
}

function ToolContent({ content }: { content: string | null }) {
  if (content === null || content === '') return <div className="muted empty-content">(empty result)</div>
  return <JsonOrText text={content} fallback={(t) => <LongText text={t} render={plain} />} />
}

const plain = (t: string): ReactNode => <pre className="plain-text">{t}</pre>
