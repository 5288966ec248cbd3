import type { ItemDetail } from '../../../shared/domain'
import { TraceView } from '../../components/trace/TraceView'

/**
 * The Data screen's detail pane. The trace rendering lives in components/trace (shared with the
 * Label screen); this wrapper keeps DataScreen's import and props stable.
 */
export function ItemView({ item }: { item: ItemDetail }) {
  return <TraceView item={item} />
}
