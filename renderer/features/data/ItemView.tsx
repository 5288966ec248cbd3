import type { ChatMessage, ItemDetail } from '../../../shared/domain'
import { VerdictBadge } from '../../components/VerdictBadge'

/**
 * One trace as a reader needs it: chat messages by role with tool calls beside their results,
 * or pipeline steps as sections. Content is untrusted, so it is only ever rendered as text.
 */
export function ItemView({ item }: { item: ItemDetail }) {
  const results = new Map(item.messages.filter((m) => m.tool_call_id).map((m) => [m.tool_call_id!, m]))
  return (
    <article className="item-view" data-testid="item-view" aria-label={`Item ${item.externalId}`}>
      <header className="item-head">
        <h2>{item.externalId}</h2>
        <span className="muted">
          {item.dataset} · {item.kind}
        </span>
      </header>
      <Assessments item={item} />
      {item.kind === 'chat' && (
        <section className="messages">
          {item.messages
            .filter((m) => !(m.role === 'tool' && m.tool_call_id && paired(item.messages, m.tool_call_id)))
            .map((m, i) => (
              <Message key={i} message={m} results={results} />
            ))}
        </section>
      )}
      {item.kind === 'pipeline' && (
        <section className="steps">
          {item.steps.map((s) => (
            <section key={s.index} className="step">
              <h3>
                Step {s.index + 1}: {s.name}
              </h3>
              <Block title="Input" text={s.input} />
              <Block title="Output" text={s.output} />
            </section>
          ))}
        </section>
      )}
      {item.kind === 'text' && (
        <>
          <Block title="Input" text={item.input} />
          <Block title="Output" text={item.output} />
        </>
      )}
      {Object.keys(item.metadata).length > 0 && <Block title="Metadata" text={JSON.stringify(item.metadata, null, 2)} />}
    </article>
  )
}

function Assessments({ item }: { item: ItemDetail }) {
  if (item.labels.length === 0 && item.verdicts.length === 0) return <p className="muted">Not labeled yet.</p>
  return (
    <table className="assessments">
      <tbody>
        {item.labels.map((l) => (
          <tr key={`l-${l.criterion}-${l.annotator}`}>
            <th>{l.criterion}</th>
            <td>
              <VerdictBadge verdict={l.verdict} /> human ({l.annotator}){l.split && <span className="muted"> · {l.split} split</span>}
            </td>
            <td className="note">{l.note}</td>
          </tr>
        ))}
        {item.verdicts.map((v) => (
          <tr key={`v-${v.runId}`}>
            <th>{v.criterion}</th>
            <td>
              <VerdictBadge verdict={v.verdict} /> {v.judge} v{v.version} <span className="muted">· {v.scope} run</span>
            </td>
            <td className="note">{v.critique}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Message({ message, results }: { message: ChatMessage; results: Map<string, ChatMessage> }) {
  return (
    <div className={`bubble role-${message.role.toLowerCase()}`}>
      <div className="role">{message.role}{message.name ? ` · ${message.name}` : ''}</div>
      {message.content && <div className="text">{message.content}</div>}
      {message.tool_calls?.map((call) => (
        <div key={call.id} className="tool-call">
          <div className="tool-name">
            calls <code>{call.name}</code>
          </div>
          <pre>{pretty(call.arguments)}</pre>
          {results.has(call.id) && (
            <>
              <div className="tool-name">result</div>
              <pre>{pretty(results.get(call.id)!.content ?? '')}</pre>
            </>
          )}
        </div>
      ))}
    </div>
  )
}

function Block({ title, text }: { title: string; text: string }) {
  return (
    <section className="block">
      <h4>{title}</h4>
      <pre>{pretty(text)}</pre>
    </section>
  )
}

const paired = (messages: ChatMessage[], id: string) => messages.some((m) => m.tool_calls?.some((c) => c.id === id))

function pretty(text: string): string {
  const trimmed = text.trim()
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return text
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2)
  } catch {
    return text
  }
}
