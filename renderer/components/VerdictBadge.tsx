/** A pass/fail/defer/error verdict in words and colour; a dash when there is none. */
export function VerdictBadge({ verdict }: { verdict: string | null }) {
  if (!verdict) return <span className="muted">—</span>
  return <span className={`verdict verdict-${verdict}`}>{verdict}</span>
}
