import { useEffect, useRef, useState } from 'react'
import type { JudgeDetail } from '../../../shared/judges'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { JudgeAnswers } from './JudgeAnswers'
import { PromptEditor, type Draft } from './PromptEditor'
import { RunPanel } from './RunPanel'
import { VersionTable } from './VersionTable'

type Version = JudgeDetail['versions'][number]

/** The editor starts from the shown version (versions are immutable: its id says it all). */
const draftOf = (v: Version): Draft => ({
  prompt: v.prompt,
  profileId: v.model.id ?? '',
  params: JSON.stringify(v.params),
  fewshot: v.fewshotIds,
})

/**
 * One version of a judge: the versions side by side, its prompt being edited into a new version
 * (preview, diff), and its runs. Mounted per version, so a draft never outlives its version.
 */
export function JudgeEditor({
  judgeId,
  detail,
  version,
  onShow,
  onNotice,
  onReveal,
  onChanged,
}: {
  judgeId: number | null
  detail: JudgeDetail
  version: Version
  onShow: (versionId: number) => void
  onNotice: (notice: string) => void
  onReveal: (versionId: number) => void
  onChanged: () => void
}) {
  const saveJudgeVersion = useStore((s) => s.saveJudgeVersion)
  const previewJudge = useStore((s) => s.previewJudge)
  const diffJudgeVersions = useStore((s) => s.diffJudgeVersions)
  const clearJudgeAnswers = useStore((s) => s.clearJudgeAnswers)
  const loadJudgeLists = useStore((s) => s.loadJudgeLists)
  const previewItem = useStore((s) => s.judges.preview?.itemId)
  const [draft, setDraft] = useState(() => draftOf(version))
  const editor = useRef<HTMLTextAreaElement>(null)
  // The preview and diff belong to this version: they go when another is shown.
  useEffect(() => clearJudgeAnswers, [clearJudgeAnswers])

  const dirty =
    draft.prompt !== version.prompt ||
    draft.profileId !== (version.model.id ?? '') ||
    draft.params !== JSON.stringify(version.params) ||
    draft.fewshot.join() !== version.fewshotIds.join()
  const testViewed = detail.versions.some((v) => v.testViewedAt !== null)

  const save = async () => {
    if (judgeId === null) return
    let params: Record<string, number | string | boolean>
    try {
      params = JSON.parse(draft.params || '{}') as typeof params
    } catch {
      useStore.getState().showError('Parameters must be a JSON object, e.g. {"temperature": 0}.')
      return
    }
    const saved = await saveJudgeVersion({
      judgeId,
      prompt: draft.prompt,
      profileId: draft.profileId,
      params,
      fewshotIds: draft.fewshot,
    })
    if (!saved) return
    onShow(saved.version.id)
    const { version: made, created, warning } = saved
    onNotice(
      warning ?? (created ? `Saved as version ${made.version}.` : `Nothing changed: this is version ${made.version}.`),
    )
    void loadJudgeLists()
  }
  const showPreview = () => {
    if (judgeId === null) return
    const itemId =
      previewItem ||
      detail.fewshot.find((f) => !draft.fewshot.includes(f.itemId))?.externalId ||
      detail.fewshot.at(0)?.externalId ||
      ''
    void previewJudge({ judgeId, prompt: draft.prompt, fewshotIds: draft.fewshot }, itemId)
  }
  const showDiff = () => {
    const before = detail.versions.filter((v) => v.version < version.version).at(-1)
    if (!before) onNotice('Version 1 has nothing before it to compare with.')
    else void diffJudgeVersions(before, version)
  }
  const shiftVersion = (by: number) => {
    const at = detail.versions.findIndex((v) => v.id === version.id)
    const next = detail.versions.at(Math.min(detail.versions.length - 1, Math.max(0, at + by)))
    if (next) onShow(next.id)
  }
  useKeyAction('judges.edit', () => editor.current?.focus())
  useKeyAction('judges.save', () => void save())
  useKeyAction('judges.preview', showPreview)
  useKeyAction('judges.olderVersion', () => shiftVersion(-1))
  useKeyAction('judges.newerVersion', () => shiftVersion(1))
  useKeyAction('judges.diff', showDiff)
  useKeyAction('judges.test', () => onReveal(version.id))

  return (
    <>
      {testViewed && dirty && (
        <p className="warning-box">
          Test results of this judge were viewed. Changing it now makes later test numbers optimistic: iterate on dev.
        </p>
      )}
      <VersionTable detail={detail} shown={version.id} onShow={onShow} onRevealTest={onReveal} />
      {!version.external && (
        <PromptEditor
          detail={detail}
          version={version}
          draft={draft}
          setDraft={setDraft}
          dirty={dirty}
          editor={editor}
          onSave={() => void save()}
          onPreview={showPreview}
          onDiff={showDiff}
        />
      )}
      <JudgeAnswers onPreview={showPreview} />
      <RunPanel
        versionId={version.id}
        runs={detail.runs.filter((r) => r.versionId === version.id)}
        external={version.external}
        lockedTestErrors={detail.metrics.find((m) => m.versionId === version.id)?.lockedTestErrors ?? 0}
        onChanged={onChanged}
      />
    </>
  )
}
