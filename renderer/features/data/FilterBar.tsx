import { forwardRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ItemFilter, ItemSort } from '../../../shared/domain'
import { DEFAULT_FILTER, DEFAULT_SORT } from '../../../shared/table-query'
import { formatCount } from '../../format'
import { useStore } from '../../store'

const LABELS: { value: ItemFilter['label']; text: string }[] = [
  { value: 'any', text: 'any label' },
  { value: 'unlabeled', text: 'unlabeled' },
  { value: 'labeled', text: 'labeled' },
  { value: 'pass', text: 'labeled pass' },
  { value: 'fail', text: 'labeled fail' },
  { value: 'defer', text: 'deferred' },
  { value: 'stale', text: 'needs re-review (older definition)' },
]
const JUDGES: { value: ItemFilter['judge']; text: string }[] = [
  { value: 'any', text: 'any judge verdict' },
  { value: 'none', text: 'no judge verdict' },
  { value: 'pass', text: 'judge: pass' },
  { value: 'fail', text: 'judge: fail' },
  { value: 'error', text: 'judge: error' },
  { value: 'disagree', text: 'judge ≠ human' },
]

/**
 * Filter (human label and judge verdict on Overall, dataset, one metadata value) and sort for
 * the items table. Every change reloads the table from the top.
 */
export const FilterBar = forwardRef<HTMLSelectElement>(function FilterBar(_props, firstRef) {
  const { filter, sort, facets, search, resetItems } = useStore(
    useShallow((s) => ({
      filter: s.filter,
      sort: s.sort,
      facets: s.facets,
      search: s.search,
      resetItems: s.resetItems,
    })),
  )
  const [metaKey, setMetaKey] = useState(filter.metadata?.key ?? '')
  const [metaValue, setMetaValue] = useState(filter.metadata?.value ?? '')
  const apply = (next: Partial<ItemFilter>, nextSort: ItemSort = sort) =>
    void resetItems(search, { filter: { ...filter, ...next }, sort: nextSort })
  const sortValue = sort.by === 'metadata' ? `metadata:${sort.key ?? ''}` : sort.by
  const changed =
    JSON.stringify(filter) !== JSON.stringify(DEFAULT_FILTER) || JSON.stringify(sort) !== JSON.stringify(DEFAULT_SORT)

  return (
    <div className="filter-bar" role="group" aria-label="Filter and sort">
      <select
        ref={firstRef}
        aria-label="Human label"
        value={filter.label}
        onChange={(e) => apply({ label: e.target.value as ItemFilter['label'] })}
      >
        {LABELS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
      <select
        aria-label="Judge verdict"
        value={filter.judge}
        onChange={(e) => apply({ judge: e.target.value as ItemFilter['judge'] })}
      >
        {JUDGES.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
      <select
        aria-label="Dataset"
        value={filter.dataset ?? ''}
        onChange={(e) => apply({ dataset: e.target.value === '' ? null : Number(e.target.value) })}
      >
        <option value="">all datasets</option>
        {facets?.datasets.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} ({formatCount(d.count)})
          </option>
        ))}
      </select>
      <form
        className="meta-filter"
        onSubmit={(e) => {
          e.preventDefault()
          apply({ metadata: metaKey ? { key: metaKey, value: metaValue } : null })
        }}
      >
        <select
          aria-label="Metadata field"
          value={metaKey}
          onChange={(e) => {
            setMetaKey(e.target.value)
            if (!e.target.value && filter.metadata) apply({ metadata: null })
          }}
        >
          <option value="">metadata…</option>
          {facets?.metadataKeys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        {metaKey && (
          <input
            aria-label="Metadata value"
            placeholder="equals… (Enter)"
            value={metaValue}
            onChange={(e) => setMetaValue(e.target.value)}
          />
        )}
      </form>
      <select
        aria-label="Sort"
        value={sortValue}
        onChange={(e) => {
          const v = e.target.value
          apply(
            {},
            v.startsWith('metadata:')
              ? { by: 'metadata', key: v.slice(9), desc: sort.desc }
              : { by: v as ItemSort['by'], desc: sort.desc },
          )
        }}
      >
        <option value="id">sort: import order</option>
        <option value="label">sort: human label</option>
        <option value="judge">sort: judge verdict</option>
        <option value="length">sort: length (outliers)</option>
        {facets?.metadataKeys.map((k) => (
          <option key={k} value={`metadata:${k}`}>
            sort: {k}
          </option>
        ))}
      </select>
      <button
        type="button"
        aria-label="Reverse the sort"
        title="Reverse the sort"
        onClick={() => apply({}, { ...sort, desc: !sort.desc })}
      >
        {sort.desc ? '↓' : '↑'}
      </button>
      {changed && (
        <button
          type="button"
          className="link"
          onClick={() => {
            setMetaKey('')
            setMetaValue('')
            void resetItems(search, { filter: DEFAULT_FILTER, sort: DEFAULT_SORT })
          }}
        >
          clear
        </button>
      )}
    </div>
  )
})
