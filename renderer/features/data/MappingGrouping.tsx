import { useState } from 'react'
import type { Mapping } from '../../../shared/import'
import type { MappingPartProps } from './mapping-part'

type Part = 'traceId' | 'spanId' | 'parentId' | 'name' | 'start'

/**
 * Grouping rows into traces by hand (the wizard's `--map trace/span/parent`): for a span export
 * Assay does not recognise. Once the trace id and span id fields are both picked the rows are
 * grouped, strictly: a parent naming no span of its trace, or a cycle, is a bad row.
 */
export function MappingGrouping({ mapping, set, field }: Omit<MappingPartProps, 'columns'>) {
  const spans = mapping.spans
  // A trace id picked before its span id (or the reverse) waits here: a grouping needs both.
  const [pending, setPending] = useState<Partial<Record<Part, string | null>>>({})
  const value = (part: Part): string | null => (part in pending ? (pending[part] ?? null) : (spans?.[part] ?? null))
  const pick = (part: Part) => (v: string | null) => {
    const next = {
      traceId: value('traceId'),
      spanId: value('spanId'),
      parentId: value('parentId'),
      name: value('name'),
      start: value('start'),
      [part]: v,
    }
    if (part === 'traceId' && v === null) {
      setPending({})
      set({ spans: null })
      return
    }
    if (next.traceId === null || next.spanId === null) {
      setPending(next)
      return
    }
    setPending({})
    const grouped: NonNullable<Mapping['spans']> = {
      traceId: next.traceId,
      spanId: next.spanId,
      parentId: next.parentId,
      name: next.name,
      start: next.start,
      strict: true,
    }
    set({ spans: grouped, id: mapping.id ?? next.traceId })
  }
  return (
    <details className="map-grouping" open={Boolean(spans?.strict) || Object.keys(pending).length > 0}>
      <summary>Group rows into traces by hand</summary>
      <p className="muted">
        For a span export Assay does not know: pick the fields holding each row&apos;s trace id, its own span id and its
        parent&apos;s span id. A parent that names no span of its trace, or a cycle, is a bad row.
      </p>
      <div className="map-row">
        {field(value('traceId'), pick('traceId'), 'Trace id field', 'rows with one trace id form one trace')}
        {field(value('spanId'), pick('spanId'), 'Span id field')}
        {field(value('parentId'), pick('parentId'), 'Parent span field', 'empty on the root span')}
        {field(value('name'), pick('name'), 'Span name field', 'names the steps')}
        {field(value('start'), pick('start'), 'Span start field', 'orders the steps')}
      </div>
    </details>
  )
}
