/**
 * Span exports (OpenInference / Phoenix, OpenTelemetry GenAI, OTLP JSON, Langfuse observations)
 * assembled into traces: one tree per trace id, children ordered by start time, descendants as
 * named pipeline steps.
 */
import type { ChatMessage } from '../../../shared/domain'
import type { SpanMapping } from '../../../shared/import'
import { asContainer, getField, isPlainObject, toText } from './fields'
import { spanContent, timeKey, type SpanContent, type SpanIo } from './span-content'
import type { TraceStep } from './traces'
import type { RecordError, SourceRecord } from './types'

/** One trace assembled from its spans. `rootFields` is the root's record minus what the assembly consumed. */
export interface SpanTrace {
  traceId: string
  root: SourceRecord
  rootFields: Record<string, unknown>
  input: string
  output: string
  messages: ChatMessage[]
  steps: TraceStep[]
  metadata: Record<string, unknown>
}

interface SpanNode {
  record: SourceRecord
  index: number
  traceId: string
  spanId: string
  parentId: string
  name: string
  start: number | null
  /** Tie-break among spans that started at once (LangSmith's `dotted_order`). */
  order: string
  children: SpanNode[]
  orphanOf?: string
}

/**
 * OTLP JSON files nest spans as resourceSpans → scopeSpans → spans; each span becomes one record
 * (with the resource's `service.name` kept). Records already flat pass through unchanged.
 */
export function expandOtlpRecords(records: SourceRecord[]): SourceRecord[] {
  return records.flatMap((r) => {
    const resourceSpans = Array.isArray(r.fields.resourceSpans)
      ? r.fields.resourceSpans
      : Array.isArray(r.fields.scopeSpans)
        ? [r.fields]
        : null
    if (!resourceSpans) return [r]
    const out: SourceRecord[] = []
    for (const rs of resourceSpans) {
      if (!isPlainObject(rs)) continue
      const resource = isPlainObject(rs.resource) ? (asContainer(rs.resource.attributes) ?? {}) : {}
      for (const ss of Array.isArray(rs.scopeSpans) ? rs.scopeSpans : []) {
        if (!isPlainObject(ss) || !Array.isArray(ss.spans)) continue
        for (const span of ss.spans) {
          if (!isPlainObject(span)) continue
          const service = resource['service.name']
          out.push({
            line: r.line,
            fields: service === undefined ? span : { ...span, 'resource.service.name': service },
          })
        }
      }
    }
    return out
  })
}

const isNullId = (id: string) => id === '' || /^0+$/.test(id) || /^(none|null|nan|undefined)$/i.test(id)

/**
 * Groups span records by trace id, links them by parent id, orders siblings by start time and
 * makes one trace per trace id. Decisions: a single root gives the trace its input and output and
 * its descendants become steps, depth first in start order; several roots (a partial export, or
 * one root per turn) stay one trace, since labels join on the trace id: every root becomes a
 * step with its subtree, the trace takes the first root's input and the last root's output.
 * Spans whose parent is not in the file attach to the root with `metadata.orphan` saying so;
 * with no root at all, the earliest such span is the root.
 */
export function assembleSpanTrees(
  records: SourceRecord[],
  spans: SpanMapping,
  io: SpanIo = {},
): { traces: SpanTrace[]; errors: RecordError[] } {
  const errors: RecordError[] = []
  const byTrace = new Map<string, SpanNode[]>()
  records.forEach((record, index) => {
    const node = spanNode(record, index, spans)
    if (!node) {
      errors.push({
        line: record.line,
        column: spans.traceId,
        message: `span column "${spans.traceId}" is empty: every span needs a trace id (check the trace id column of the span mapping)`,
      })
      return
    }
    const list = byTrace.get(node.traceId) ?? []
    list.push(node)
    byTrace.set(node.traceId, list)
  })
  const groups = [...byTrace.values()]
  const kept = spans.strict ? groups.filter((nodes) => !refused(nodes, spans, errors)) : groups
  const traces = kept.map((nodes) => assembleOne(nodes, spans, io))
  return { traces, errors }
}

/** A span record as a node of its trace's tree; null when it has no trace id. */
function spanNode(record: SourceRecord, index: number, spans: SpanMapping): SpanNode | null {
  const text = (field: string | null) => (field ? toText(getField(record.fields, field)).trim() : '')
  const traceId = text(spans.traceId)
  if (traceId === '') return null
  const parentId = parentOf(record, spans.parentId)
  return {
    record,
    index,
    traceId,
    spanId: text(spans.spanId),
    parentId: isNullId(parentId) ? '' : parentId,
    name: text(spans.name),
    start: spans.start ? timeKey(getField(record.fields, spans.start), /nano/i.test(spans.start)) : null,
    order: text(spans.order ?? null),
    children: [],
  }
}

/**
 * The parent's id; Braintrust's `span_parents` is a list (empty for the root), whose first entry
 * is the parent (the rest, rare, are kept in the record's fields).
 */
function parentOf(record: SourceRecord, field: string | null): string {
  if (!field) return ''
  const value = getField(record.fields, field)
  const first: unknown = Array.isArray(value) ? value[0] : value
  return toText(first ?? '').trim()
}

const byStart = (a: SpanNode, b: SpanNode) =>
  (a.start ?? Infinity) - (b.start ?? Infinity) || (a.order < b.order ? -1 : a.order > b.order ? 1 : a.index - b.index)

/**
 * Grouping set by hand must be exact: a span without an id or with one its trace already has,
 * a parent that is no span of the trace, and a parent cycle are errors (the trace is not
 * imported), since attaching such spans somewhere would be a guess.
 */
function refused(nodes: SpanNode[], spans: SpanMapping, errors: RecordError[]): boolean {
  const before = errors.length
  const byId = new Map<string, SpanNode>()
  const trace = nodes[0].traceId
  for (const n of nodes) {
    const problem =
      n.spanId === ''
        ? `span column "${spans.spanId}" is empty: with grouping by hand every span needs an id`
        : byId.has(n.spanId)
          ? `span id "${n.spanId}" appears twice in trace "${trace}" (first on line ${byId.get(n.spanId)?.record.line}); span ids must be unique within a trace`
          : null
    if (problem) errors.push({ line: n.record.line, column: spans.spanId, message: problem })
    else byId.set(n.spanId, n)
  }
  for (const n of nodes) {
    if (n.parentId === '' || byId.has(n.parentId)) continue
    errors.push({
      line: n.record.line,
      column: spans.parentId ?? undefined,
      message: `parent "${n.parentId}" names no span of trace "${trace}"; fix the parent id, export the whole trace, or map another parent field`,
    })
  }
  if (errors.length === before) errors.push(...cycleErrors(nodes, byId, spans))
  return errors.length > before
}

/** Spans whose chain of parents never reaches a root: each is an error naming the cycle. */
function cycleErrors(nodes: SpanNode[], byId: Map<string, SpanNode>, spans: SpanMapping): RecordError[] {
  const rooted = new Set<SpanNode>()
  const errors: RecordError[] = []
  for (const n of nodes) {
    const chain: SpanNode[] = []
    let at: SpanNode | undefined = n
    while (at && !rooted.has(at) && !chain.includes(at)) {
      chain.push(at)
      at = at.parentId === '' ? undefined : byId.get(at.parentId)
    }
    if (!at || rooted.has(at)) {
      for (const c of chain) rooted.add(c)
      continue
    }
    const loop = chain.slice(chain.indexOf(at)).map((c) => c.spanId)
    errors.push({
      line: n.record.line,
      column: spans.parentId ?? undefined,
      message: `span "${n.spanId}" is in a parent cycle (${[...loop, loop[0]].join(' → ')}); a trace is a tree: fix the parent ids`,
    })
  }
  return errors
}

function assembleOne(nodes: SpanNode[], spans: SpanMapping, io: SpanIo): SpanTrace {
  const { roots, notes } = linkTree(nodes)
  const steps = walkSteps(nodes, roots, notes, io)
  const single = roots.length === 1
  const root = roots[0]
  const first = spanContent(root.record, io)
  const last = single ? first : spanContent(roots[roots.length - 1].record, io)
  const metadata: Record<string, unknown> = { spanCount: nodes.length, rootSpanId: root.spanId, ...first.meta }
  if (!single) metadata.roots = roots.length
  if (notes.length > 0) metadata.importNotes = notes
  return {
    traceId: nodes[0].traceId,
    root: root.record,
    rootFields: rootFieldsOf(root.record, spans, first),
    input: first.input,
    output: last.output,
    messages: single ? [...first.inputMessages, ...first.outputMessages] : [],
    steps,
    metadata,
  }
}

/**
 * Links each span to its parent: the roots in start order (with no root, the earliest span without
 * its parent in the file), and spans whose parent is missing attached to the first root.
 */
function linkTree(nodes: SpanNode[]): { roots: SpanNode[]; notes: string[] } {
  const byId = new Map<string, SpanNode>()
  for (const n of nodes) if (n.spanId !== '' && !byId.has(n.spanId)) byId.set(n.spanId, n)
  const roots: SpanNode[] = []
  const orphans: SpanNode[] = []
  for (const n of nodes) {
    const parent = n.parentId === '' ? undefined : byId.get(n.parentId)
    if (n.parentId === '') roots.push(n)
    else if (parent && parent !== n) parent.children.push(n)
    else orphans.push(n)
  }
  const notes: string[] = []
  orphans.sort(byStart)
  if (roots.length === 0) {
    const first = orphans.shift() ?? [...nodes].sort(byStart)[0]
    roots.push(first)
    notes.push(
      `no root span in the file; span "${first.name || first.spanId}" (earliest without a parent in the file) is used as the root`,
    )
  }
  roots.sort(byStart)
  for (const o of orphans) {
    o.orphanOf = o.parentId
    roots[0].children.push(o)
  }
  if (orphans.length > 0)
    notes.push(`${orphans.length} span(s) name a parent that is not in the file; they are attached to the root`)
  return { roots, notes }
}

/** The trace's steps: depth first from each root, children in start order, then spans caught in a parent cycle. */
function walkSteps(nodes: SpanNode[], roots: SpanNode[], notes: string[], io: SpanIo): TraceStep[] {
  const seen = new Set<SpanNode>()
  const steps: TraceStep[] = []
  // Iterative, since a hostile file can chain spans thousands deep.
  const visit = (root: SpanNode, rootDepth: number) => {
    const stack: [SpanNode, number][] = [[root, rootDepth]]
    for (let top = stack.pop(); top; top = stack.pop()) {
      const [n, depth] = top
      if (seen.has(n)) continue
      seen.add(n)
      if (depth >= 0) steps.push(stepOf(n, depth, io))
      const children = [...n.children].sort(byStart)
      for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], depth + 1])
    }
  }
  const single = roots.length === 1
  for (const r of roots) visit(r, single ? -1 : 0)
  // Spans caught in a parent cycle are unreachable from any root: keep them, flagged.
  const unreached = nodes.filter((n) => !seen.has(n)).sort(byStart)
  for (const n of unreached) {
    n.orphanOf = n.parentId
    visit(n, single ? 0 : 1)
  }
  if (unreached.length > 0) notes.push(`${unreached.length} span(s) form a parent cycle; they are attached to the root`)
  return steps
}

/** The root's record minus the span mapping's fields and what the root's content used up. */
function rootFieldsOf(root: SourceRecord, spans: SpanMapping, content: SpanContent): Record<string, unknown> {
  const mapped = new Set([spans.traceId, spans.spanId, spans.parentId, spans.name, spans.start, spans.order])
  const used = new Set(content.used)
  const kept = Object.entries(root.fields).filter(([k]) => !mapped.has(k) && !used.has(k) && !isIndexedOf(k, used))
  const { attributes, usedAttributes } = content
  if (!attributes) return Object.fromEntries(kept)
  const slim = Object.entries(attributes).filter(([k]) => !usedAttributes.has(k) && !isIndexedOf(k, usedAttributes))
  return Object.fromEntries(
    kept.flatMap(([k, v]): [string, unknown][] => {
      if (k !== 'attributes') return [[k, v]]
      return slim.length > 0 ? [[k, Object.fromEntries(slim)]] : []
    }),
  )
}

const isIndexedOf = (key: string, used: Set<string>) =>
  [...used].some((u) => key.startsWith(`${u}.`) && /^\d/.test(key.slice(u.length + 1)))

function stepOf(n: SpanNode, depth: number, io: SpanIo): TraceStep {
  const c = spanContent(n.record, io)
  const metadata: Record<string, unknown> = { spanId: n.spanId, depth }
  if (n.parentId !== '') metadata.parentId = n.parentId
  for (const [k, v] of Object.entries(c.meta)) if (v !== undefined) metadata[k] = v
  if (n.orphanOf !== undefined) metadata.orphan = `parent span "${n.orphanOf}" is not in the file; attached to the root`
  // A step keeps only text, so a span whose input/output are messages keeps them whole (as JSON)
  // unless one plain message says it all.
  const input = c.inputFromMessages ? messagesText(c.inputMessages) : c.input
  const output = c.outputFromMessages ? messagesText(c.outputMessages) : c.output
  return {
    name: n.name || toText(c.meta.kind) || 'span',
    input,
    output,
    metadata,
    messages: [...c.inputMessages, ...c.outputMessages],
  }
}

function messagesText(messages: ChatMessage[]): string {
  if (messages.length === 0) return ''
  const [m] = messages
  return messages.length === 1 && !m.tool_calls && m.content !== null ? m.content : JSON.stringify(messages)
}
