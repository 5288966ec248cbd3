import type { VerdictView } from '../../../shared/judges'

/** The version's error verdicts, each with its reason and the raw answer. */
export function RunErrors({ errors, lockedTestErrors }: { errors: VerdictView[]; lockedTestErrors: number }) {
  const errorTotal = errors.length + lockedTestErrors
  return (
    <>
      {errorTotal > 0 && (
        <details className="run-errors" data-testid="run-errors">
          <summary data-testid="run-errors-summary">{errorListSummary(errors, lockedTestErrors)}</summary>
          <table>
            <tbody>
              {errors.slice(0, 200).map((v) => (
                <tr key={v.itemId}>
                  <td className="mono">{v.externalId}</td>
                  <td>{v.error}</td>
                  <td className="clip mono">{v.raw}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </>
  )
}

/**
 * What the version's error list counts, so it can be checked against the run rows: every item
 * whose newest verdict of this version (from any of its runs) is an error, by split; the test
 * split's while its results are locked are counted, not listed. A run row counts its own items.
 */
export function errorListSummary(
  listed: readonly Pick<VerdictView, 'split' | 'human'>[],
  lockedTestErrors: number,
): string {
  const total = listed.length + lockedTestErrors
  const where = { train: 0, dev: 0, test: lockedTestErrors, unlabeled: 0 }
  for (const v of listed) where[v.split && (v.human === 'pass' || v.human === 'fail') ? v.split : 'unlabeled']++
  const parts = Object.entries(where)
    .filter(([, n]) => n > 0)
    .map(([place, n]) =>
      place === 'test' && lockedTestErrors > 0
        ? `${n} test (not listed until test results are shown: t)`
        : `${n} ${place}`,
    )
  return `${total} error verdict${total === 1 ? '' : 's'} of this version, each item's newest verdict from any run (not counted as pass or fail): ${parts.join(', ')}`
}
