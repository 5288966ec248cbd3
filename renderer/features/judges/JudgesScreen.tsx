import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Output } from '../../../shared/contract'
import type { CriterionInfo } from '../../../shared/domain'
import {
  defaultTemplate,
  TEMPLATE_VARIABLES,
  type DiffLine,
  type JudgeDetail,
  type JudgeSummary,
} from '../../../shared/judges'
import { call, errorText } from '../../api'
import { VerdictBadge } from '../../components/VerdictBadge'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { RunPanel } from './RunPanel'
import { VersionTable } from './VersionTable'

type Profiles = Output<'profiles.list'>['profiles']
interface Draft {
  prompt: string
  profileId: string
  params: string
  fewshot: number[]
}

/**
 * Judges (DESIGN §3.5): one binary judge per criterion, its prompt template with a preview, the
 * few-shot picker (train items only), immutable versions with diffs and metrics side by side,
 * and runs against any OpenAI-compatible endpoint.
 */
export function JudgesScreen() {
  const showError = useStore((s) => s.showError)
  const setScreen = useStore((s) => s.setScreen)
  const [judges, setJudges] = useState<JudgeSummary[]>([])
  const [criteria, setCriteria] = useState<CriterionInfo[]>([])
  const [profiles, setProfiles] = useState<Profiles>([])
  const [index, setIndex] = useState(0)
  const [detail, setDetail] = useState<JudgeDetail | null>(null)
  const [shown, setShown] = useState<number | null>(null)
  const [draft, setDraft] = useState<Draft | null>(null)
  const [creating, setCreating] = useState<{ criterionId: number; name: string; profileId: string } | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [preview, setPreview] = useState<{ itemId: string; text: string; tokens: number } | null>(null)
  const [diff, setDiff] = useState<{ prompt: DiffLine[]; changes: string[]; title: string } | null>(null)
  const editor = useRef<HTMLTextAreaElement>(null)
  const newName = useRef<HTMLInputElement>(null)
  const judge = judges[Math.min(index, judges.length - 1)]

  const loadLists = useCallback(async () => {
    try {
      const [j, c, p] = await Promise.all([
        call('judges.list', {}),
        call('criteria.list', {}),
        call('profiles.list', {}),
      ])
      setJudges(j)
      setCriteria(c)
      setProfiles(p.profiles)
    } catch (error) {
      showError(errorText(error))
    }
  }, [showError])
  useEffect(() => void loadLists(), [loadLists])

  const judgeId = judge?.id ?? null
  const loadDetail = useCallback(
    async (revealVersion: number | null = null) => {
      if (judgeId === null) {
        setDetail(null)
        return
      }
      try {
        const d = await call('judges.get', { id: judgeId, revealVersion })
        setDetail(d)
        setShown((s) => (s !== null && d.versions.some((v) => v.id === s) ? s : (d.versions.at(-1)?.id ?? null)))
      } catch (error) {
        showError(errorText(error))
      }
    },
    [judgeId, showError],
  )
  useEffect(() => void loadDetail(), [loadDetail])
  const refresh = useCallback(() => void loadDetail(), [loadDetail])

  const version = detail?.versions.find((v) => v.id === shown) ?? null
  // The editor starts from the shown version (versions are immutable: its id says it all); saving makes a new one.
  const versionRef = useRef(version)
  versionRef.current = version
  useEffect(() => {
    const v = versionRef.current
    if (!v) {
      setDraft(null)
      return
    }
    setDraft({
      prompt: v.prompt,
      profileId: String(v.model.id ?? ''),
      params: JSON.stringify(v.params),
      fewshot: v.fewshotIds,
    })
    setDiff(null)
    setPreview(null)
  }, [version?.id])
  const dirty = Boolean(
    draft &&
    version &&
    (draft.prompt !== version.prompt ||
      draft.profileId !== String(version.model.id ?? '') ||
      draft.params !== JSON.stringify(version.params) ||
      draft.fewshot.join() !== version.fewshotIds.join()),
  )
  const testViewed = detail?.versions.some((v) => v.testViewedAt !== null) ?? false

  const save = async () => {
    if (!judge || !draft) return
    let params: Record<string, number | string | boolean>
    try {
      params = JSON.parse(draft.params || '{}')
    } catch {
      showError('Parameters must be a JSON object, e.g. {"temperature": 0}.')
      return
    }
    try {
      const saved = await call('judges.save', {
        judgeId: judge.id,
        prompt: draft.prompt,
        profileId: draft.profileId,
        params,
        fewshotIds: draft.fewshot,
      })
      await loadDetail()
      setShown(saved.version.id)
      setNotice(
        saved.warning ??
          (saved.created
            ? `Saved as version ${saved.version.version}.`
            : `Nothing changed: this is version ${saved.version.version}.`),
      )
      void loadLists()
    } catch (error) {
      showError(errorText(error))
    }
  }
  const showPreview = async () => {
    if (!judge || !draft || !detail) return
    const itemId =
      preview?.itemId ||
      detail.fewshot.find((f) => !draft.fewshot.includes(f.itemId))?.externalId ||
      detail.fewshot[0]?.externalId ||
      ''
    try {
      const found = await call('items.locate', { externalId: itemId })
      const p = await call('judges.preview', {
        judgeId: judge.id,
        prompt: draft.prompt,
        fewshotIds: draft.fewshot,
        itemId: found.id,
      })
      setPreview({
        itemId,
        text: p.problems.length ? `${p.problems.join('\n')}\n\n${p.text}` : p.text,
        tokens: p.tokens,
      })
    } catch (error) {
      showError(errorText(error))
    }
  }
  const showDiff = async () => {
    if (!detail || !version) return
    const before = detail.versions.filter((v) => v.version < version.version).at(-1)
    if (!before) {
      setNotice('Version 1 has nothing before it to compare with.')
      return
    }
    try {
      setDiff({
        ...(await call('judges.diff', { from: before.id, to: version.id })),
        title: `v${before.version} → v${version.version}`,
      })
    } catch (error) {
      showError(errorText(error))
    }
  }
  const create = async () => {
    if (!creating) return
    try {
      const made = await call('judges.create', creating)
      setCreating(null)
      const list = await call('judges.list', {})
      setJudges(list)
      setIndex(
        Math.max(
          0,
          list.findIndex((j) => j.id === made.id),
        ),
      )
    } catch (error) {
      showError(errorText(error))
    }
  }
  const startCreating = () => {
    const c = criteria.find((x) => !judges.some((j) => j.criterionId === x.id)) ?? criteria[0]
    if (!c) return
    setCreating({ criterionId: c.id, name: `${c.name} judge`, profileId: profiles[0]?.id ?? '' })
    setTimeout(() => newName.current?.focus(), 0)
  }
  const shiftVersion = (by: number) => {
    if (!detail || !version) return
    const at = detail.versions.findIndex((v) => v.id === version.id)
    const next = detail.versions[Math.min(detail.versions.length - 1, Math.max(0, at + by))]
    if (next) setShown(next.id)
  }

  useKeyAction('judges.next', () => setIndex((i) => Math.min(judges.length - 1, i + 1)), judges.length > 0)
  useKeyAction('judges.prev', () => setIndex((i) => Math.max(0, i - 1)), judges.length > 0)
  useKeyAction('judges.new', startCreating)
  useKeyAction('judges.edit', () => editor.current?.focus(), draft !== null)
  useKeyAction('judges.save', () => void save(), draft !== null)
  useKeyAction('judges.preview', () => void showPreview(), draft !== null)
  useKeyAction('judges.olderVersion', () => shiftVersion(-1), version !== null)
  useKeyAction('judges.newerVersion', () => shiftVersion(1), version !== null)
  useKeyAction('judges.diff', () => void showDiff(), version !== null)
  useKeyAction('judges.test', () => void loadDetail(version?.id ?? null), version !== null)

  const fewshotById = useMemo(() => new Map((detail?.fewshot ?? []).map((f) => [f.itemId, f])), [detail])
  const toggleExample = (id: number) =>
    draft &&
    setDraft({
      ...draft,
      fewshot: draft.fewshot.includes(id) ? draft.fewshot.filter((x) => x !== id) : [...draft.fewshot, id],
    })

  return (
    <div className="judges">
      <aside className="judge-list">
        <h2>Judges</h2>
        {judges.length === 0 && (
          <p className="muted">No judge yet. A judge checks one failure mode with a binary Pass/Fail.</p>
        )}
        <ol>
          {judges.map((j, i) => (
            <li key={j.id}>
              <button className={j.id === judge?.id ? 'judge current' : 'judge'} onClick={() => setIndex(i)}>
                <strong>{j.name}</strong>
                <span className="muted">
                  {j.criterion} · v{j.latest ?? '–'}
                </span>
              </button>
            </li>
          ))}
        </ol>
        {creating ? (
          <form
            className="new-judge"
            onSubmit={(e) => {
              e.preventDefault()
              void create()
            }}
          >
            <label>
              Criterion
              <select
                value={creating.criterionId}
                onChange={(e) => setCreating({ ...creating, criterionId: Number(e.target.value) })}
              >
                {criteria.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.labeled} labeled)
                  </option>
                ))}
              </select>
            </label>
            <label>
              Name
              <input
                ref={newName}
                value={creating.name}
                onChange={(e) => setCreating({ ...creating, name: e.target.value })}
              />
            </label>
            <label>
              Model profile
              <select
                value={creating.profileId}
                onChange={(e) => setCreating({ ...creating, profileId: e.target.value })}
              >
                {profiles.length === 0 && <option value="">none yet</option>}
                {profiles.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            {profiles.length === 0 && (
              <p className="hint">
                Add a model profile in{' '}
                <button type="button" className="link" onClick={() => setScreen('settings')}>
                  Settings
                </button>{' '}
                first.
              </p>
            )}
            <div className="setup-actions">
              <button className="primary" type="submit" disabled={!creating.profileId}>
                Create
              </button>
              <button type="button" onClick={() => setCreating(null)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <button onClick={startCreating}>
            New judge <kbd>n</kbd>
          </button>
        )}
      </aside>
      {!detail || !draft || !version ? (
        <section className="judge-main empty">
          <h1>Build a judge</h1>
          <p>
            Create a judge for a criterion (<kbd>n</kbd>): version 1 starts from the criterion's definition with train
            examples as few-shots. Iterate on the dev split until TPR and TNR reach 0.9, then measure once on test.
          </p>
        </section>
      ) : (
        <section className="judge-main">
          <header className="judge-head">
            <h1>{detail.judge.name}</h1>
            <span className="muted">
              on "{detail.judge.criterion}" · showing v{version.version} of {detail.versions.length} <kbd>[</kbd>
              <kbd>]</kbd>
            </span>
            <span className="splits muted" data-testid="split-counts">
              splits {Math.round(detail.splits.ratios.train * 100)}/{Math.round(detail.splits.ratios.dev * 100)}/
              {Math.round(detail.splits.ratios.test * 100)} · train {detail.splits.counts.train.pass}✓{' '}
              {detail.splits.counts.train.fail}✗ · dev {detail.splits.counts.dev.pass}✓ {detail.splits.counts.dev.fail}✗
              · test {detail.splits.counts.test.pass}✓ {detail.splits.counts.test.fail}✗
            </span>
            <SplitSettings
              key={detail.judge.criterionId}
              criterionId={detail.judge.criterionId}
              ratios={detail.splits.ratios}
              onSaved={refresh}
            />
          </header>
          {notice && (
            <p
              className={notice.startsWith('Saved') || notice.startsWith('Nothing') ? 'ok' : 'warning-box'}
              role="status"
              data-testid="judge-notice"
            >
              {notice}
            </p>
          )}
          {testViewed && dirty && (
            <p className="warning-box">
              Test results of this judge were viewed. Changing it now makes later test numbers optimistic: iterate on
              dev.
            </p>
          )}
          <VersionTable detail={detail} shown={shown} onShow={setShown} onRevealTest={(id) => void loadDetail(id)} />

          {!version.external && (
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
                        <option value={draft.profileId}>
                          {String(version.model.name ?? draft.profileId)} (not in Settings)
                        </option>
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
                  <button className="primary" onClick={() => void save()} disabled={!dirty}>
                    Save as new version <kbd>Ctrl+S</kbd>
                  </button>
                  <button
                    onClick={() =>
                      setDraft({ ...draft, prompt: defaultTemplate(detail.judge.criterion, detail.definition) })
                    }
                  >
                    Default template
                  </button>
                  <button onClick={() => void showPreview()}>
                    Preview <kbd>p</kbd>
                  </button>
                  <button onClick={() => void showDiff()}>
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
          )}
          {preview && (
            <section className="preview">
              <h3>
                Preview on{' '}
                <input
                  aria-label="Preview item id"
                  className="mono"
                  value={preview.itemId}
                  onChange={(e) => setPreview({ ...preview, itemId: e.target.value })}
                  onKeyDown={(e) => e.key === 'Enter' && void showPreview()}
                />{' '}
                <span className="muted">≈{preview.tokens} tokens</span>
              </h3>
              <pre data-testid="prompt-preview">{preview.text}</pre>
            </section>
          )}
          {diff && (
            <section className="diff" data-testid="version-diff">
              <h3>{diff.title}</h3>
              {diff.changes.map((c) => (
                <p key={c} className="mono">
                  {c}
                </p>
              ))}
              <pre>
                {diff.prompt.map((l, i) => (
                  <div key={i} className={l.op === '+' ? 'added' : l.op === '-' ? 'removed' : 'same'}>
                    {l.op} {l.text}
                  </div>
                ))}
              </pre>
            </section>
          )}
          <RunPanel
            key={version.id}
            versionId={version.id}
            runs={detail.runs.filter((r) => r.versionId === version.id)}
            external={version.external}
            lockedTestErrors={detail.metrics.find((m) => m.versionId === version.id)?.lockedTestErrors ?? 0}
            onChanged={refresh}
          />
        </section>
      )}
    </div>
  )
}

/**
 * A criterion's split shares and seed (requirement 23: default 15/45/40, user range 10–20 /
 * 40–45 / 40–45). Items already in a split keep it; new labels follow the new shares.
 */
function SplitSettings({
  criterionId,
  ratios,
  onSaved,
}: {
  criterionId: number
  ratios: JudgeDetail['splits']['ratios']
  onSaved: () => void
}) {
  const showError = useStore((s) => s.showError)
  const [form, setForm] = useState({
    train: String(Math.round(ratios.train * 100)),
    dev: String(Math.round(ratios.dev * 100)),
    test: String(Math.round(ratios.test * 100)),
    seed: String(ratios.seed),
  })
  const save = async () => {
    try {
      await call('judges.splits', {
        criterionId,
        ratios: {
          train: Number(form.train) / 100,
          dev: Number(form.dev) / 100,
          test: Number(form.test) / 100,
          seed: Number(form.seed),
        },
      })
      onSaved()
    } catch (error) {
      showError(errorText(error))
    }
  }
  const outside =
    Number(form.train) < 10 ||
    Number(form.train) > 20 ||
    Number(form.dev) < 40 ||
    Number(form.dev) > 45 ||
    Number(form.test) < 40 ||
    Number(form.test) > 45
  return (
    <details className="split-settings">
      <summary>change shares</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        {(['train', 'dev', 'test'] as const).map((k) => (
          <label key={k}>
            {k} %
            <input
              type="number"
              min={0}
              max={100}
              value={form[k]}
              onChange={(e) => setForm({ ...form, [k]: e.target.value })}
            />
          </label>
        ))}
        <label>
          seed
          <input type="number" min={0} value={form.seed} onChange={(e) => setForm({ ...form, seed: e.target.value })} />
        </label>
        <button type="submit">Save</button>
        <p className="hint">
          Items already in a split keep it (no reshuffle); new labels follow these shares.
          {outside ? ' The course suggests 10–20 / 40–45 / 40–45.' : ''}
        </p>
      </form>
    </details>
  )
}
