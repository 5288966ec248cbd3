import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { CriterionInfo, ItemDetail, NoteView, Taxonomy } from '../../../shared/domain'
import { call, errorText } from '../../api'
import { Pareto } from '../../../shared/charts/Pareto'
import { TraceView } from '../../components/trace/TraceView'
import { VerdictBadge } from '../../components/VerdictBadge'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { taxonomyMarkdown } from '../../../shared/taxonomy-report'
import { CriterionForm } from '../label/CriterionForm'
import { ModeForm, type ModeFormState } from './ModeForm'
import { CrossTables } from './CrossTables'
import { SuggestPanel } from './SuggestPanel'

const SHOWN = 500

/** A note's identity: its trace, criterion and annotator (a trace may carry several annotators' notes). */
const noteKey = (n: Pick<NoteView, 'itemId' | 'criterion' | 'annotator'>): string =>
  `${n.itemId}\u0000${n.criterion}\u0000${n.annotator}`

/**
 * Analyze (DESIGN §3): every note in one list, failure modes built from them with the keyboard
 * (numbers assign, `c` creates, `e` edits, `r` re-codes), and the counts — a Pareto chart with
 * Wilson intervals, co-occurrences, a metadata pivot and the pipeline transition matrix. Every
 * bar and cell narrows the list to its traces.
 */
export function AnalyzeScreen() {
  const showError = useStore((s) => s.showError)
  const startSession = useStore((s) => s.startSession)
  const facets = useStore((s) => s.facets)
  const metadataKeys = facets?.metadataKeys ?? []
  const [notes, setNotes] = useState<NoteView[]>([])
  const [taxonomy, setTaxonomy] = useState<Taxonomy | null>(null)
  const [cursor, setCursor] = useState(0)
  // Selected notes, by note: a trace with two annotators' notes is selected once whichever is picked.
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [query, setQuery] = useState('')
  const [facet, setFacet] = useState({ criterion: '', verdict: '', dataset: '', key: '', value: '' })
  const [only, setOnly] = useState<{ title: string; ids: Set<number> } | null>(null)
  const [pending, setPending] = useState<'edit' | 'recode' | 'pass' | 'fail' | null>(null)
  const [form, setForm] = useState<ModeFormState | null>(null)
  // Overall is not a failure mode: `e` then `0` edits its definition in the criterion form.
  const [overall, setOverall] = useState<CriterionInfo | null>(null)
  const [editOverall, setEditOverall] = useState(false)
  const [trace, setTrace] = useState<ItemDetail | null>(null)
  const [pivot, setPivot] = useState<string | null>(null)
  const search = useRef<HTMLInputElement>(null)

  const reload = useCallback(async () => {
    try {
      const [n, t, criteria] = await Promise.all([
        call('notes.list', {}),
        call('taxonomy.get', { pivot }),
        call('criteria.list', {}),
      ])
      setNotes(n)
      setTaxonomy(t)
      setOverall(criteria.find((c) => c.kind === 'overall') ?? null)
    } catch (error) {
      showError(errorText(error))
    }
  }, [pivot, showError])
  useEffect(() => void reload(), [reload])

  // Number keys follow creation order, so a mode keeps its number while the counts change.
  const numbered = useMemo(() => [...(taxonomy?.modes ?? [])].sort((a, b) => a.id - b.id).slice(0, 9), [taxonomy])
  const visible = useMemo(() => {
    const needle = query.trim().toLowerCase()
    return notes.filter(
      (n) =>
        (!only || only.ids.has(n.itemId)) &&
        (!facet.criterion || n.criterion === facet.criterion) &&
        (!facet.verdict || n.verdict === facet.verdict) &&
        (!facet.dataset || n.dataset === facet.dataset) &&
        (!facet.key || (n.metadata[facet.key] ?? '') === facet.value) &&
        (!needle || n.note.toLowerCase().includes(needle) || n.externalId.toLowerCase().includes(needle)),
    )
  }, [notes, only, query, facet])
  const choices = useMemo(
    () => ({
      criterion: [...new Set(notes.map((n) => n.criterion))].sort(),
      dataset: [...new Set(notes.map((n) => n.dataset))].sort(),
      keys: [...new Set(notes.flatMap((n) => Object.keys(n.metadata)))].sort(),
      values: [...new Set(notes.map((n) => n.metadata[facet.key] ?? ''))].sort(),
    }),
    [notes, facet.key],
  )
  const pickFacet = (change: Partial<typeof facet>) => {
    setFacet({ ...facet, ...change })
    setCursor(0)
  }
  const at = Math.min(cursor, Math.max(0, visible.length - 1))
  const current = visible[at]
  const selectedTraces = useMemo(
    () => [...new Set(notes.filter((n) => selected.has(noteKey(n))).map((n) => n.itemId))],
    [notes, selected],
  )

  const run = async (work: () => Promise<unknown>) => {
    try {
      await work()
      await reload()
    } catch (error) {
      showError(errorText(error))
    }
  }
  const browsing = form === null && !editOverall
  useKeyAction('analyze.next', () => setCursor(Math.min(at + 1, visible.length - 1)), browsing)
  useKeyAction('analyze.prev', () => setCursor(Math.max(at - 1, 0)), browsing)
  useKeyAction(
    'analyze.assign',
    (_e, key) => {
      const mode = numbered[Number(key) - 1]
      if (current && mode)
        void run(() =>
          call('modes.assign', { itemId: current.itemId, modeId: mode.id, on: !current.modes.includes(mode.id) }),
        )
    },
    browsing && pending === null,
  )
  useKeyAction(
    'analyze.select',
    () => {
      if (!current) return
      const next = new Set(selected)
      if (!next.delete(noteKey(current))) next.add(noteKey(current))
      setSelected(next)
    },
    browsing,
  )
  useKeyAction(
    'analyze.create',
    () => setForm({ kind: 'create', itemIds: selected.size > 0 ? selectedTraces : current ? [current.itemId] : [] }),
    browsing,
  )
  useKeyAction('analyze.edit', () => setPending('edit'), browsing && (numbered.length > 0 || overall !== null))
  useKeyAction('analyze.recode', () => setPending('recode'), browsing && numbered.length > 0)
  useKeyAction(
    'analyze.failExample',
    () => setPending('fail'),
    browsing && numbered.length > 0 && current !== undefined,
  )
  useKeyAction(
    'analyze.passExample',
    () => setPending('pass'),
    browsing && numbered.length > 0 && current !== undefined,
  )
  useKeyAction(
    'analyze.pick',
    (_e, key) => {
      const mode = numbered[Number(key) - 1]
      const what = pending
      setPending(null)
      if (key === '0' && what === 'edit' && overall) {
        setEditOverall(true)
        return
      }
      if (!mode || !taxonomy) return
      if (what === 'edit') setForm({ kind: 'edit', mode })
      else if ((what === 'pass' || what === 'fail') && current) {
        const pinned = mode.examples.some((e) => e.itemId === current.itemId && e.kind === what)
        void run(() => call('modes.example', { modeId: mode.id, itemId: current.itemId, kind: what, on: !pinned }))
      } else
        void startSession({
          criterionId: mode.id,
          order: 'unlabeled',
          ids: taxonomy.reviewedIds,
          size: Math.max(1, taxonomy.reviewedIds.length),
          seed: 1,
          blind: true,
        })
    },
    pending !== null,
  )
  useKeyAction(
    'analyze.open',
    () =>
      current && void call('items.get', { id: current.itemId }).then(setTrace, (e: unknown) => showError(errorText(e))),
    browsing,
  )
  useKeyAction('analyze.search', () => search.current?.focus(), browsing)
  useKeyAction(
    'analyze.back',
    () => {
      if (pending) setPending(null)
      else if (trace) setTrace(null)
      else if (only) setOnly(null)
      else setSelected(new Set())
    },
    browsing,
  )

  const [copied, setCopied] = useState(false)
  const copy = () => {
    if (!taxonomy) return
    const project = useStore.getState().project?.name ?? 'project'
    void navigator.clipboard.writeText(taxonomyMarkdown(taxonomy, notes, project)).then(
      () => setCopied(true),
      () => showError('The clipboard is not available here: use `assay taxonomy PROJECT --format md` instead.'),
    )
  }
  useKeyAction('analyze.copy', copy, browsing)

  const narrow = (title: string, ids: readonly number[]) => {
    setOnly({ title, ids: new Set(ids) })
    setCursor(0)
    setTrace(null)
  }
  if (!taxonomy) return <p className="muted analyze-loading">Loading the notes…</p>
  // The narrowed traces' counts come from every note of the project; what the search and filters
  // leave of them is said apart, so a search never makes a mode's traces look note-less.
  const filtering = query.trim() !== '' || Object.values(facet).some((v) => v !== '')
  const withNotes = only ? new Set(notes.filter((n) => only.ids.has(n.itemId)).map((n) => n.itemId)).size : 0
  const tracesShown = new Set(visible.map((n) => n.itemId)).size

  return (
    <div className="analyze">
      <div className="analyze-bar">
        <strong title="Every note of the project; the list shows those the search and filters keep">
          {notes.length} notes in the project
        </strong>
        <span>{taxonomy.modes.length} failure modes</span>
        <span data-testid="analyze-reviewed">{taxonomy.reviewed} traces reviewed</span>
        <span className={taxonomy.saturation.saturated ? 'verdict-pass' : 'muted'}>
          {taxonomy.saturation.newModes} new modes in the last {taxonomy.saturation.window}
          {taxonomy.saturation.saturated ? ' · saturated' : ''}
        </span>
        <input
          ref={search}
          type="search"
          className="search"
          placeholder="Search notes  ( / )"
          aria-label="Search notes"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value)
            setCursor(0)
          }}
          onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
        />
        <button onClick={copy} title="Also: assay taxonomy PROJECT --format md|json">
          <kbd>m</kbd> {copied ? 'Copied' : 'Copy as Markdown'}
        </button>
        {pending && (
          <strong className="pending">
            {
              {
                edit: 'Edit',
                recode: 'Re-code',
                pass: 'Example of the mode absent',
                fail: 'Example of the mode present',
              }[pending]
            }
            : press a mode's number (Esc cancels)
          </strong>
        )}
      </div>
      <div className="analyze-body">
        <section className="notes-board" aria-label="Notes">
          <div className="note-filters">
            <select
              aria-label="Notes of criterion"
              value={facet.criterion}
              onChange={(e) => pickFacet({ criterion: e.target.value })}
            >
              <option value="">every criterion</option>
              {choices.criterion.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
            <select
              aria-label="Notes with label"
              value={facet.verdict}
              onChange={(e) => pickFacet({ verdict: e.target.value })}
            >
              <option value="">any label</option>
              <option value="fail">fail</option>
              <option value="pass">pass</option>
              <option value="defer">deferred</option>
            </select>
            <select
              aria-label="Notes in dataset"
              value={facet.dataset}
              onChange={(e) => pickFacet({ dataset: e.target.value })}
            >
              <option value="">every dataset</option>
              {choices.dataset.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
            <select
              aria-label="Notes by a metadata field"
              value={facet.key}
              onChange={(e) =>
                pickFacet({
                  key: e.target.value,
                  value: [...new Set(notes.map((n) => n.metadata[e.target.value] ?? ''))].sort()[0] ?? '',
                })
              }
            >
              <option value="">any metadata</option>
              {choices.keys.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
            {facet.key && (
              <select
                aria-label={`Value of ${facet.key}`}
                value={facet.value}
                onChange={(e) => pickFacet({ value: e.target.value })}
              >
                {choices.values.map((v) => (
                  <option key={v} value={v}>
                    {v || '(none)'}
                  </option>
                ))}
              </select>
            )}
            <span className="muted" data-testid="notes-shown">
              {visible.length === notes.length
                ? `all ${notes.length} notes shown`
                : `${visible.length} of ${notes.length} notes shown`}
            </span>
          </div>
          {only && (
            <p className="narrowed" data-testid="narrowed">
              {only.title}: {only.ids.size} traces, {withNotes} with notes
              {filtering ? `; ${tracesShown} of them shown by the search and filters` : ''}{' '}
              <button className="link" onClick={() => setOnly(null)}>
                show all (Esc)
              </button>
            </p>
          )}
          {selected.size > 0 && (
            <p className="narrowed">
              {selected.size} note{selected.size === 1 ? '' : 's'} selected ({selectedTraces.length} trace
              {selectedTraces.length === 1 ? '' : 's'}) · <kbd>c</kbd> makes them a new failure mode
            </p>
          )}
          {visible.length === 0 && (
            <p className="muted">
              {notes.length === 0
                ? 'No notes yet: write them while labeling (n on the Label screen), or import a notes column.'
                : 'No note matches.'}
            </p>
          )}
          <ol className="notes">
            {visible.slice(0, SHOWN).map((n, i) => (
              <li
                key={`${n.itemId}-${n.criterion}-${n.annotator}`}
                className={`${i === at ? 'note current' : 'note'}${selected.has(noteKey(n)) ? ' picked' : ''}`}
                data-item={n.externalId}
                onClick={() => setCursor(i)}
              >
                <div className="note-head">
                  <code>{n.externalId}</code> <VerdictBadge verdict={n.verdict} />{' '}
                  <span className="muted">
                    {n.criterion} · {n.annotator}
                  </span>
                  <span className="chips">
                    {numbered.map((m, k) =>
                      n.modes.includes(m.id) ? (
                        <span key={m.id} className="chip" title={m.name}>
                          {k + 1} {m.name}
                        </span>
                      ) : null,
                    )}
                  </span>
                </div>
                <p>{n.note}</p>
              </li>
            ))}
          </ol>
          {visible.length > SHOWN && (
            <p className="muted">
              Showing the first {SHOWN} of {visible.length}: search to narrow.
            </p>
          )}
        </section>
        <section className="analyze-side">
          {editOverall && overall ? (
            <CriterionForm
              criterion={overall}
              onClose={() => setEditOverall(false)}
              onSaved={() => {
                setEditOverall(false)
                void reload()
              }}
            />
          ) : form ? (
            <ModeForm
              state={form}
              modes={numbered}
              onClose={() => setForm(null)}
              onDone={async () => {
                setForm(null)
                setSelected(new Set())
                await reload()
              }}
            />
          ) : trace ? (
            <div className="analyze-trace">
              <p className="muted">
                <kbd>Esc</kbd> back to the counts
              </p>
              <TraceView item={trace} />
            </div>
          ) : (
            <>
              {overall && (
                <p className="overall-criterion" data-testid="analyze-overall">
                  <kbd>0</kbd> <strong>{overall.name}</strong>{' '}
                  <span className="muted">
                    v{overall.version} · {overall.labeled} labeled
                  </span>
                  <span className="muted definition">{overall.definition || 'No definition yet (e, then 0).'}</span>
                </p>
              )}
              <h2>Failure modes</h2>
              <ol className="modes">
                {numbered.map((m, k) => (
                  <li key={m.id}>
                    <kbd>{k + 1}</kbd> <strong>{m.name}</strong>{' '}
                    <span className="muted">
                      v{m.version} · {m.count} traces
                    </span>
                    <div className="muted definition">{m.definition || 'No definition yet (e, then its number).'}</div>
                    {m.examples.length > 0 && (
                      <div className="definition examples">
                        {m.examples.map((e) => (
                          <span
                            key={`${e.kind}-${e.itemId}`}
                            className={`example ${e.kind}`}
                            title={
                              e.kind === 'fail' ? 'example: the failure is present' : 'example: the failure is absent'
                            }
                          >
                            {e.kind === 'fail' ? '✗' : '✓'} {e.externalId}
                          </span>
                        ))}
                      </div>
                    )}
                  </li>
                ))}
              </ol>
              <p className="hint">
                Numbers put the current note's trace in a mode (again: take it out) · <kbd>x</kbd> select · <kbd>c</kbd>{' '}
                new mode · <kbd>e</kbd>+number edit, merge, delete (<kbd>e</kbd> <kbd>0</kbd> defines Overall) ·{' '}
                <kbd>r</kbd>+number re-code every reviewed trace for that mode · <kbd>f</kbd>/<kbd>p</kbd>+number pin
                the trace as an example of the mode present/absent.
              </p>
              <SuggestPanel onCreated={reload} />
              <h2>How often (Pareto)</h2>
              <Pareto
                taxonomy={taxonomy}
                onPick={(id) =>
                  narrow(
                    taxonomy.modes.find((m) => m.id === id)!.name,
                    taxonomy.modes.find((m) => m.id === id)!.itemIds,
                  )
                }
              />
              <CrossTables
                taxonomy={taxonomy}
                pivot={pivot}
                metadataKeys={metadataKeys}
                onPivot={setPivot}
                onNarrow={narrow}
              />
            </>
          )}
        </section>
      </div>
    </div>
  )
}
