import { useMemo, type RefObject } from 'react'
import { defaultTemplate, TEMPLATE_VARIABLES, type JudgeDetail } from '../../../shared/judges'
import { VerdictBadge } from '../../components/VerdictBadge'
import { useStore } from '../../store'
import { selectJudgeProfiles } from '../../store/slices/judges'

/** A version being edited: its template, model profile, parameters (JSON text) and few-shot items. */
export interface Draft {
  prompt: string
  profileId: string
  params: string
  fewshot: number[]
}

/** The prompt template with its variables, the model and parameters, and the few-shot picker (train items only). */
export function PromptEditor({
  detail,
  version,
  draft,
  setDraft,
  dirty,
  editor,
  onSave,
  onPreview,
  onDiff,
}: {
  detail: JudgeDetail
  version: JudgeDetail['versions'][number]
  draft: Draft
  setDraft: (draft: Draft) => void
  dirty: boolean
  editor: RefObject<HTMLTextAreaElement | null>
  onSave: () => void
  onPreview: () => void
  onDiff: () => void
}) {
  const profiles = useStore(selectJudgeProfiles)
  const fewshotById = useMemo(() => new Map(detail.fewshot.map((f) => [f.itemId, f])), [detail])
  const toggleExample = (id: number) =>
    setDraft({
      ...draft,
      fewshot: draft.fewshot.includes(id) ? draft.fewshot.filter((x) => x !== id) : [...draft.fewshot, id],
    })
  return (
    <div className="prompt-editor">
      <div className="editor-main">
        <label className="note-label" htmlFor="judge-prompt">
          Prompt template{' '}
          <span className="muted">
            — variables: {TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(' ')} {'{{metadata.FIELD}}'}
          </span>
        </label>
        <textarea
          id="judge-prompt"
          ref={editor}
          rows={16}
          className="mono"
          value={draft.prompt}
          onChange={(e) => setDraft({ ...draft, prompt: e.target.value })}
          spellCheck={false}
        />
        <div className="row-fields">
          <label>
            Model profile
            <select value={draft.profileId} onChange={(e) => setDraft({ ...draft, profileId: e.target.value })}>
              {!profiles.some((p) => p.id === draft.profileId) && (
                <option value={draft.profileId}>{version.model.name ?? draft.profileId} (not in Settings)</option>
              )}
              {profiles.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} · {p.model}
                </option>
              ))}
            </select>
          </label>
          <label>
            Parameters (JSON)
            <input
              className="mono"
              value={draft.params}
              onChange={(e) => setDraft({ ...draft, params: e.target.value })}
            />
          </label>
        </div>
        <div className="setup-actions">
          <button className="primary" onClick={onSave} disabled={!dirty}>
            Save as new version <kbd>Ctrl+S</kbd>
          </button>
          <button
            onClick={() => setDraft({ ...draft, prompt: defaultTemplate(detail.judge.criterion, detail.definition) })}
          >
            Default template
          </button>
          <button onClick={onPreview}>
            Preview <kbd>p</kbd>
          </button>
          <button onClick={onDiff}>
            Diff with previous <kbd>d</kbd>
          </button>
        </div>
      </div>
      <div className="fewshot">
        <h3>
          Few-shot examples <span className="muted">(train split only: {draft.fewshot.length} chosen)</span>
        </h3>
        {detail.fewshot.length === 0 && (
          <p className="muted">No labeled train items yet: label items on "{detail.judge.criterion}" first.</p>
        )}
        <ul>
          {detail.fewshot.map((f) => (
            <li key={f.itemId}>
              <label className="inline">
                <input
                  type="checkbox"
                  checked={draft.fewshot.includes(f.itemId)}
                  onChange={() => toggleExample(f.itemId)}
                />
                <VerdictBadge verdict={f.verdict} /> <span className="mono">{f.externalId}</span>
              </label>
              <div className="muted small">{f.note || f.preview}</div>
            </li>
          ))}
        </ul>
        {draft.fewshot
          .filter((id) => !fewshotById.has(id))
          .map((id) => (
            <p key={id} className="warning">
              Item {id} is no longer a labeled train item: saving will refuse it.
            </p>
          ))}
      </div>
    </div>
  )
}
