/**
 * A pass/fail/defer/error verdict in words and colour; a dash when there is none. `hidden` is a
 * judge verdict under the test lock, which says how to see it.
 */
export function VerdictBadge({ verdict }: { verdict: string | null }) {
  if (!verdict) return <span className="muted">—</span>
  const title =
    verdict === 'hidden'
      ? "A test-split item: the judge's verdict shows once this version's test results are shown (Calibrate, t)."
      : undefined
  return (
    <span className={`verdict verdict-${verdict}`} title={title}>
      {verdict}
    </span>
  )
}
