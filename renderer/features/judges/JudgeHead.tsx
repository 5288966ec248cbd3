import type { JudgeDetail } from '../../../shared/judges'
import { SplitSettings } from './SplitSettings'

/** The shown judge's name, criterion and version, and its splits' shares and counts. */
export function JudgeHead({
  detail,
  version,
  onSaved,
}: {
  detail: JudgeDetail
  version: JudgeDetail['versions'][number]
  onSaved: () => void
}) {
  return (
    <header className="judge-head">
      <h1>{detail.judge.name}</h1>
      <span className="muted">
        on "{detail.judge.criterion}" · showing v{version.version} of {detail.versions.length} <kbd>[</kbd>
        <kbd>]</kbd>
      </span>
      <span className="splits muted" data-testid="split-counts">
        splits {Math.round(detail.splits.ratios.train * 100)}/{Math.round(detail.splits.ratios.dev * 100)}/
        {Math.round(detail.splits.ratios.test * 100)} · train {detail.splits.counts.train.pass}✓{' '}
        {detail.splits.counts.train.fail}✗ · dev {detail.splits.counts.dev.pass}✓ {detail.splits.counts.dev.fail}✗ ·
        test {detail.splits.counts.test.pass}✓ {detail.splits.counts.test.fail}✗
      </span>
      <SplitSettings
        key={detail.judge.criterionId}
        criterionId={detail.judge.criterionId}
        ratios={detail.splits.ratios}
        onSaved={onSaved}
      />
    </header>
  )
}
