import { useCallback, useEffect, useState } from 'react'
import { useStore } from '../../store'
import { selectJudgeDetail, selectJudgeList } from '../../store/slices/judges'
import { JudgeEditor } from './JudgeEditor'
import { JudgeHead } from './JudgeHead'
import { JudgeList } from './JudgeList'

/**
 * Judges (DESIGN §3.5): one binary judge per criterion, its prompt template with a preview, the
 * few-shot picker (train items only), immutable versions with diffs and metrics side by side,
 * and runs against any OpenAI-compatible endpoint.
 */
export function JudgesScreen() {
  const judges = useStore(selectJudgeList)
  const detail = useStore(selectJudgeDetail)
  const loadJudgeLists = useStore((s) => s.loadJudgeLists)
  const loadJudgeDetail = useStore((s) => s.loadJudgeDetail)
  const leaveJudges = useStore((s) => s.leaveJudges)
  const [index, setIndex] = useState(0)
  const [shown, setShown] = useState<number | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const judge = judges.at(Math.min(index, judges.length - 1))

  useEffect(() => {
    void loadJudgeLists()
    return leaveJudges
  }, [loadJudgeLists, leaveJudges])

  const judgeId = judge?.id ?? null
  const loadDetail = useCallback(
    async (revealVersion: number | null = null) => {
      const d = await loadJudgeDetail(judgeId, revealVersion)
      // The shown version stays while the judge has it; otherwise the newest is shown.
      if (d) setShown((s) => (s !== null && d.versions.some((v) => v.id === s) ? s : (d.versions.at(-1)?.id ?? null)))
    },
    [judgeId, loadJudgeDetail],
  )
  useEffect(() => void loadDetail(), [loadDetail])
  const refresh = useCallback(() => void loadDetail(), [loadDetail])
  const version = detail?.versions.find((v) => v.id === shown) ?? null

  return (
    <div className="judges">
      <JudgeList index={index} judge={judge} onPick={setIndex} />
      {!detail || !version ? (
        <section className="judge-main empty">
          <h1>Build a judge</h1>
          <p>
            Create a judge for a criterion (<kbd>n</kbd>): version 1 starts from the criterion's definition with train
            examples as few-shots. Iterate on the dev split until TPR and TNR reach 0.9, then measure once on test.
          </p>
        </section>
      ) : (
        <section className="judge-main">
          <JudgeHead detail={detail} version={version} onSaved={refresh} />
          {notice && (
            <p
              className={notice.startsWith('Saved') || notice.startsWith('Nothing') ? 'ok' : 'warning-box'}
              role="status"
              data-testid="judge-notice"
            >
              {notice}
            </p>
          )}
          <JudgeEditor
            key={version.id}
            judgeId={judgeId}
            detail={detail}
            version={version}
            onShow={setShown}
            onNotice={setNotice}
            onReveal={(id) => void loadDetail(id)}
            onChanged={refresh}
          />
        </section>
      )}
    </div>
  )
}
