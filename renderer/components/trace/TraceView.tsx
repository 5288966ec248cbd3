import type { ItemDetail } from '../../../shared/domain'
import { Assessments } from './Assessments'
import { Conversation } from './Conversation'
import { PipelineSteps } from './PipelineSteps'
import { Field, MetadataPanel } from './TraceFields'
import './trace.css'

// The pure message logic lives in chat-messages.ts; re-exported because tests import it from here.
export { KNOWN_ROLES, knownRole, pairToolCalls, type KnownRole, type PairedTrace } from './chat-messages'

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
        <PipelineSteps
          steps={item.steps}
          onOpenLink={onOpenLink}
          stepFocus={stepFocus}
          firstFailingStep={firstFailingStep}
        />
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
