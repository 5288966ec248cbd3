import { useEffect } from 'react'
import type { Output } from '../../../shared/contract'
import type { ItemFilter } from '../../../shared/domain'
import { PICKABLE_ORDERS, SESSION_ORDERS, type SessionOrder } from '../../../shared/session'
import { formatCount } from '../../format'
import { useStore } from '../../store'

type Unlabeled = Output<'sessions.counts'>

/**
 * How many of a session's items are unlabeled by this annotator and by anyone, for the order
 * picker; asked again when the choice changes (or the annotator, or the criterion's labels).
 */
export function useUnlabeled(
  criterionId: number | null,
  step: string | null,
  items: { ids?: number[]; search?: string; filter?: ItemFilter },
): Unlabeled | null {
  const annotator = useStore((s) => s.user?.annotator)
  const labeled = useStore((s) => s.criteria.find((c) => c.id === criterionId)?.labeled)
  const loadUnlabeled = useStore((s) => s.loadUnlabeled)
  useEffect(() => {
    loadUnlabeled(criterionId === null ? null : { criterionId, step, items })
    // `labeled` and `annotator` are not sent, but a change of either changes the counts.
  }, [criterionId, step, items, annotator, labeled, loadUnlabeled])
  return useStore((s) => s.unlabeled)
}

/** The session's order, with the unlabeled counts beside the orders they matter to; and the field to stratify by. */
export function OrderField({
  order,
  setOrder,
  counts,
  stratifyKey,
  setStratifyKey,
}: {
  order: SessionOrder
  setOrder: (order: SessionOrder) => void
  counts: Unlabeled | null
  stratifyKey: string
  setStratifyKey: (key: string) => void
}) {
  const facets = useStore((s) => s.facets)
  const orderInfo = SESSION_ORDERS.find((o) => o.id === order)
  const countOf = (id: SessionOrder) =>
    !counts
      ? ''
      : id === 'unlabeled'
        ? ` (${formatCount(counts.unlabeledByAnyone)} of ${formatCount(counts.items)})`
        : id === 'unlabeled-mine'
          ? ` (${formatCount(counts.unlabeledByMe)} of ${formatCount(counts.items)})`
          : ''
  return (
    <>
      <label>
        Order
        <select value={order} onChange={(e) => setOrder(e.target.value as SessionOrder)}>
          {PICKABLE_ORDERS.map((o) => (
            <option key={o.id} value={o.id}>
              {o.title}
              {countOf(o.id)}
            </option>
          ))}
        </select>
        <span className="hint">{orderInfo?.hint}</span>
        {counts && (
          <span className="hint" data-testid="unlabeled-counts">
            Of these {formatCount(counts.items)} items, {formatCount(counts.unlabeledByMe)} have no pass or fail label
            of yours ({counts.annotator}) and {formatCount(counts.unlabeledByAnyone)} have none of any annotator.
          </span>
        )}
      </label>
      {order === 'stratified-metadata' && (
        <label>
          Metadata field
          <select value={stratifyKey} onChange={(e) => setStratifyKey(e.target.value)} required>
            <option value="">Choose a field…</option>
            {(facets?.metadataKeys ?? []).map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      )}
    </>
  )
}
