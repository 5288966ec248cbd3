import { useDeferredValue, useMemo } from 'react'
import type { ChatMessage } from '../../../shared/domain'
import { firstPaintCount, knownRole, pairToolCalls } from './chat-messages'
import { MessageContent, ToolCall } from './MessageParts'
import type { OpenLink } from './TraceFields'
import './trace.css'

/**
 * The chat bubbles of a trace, each tool result under its call. Only the messages within the
 * first-paint budget render with the keypress; the rest follow in a deferred render.
 */
export function Conversation({
  messages,
  onOpenLink,
  firstPaintChars,
}: {
  messages: ChatMessage[]
  onOpenLink: OpenLink
  firstPaintChars: number
}) {
  const { shown, resultOf } = useMemo(() => pairToolCalls(messages), [messages])
  const first = useMemo(() => firstPaintCount(messages, shown, firstPaintChars), [messages, shown, firstPaintChars])
  const count = useDeferredValue(shown.length, first)
  return (
    <section className="messages" aria-label="Conversation">
      {shown.slice(0, count).map((i) => (
        <Message
          key={i}
          message={messages[i]}
          index={i}
          messages={messages}
          resultOf={resultOf}
          onOpenLink={onOpenLink}
        />
      ))}
      {count < shown.length && (
        <p className="muted trace-pending" role="status">
          Rendering {shown.length - count} more messages…
        </p>
      )}
    </section>
  )
}

interface MessageProps {
  message: ChatMessage
  index: number
  messages: ChatMessage[]
  resultOf: Map<string, number>
  onOpenLink: OpenLink
}

function Message({ message, index, messages, resultOf, onOpenLink }: MessageProps) {
  const role = knownRole(message.role)
  const orphan = message.tool_call_id !== undefined // shown in place, so no call claimed it
  return (
    <div className={`bubble role-${role ?? 'unknown'}`} data-role={message.role}>
      <div className="role">
        <span>{message.role || '(no role)'}</span>
        {message.name && <span className="role-name"> · {message.name}</span>}
        {!role && (
          <span className="trace-badge warn" title="Not one of system, developer, user, assistant, tool">
            unknown role
          </span>
        )}
        {orphan && (
          <span className="trace-badge" title={`tool_call_id ${message.tool_call_id}`}>
            result without a matching call
          </span>
        )}
      </div>
      <MessageContent message={message} role={role} onOpenLink={onOpenLink} />
      {message.tool_calls?.map((call, k) => {
        const resultIndex = resultOf.get(`${index}:${k}`)
        return <ToolCall key={k} call={call} result={resultIndex === undefined ? undefined : messages[resultIndex]} />
      })}
    </div>
  )
}
