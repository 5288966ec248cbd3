import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { ItemRow } from '../../../shared/domain'
import { rowAt, useStore } from '../../store'
import { VerdictBadge } from '../../components/VerdictBadge'

export const ROW_HEIGHT = 32
const OVERSCAN = 12

/**
 * The items table, virtualized: only the rows in view (plus a margin) are in the DOM, and rows
 * arrive page by page from the core, so 100 000 items scroll like 100.
 */
export function ItemsTable() {
  const total = useStore((s) => s.total)
  const counting = useStore((s) => s.counting)
  const cursor = useStore((s) => s.cursor)
  const pages = useStore((s) => s.pages)
  const moveCursor = useStore((s) => s.moveCursor)
  const ensureRows = useStore((s) => s.ensureRows)
  const setExpanded = useStore((s) => s.setExpanded)
  const selected = useStore((s) => s.selected)
  const scroller = useRef<HTMLDivElement>(null)
  const [view, setView] = useState({ top: 0, height: 600 })

  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight })
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [])

  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN)
  const last = Math.min(total - 1, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN)
  useEffect(() => ensureRows(first, last), [first, last, total, ensureRows])

  // Keep the cursor row in view when the keyboard moves it.
  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    const top = cursor * ROW_HEIGHT
    if (top < el.scrollTop) el.scrollTop = top
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight
  }, [cursor])

  const rows = []
  for (let i = first; i <= last; i++) {
    const row = rowAt({ pages }, i)
    rows.push(
      <Row
        key={i}
        index={i}
        row={row}
        selected={i === cursor}
        checked={row !== null && selected.has(row.id)}
        onSelect={moveCursor}
        onOpen={setExpanded}
      />,
    )
  }

  return (
    <div className="table" role="grid" aria-rowcount={counting ? -1 : total + 1} aria-label="Items">
      <div className="row head" role="row" aria-rowindex={1}>
        <span className="c-index">#</span>
        <span className="c-id">Id</span>
        <span className="c-kind">Kind</span>
        <span className="c-text">Input</span>
        <span className="c-text">Output</span>
        <span className="c-verdict" title="Human label on Overall">
          Label
        </span>
        <span className="c-verdict" title="Latest judge verdict on Overall">
          Judge
        </span>
      </div>
      <div
        className="table-body"
        ref={scroller}
        onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
        data-testid="items-scroller"
      >
        <div className="table-spacer" style={{ height: total * ROW_HEIGHT }}>
          {rows}
        </div>
      </div>
    </div>
  )
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ')

interface RowProps {
  index: number
  row: ItemRow | null
  selected: boolean
  /** Picked with `x` for a session or a run. */
  checked: boolean
  onSelect: (index: number) => void
  onOpen: (expanded: boolean) => void
}

/** One table row; memoized so moving the cursor re-renders two rows, not the whole window. */
const Row = memo(function Row({ index, row, selected, checked, onSelect, onOpen }: RowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`row${selected ? ' selected' : ''}${checked ? ' checked' : ''}`}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      onClick={() => onSelect(index)}
      onDoubleClick={() => onOpen(true)}
      data-item-id={row?.externalId}
    >
      <span className="c-index">
        {checked && (
          <span className="check" aria-label="selected">
            ✓{' '}
          </span>
        )}
        {index + 1}
      </span>
      {row ? (
        <>
          <span className="c-id" title={row.externalId}>
            {row.externalId}
          </span>
          <span className="c-kind">{row.kind}</span>
          <span className="c-text" title={row.inputPreview}>
            {oneLine(row.inputPreview)}
          </span>
          <span className="c-text" title={row.outputPreview}>
            {oneLine(row.outputPreview)}
          </span>
          <span className="c-verdict">
            <VerdictBadge verdict={row.label} />
          </span>
          <span className="c-verdict">
            <VerdictBadge verdict={row.judge} />
          </span>
        </>
      ) : (
        <span className="muted">loading…</span>
      )}
    </div>
  )
})
