import { useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { ChatMessage, ItemDetail, Step } from '../../../shared/domain'
import { VerdictBadge } from '../VerdictBadge'
import { JsonOrText, JsonView } from './JsonView'
import { activateOnEnter, LongText } from './LongText'
import { Markdown } from './Markdown'
import './trace.css'

/**
 * One trace as a reader needs it (DESIGN §3, screen 3): chat bubbles by role with each tool
 * call beside its result, system prompts folded, pipeline steps as numbered sections, metadata
 * on demand. Content is untrusted (§6): it reaches the DOM only as React text.
 */
export function TraceView(props: TraceViewProps) {
  // Keyed by item: folds, "show all" and the first-paint budget start afresh on every item.
  return <Trace key={props.item.id} {...props} />
}

function Trace({
  item,
  onOpenLink = openInBrowser,
  firstPaintChars = FIRST_PAINT_CHARS,
  showAssessments = true,
  stepFocus = null,
  firstFailingStep = null,
}: TraceViewProps) {
  const hasMessages = item.kind === 'chat' && item.messages.length > 0
  return (
    <article className="item-view trace" data-testid="item-view" aria-label={`Item ${item.externalId}`}>
      <header className="item-head">
        <h2>{item.externalId}</h2>
        <span className="trace-meta">
          <span className="trace-tag" title="Dataset">
            {item.dataset}
          </span>
          <span className="trace-tag" title="Kind">
            {item.kind}
          </span>
        </span>
      </header>
      {showAssessments && <Assessments item={item} />}
      {hasMessages && (
        <Conversation messages={item.messages} onOpenLink={onOpenLink} firstPaintChars={firstPaintChars} />
      )}
      {item.kind === 'pipeline' && item.steps.length > 0 && (
        <section className="steps" aria-label="Pipeline steps">
          {item.steps.map((s, i) => (
            <StepView
              key={`${s.index}-${i}`}
              step={s}
              number={i + 1}
              onOpenLink={onOpenLink}
              focused={stepFocus === i}
              firstFailing={firstFailingStep === s.index}
            />
          ))}
        </section>
      )}
      {/* Text items, and any trace whose messages or steps are missing, still show input and output. */}
      {!hasMessages && !(item.kind === 'pipeline' && item.steps.length > 0) && (
        <>
          <Field title="Input" text={item.input} onOpenLink={onOpenLink} />
          <Field title="Output" text={item.output} onOpenLink={onOpenLink} />
        </>
      )}
      <MetadataPanel metadata={item.metadata} />
    </article>
  )
}

/** Props of TraceView; the Data and Label screens pass the item they show. */
export interface TraceViewProps {
  item: ItemDetail
  /** Called with a checked http(s)/mailto URL after the user confirmed; defaults to the system browser. */
  onOpenLink?: (url: string) => void
  /** Characters of chat content rendered before the first paint; see FIRST_PAINT_CHARS. */
  firstPaintChars?: number
  /** The recorded labels and verdicts (the Label screen shows its own, blind-aware panel instead). */
  showAssessments?: boolean
  /** The position of the pipeline step the reviewer points at (`[` / `]`). */
  stepFocus?: number | null
  /** The step index marked as the first failing one. */
  firstFailingStep?: number | null
}

/**
 * A keypress must paint the next item at once (DESIGN §6), but a 1 MB trace takes a few hundred
 * ms to tokenize and render. So only the messages within this many characters render with the
 * keypress; the rest follow in a background render (useDeferredValue) that a new keypress
 * interrupts. Ordinary traces fit whole and render in one pass.
 */
export const FIRST_PAINT_CHARS = 60_000

/**
 * Opens a confirmed link outside the app: Electron's window-open handler hands it to the system
 * browser; in `assay serve` it is a new tab, without opener or referrer.
 */
export function openInBrowser(url: string): void {
  window.open(url, '_blank', 'noopener,noreferrer')
}

/** Roles we know how to show; anything else (e.g. the real typo `asssistant`) is flagged. */
export const KNOWN_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const
type KnownRole = (typeof KNOWN_ROLES)[number]

/** The normalized known role, or null for anything else (shown as written, with a badge). */
export function knownRole(role: string): KnownRole | null {
  const r = role.trim().toLowerCase()
  return (KNOWN_ROLES as readonly string[]).includes(r) ? (r as KnownRole) : null
}

/** What the conversation shows: each message once, with tool results moved under their call. */
export interface PairedTrace {
  /** Indexes of messages shown in place (paired tool results are left out). */
  shown: number[]
  /** `${message index}:${call index}` → index of the `tool` message answering that call. */
  resultOf: Map<string, number>
}

/**
 * Pairs tool calls with results by `tool_call_id`. A result moves under its call only when a
 * call with that id exists; each call takes the first unused result with its id, so a repeated
 * id pairs in order; results left over stay where they are (flagged in the view).
 */
export function pairToolCalls(messages: ChatMessage[]): PairedTrace {
  const results = new Map<string, number[]>()
  messages.forEach((m, i) => {
    if (m.tool_call_id === undefined) return
    const list = results.get(m.tool_call_id)
    if (list) list.push(i)
    else results.set(m.tool_call_id, [i])
  })
  const resultOf = new Map<string, number>()
  const used = new Set<number>()
  messages.forEach((m, i) =>
    m.tool_calls?.forEach((call, k) => {
      const next = results.get(call.id)?.shift()
      if (next === undefined) return
      resultOf.set(`${i}:${k}`, next)
      used.add(next)
    }),
  )
  return { shown: messages.map((_, i) => i).filter((i) => !used.has(i)), resultOf }
}

type OpenLink = (url: string) => void

function Conversation({
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

/** How many shown messages fit in the first-paint budget (at least one). */
function firstPaintCount(messages: ChatMessage[], shown: number[], budget: number): number {
  let chars = 0
  for (let n = 0; n < shown.length; n++) {
    const m = messages[shown[n]]
    chars += (m.content?.length ?? 0) + (m.tool_calls?.reduce((sum, c) => sum + c.arguments.length, 0) ?? 0)
    if (chars > budget) return Math.max(1, n)
  }
  return shown.length
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
        const result = resultIndex === undefined ? undefined : messages[resultIndex]
        return (
          <div key={k} className="tool-call" data-call-id={call.id}>
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
                <div className="tool-name">
                  result{result.name && result.name !== call.name ? ` · ${result.name}` : ''}
                </div>
                <ToolContent content={result.content} />
              </div>
            ) : (
              <div className="tool-name muted tool-missing">no result in the trace</div>
            )}
          </div>
        )
      })}
    </div>
  )
}

function MessageContent({
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

function StepView({
  step,
  number,
  onOpenLink,
  focused,
  firstFailing,
}: {
  step: Step
  number: number
  onOpenLink: OpenLink
  focused: boolean
  firstFailing: boolean
}) {
  const ref = useRef<HTMLElement>(null)
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: 'nearest' })
  }, [focused])
  return (
    <section
      ref={ref}
      className={`step${focused ? ' focused' : ''}${firstFailing ? ' first-failing' : ''}`}
      data-step={step.index}
      aria-label={`Step ${number}: ${step.name}`}
      aria-current={focused ? 'step' : undefined}
    >
      <h3>
        <span className="step-number">{number}</span> {step.name}
        {firstFailing && <span className="first-failing-badge">first failing step</span>}
      </h3>
      <Field title="Input" text={step.input} onOpenLink={onOpenLink} />
      <Field title="Output" text={step.output} onOpenLink={onOpenLink} />
      {Object.keys(step.metadata).length > 0 && <Collapsible title="Step metadata" value={step.metadata} />}
    </section>
  )
}

/** A titled text: a JSON tree when it parses as JSON, else Markdown, cut when long. */
function Field({ title, text, onOpenLink }: { title: string; text: string; onOpenLink: OpenLink }) {
  return (
    <section className="block">
      <h4>{title}</h4>
      {text.trim() === '' ? (
        <div className="muted empty-content">(empty)</div>
      ) : (
        <JsonOrText
          text={text}
          fallback={(t) => <LongText text={t} render={(v) => <Markdown text={v} onOpenLink={onOpenLink} />} />}
        />
      )}
    </section>
  )
}

function MetadataPanel({ metadata }: { metadata: Record<string, unknown> }) {
  if (Object.keys(metadata).length === 0) return null
  return <Collapsible title="Metadata" value={metadata} className="metadata" />
}

/** Folded by default; the tree is not rendered at all until opened. */
function Collapsible({ title, value, className = '' }: { title: string; value: unknown; className?: string }) {
  const [open, setOpen] = useState(false)
  const toggle = () => setOpen((o) => !o)
  const count = value && typeof value === 'object' ? Object.keys(value).length : 0
  return (
    <section className={`block collapsible ${className}`}>
      <button
        type="button"
        className="collapsible-toggle"
        aria-expanded={open}
        onClick={toggle}
        onKeyDown={activateOnEnter(toggle)}
      >
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {title}{' '}
        <span className="muted">
          ({count} {count === 1 ? 'key' : 'keys'})
        </span>
      </button>
      {open && <JsonView value={value} />}
    </section>
  )
}

const plain = (t: string): ReactNode => <pre className="plain-text">{t}</pre>

/** Human labels and judge verdicts already recorded for this item. */
function Assessments({ item }: { item: ItemDetail }) {
  if (item.labels.length === 0 && item.verdicts.length === 0) return <p className="muted">Not labeled yet.</p>
  return (
    <table className="assessments">
      <tbody>
        {item.labels.map((l) => (
          <tr key={`l-${l.criterion}-${l.annotator}`}>
            <th>{l.criterion}</th>
            <td>
              <VerdictBadge verdict={l.verdict} /> human ({l.annotator})
              {l.split && <span className="muted"> · {l.split} split</span>}
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
