import { useEffect, useMemo, useState, type FormEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { Output } from '../../../shared/contract'
import type { ItemFilter } from '../../../shared/domain'
import { DEFAULT_SESSION_SIZE, resumeProgress, SESSION_ORDERS, type SessionOrder } from '../../../shared/session'
import { DEFAULT_FILTER } from '../../../shared/table-query'
import { call, errorText } from '../../api'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { CriterionEditor } from './CriterionEditor'
import { CriterionForm } from './CriterionForm'
import { AgreementTable } from './AgreementTable'

type Scope = 'all' | 'table' | 'selection'

/**
 * Session setup (DESIGN §3, Label): criterion, unit, order, which items, size, seed and blind
 * mode; the annotator name and keymap preset; resuming the last session.
 */
export function SessionSetup() {
  const {
    user,
    criteria,
    latest,
    facets,
    selected,
    search,
    filter,
    total,
    startSession,
    openSession,
    setUser,
    loadFacets,
  } = useStore(
    useShallow((s) => ({
      user: s.user,
      criteria: s.criteria,
      latest: s.latest,
      facets: s.facets,
      selected: s.selected,
      search: s.search,
      filter: s.filter,
      total: s.total,
      startSession: s.startSession,
      openSession: s.openSession,
      setUser: s.setUser,
      loadFacets: s.loadFacets,
    })),
  )
  const traceCriteria = useMemo(() => criteria.filter((c) => c.step === null), [criteria])
  const tableFiltered = search !== '' || JSON.stringify(filter) !== JSON.stringify(DEFAULT_FILTER)
  const [criterionId, setCriterionId] = useState<number | null>(null)
  const [step, setStep] = useState('')
  const [order, setOrder] = useState<SessionOrder>('random')
  const [stratifyKey, setStratifyKey] = useState('')
  // All items, unless the user came with `l` from the Data screen's selection or search (a search left there earlier is not a request).
  const [scope, setScope] = useState<Scope>(() => {
    const asked = useStore.getState().sessionScope
    return asked === 'selection' && selected.size > 0
      ? 'selection'
      : asked === 'table' && tableFiltered
        ? 'table'
        : 'all'
  })
  useEffect(() => useStore.getState().setSessionScope(null), [])
  const [size, setSize] = useState(String(DEFAULT_SESSION_SIZE))
  // A fresh seed per session, shown and recorded, so a second session samples new items and any session can be redrawn.
  const [seed, setSeed] = useState(() => String(Math.floor(Math.random() * 1_000_000)))
  const [blind, setBlind] = useState(true)
  const [starting, setStarting] = useState(false)
  // The criterion form: null closed, 'new' to add one, 'edit' for the chosen criterion.
  const [editing, setEditing] = useState<'new' | 'edit' | null>(null)
  useEffect(() => {
    if (!facets) loadFacets()
  }, [facets, loadFacets])
  const criterion = traceCriteria.find((c) => c.id === criterionId) ?? traceCriteria[0]
  const orderInfo = SESSION_ORDERS.find((o) => o.id === order)!
  const items = useMemo(
    () =>
      scope === 'selection' ? { ids: [...selected] } : scope === 'table' ? { search: search || undefined, filter } : {},
    [scope, selected, search, filter],
  )
  const counts = useUnlabeled(criterion?.id ?? null, step || null, items)
  const countOf = (id: SessionOrder) =>
    !counts
      ? ''
      : id === 'unlabeled'
        ? ` (${counts.unlabeledByAnyone.toLocaleString()} of ${counts.items.toLocaleString()})`
        : id === 'unlabeled-mine'
          ? ` (${counts.unlabeledByMe.toLocaleString()} of ${counts.items.toLocaleString()})`
          : ''

  const start = async (event?: FormEvent) => {
    event?.preventDefault()
    if (!criterion || starting) return
    setStarting(true)
    await startSession({
      criterionId: criterion.id,
      step: step || null,
      order,
      stratifyKey: order === 'stratified-metadata' ? stratifyKey || null : null,
      seed: Number.parseInt(seed, 10) || 0,
      size: Math.max(1, Number.parseInt(size, 10) || DEFAULT_SESSION_SIZE),
      blind,
      ...items,
    })
    setStarting(false)
  }
  useKeyAction('setup.start', () => void start(), editing === null)
  useKeyAction('setup.resume', () => latest && openSession(latest), latest !== null && editing === null)
  useKeyAction('setup.newCriterion', () => setEditing('new'), editing === null)
  useKeyAction('setup.editCriterion', () => setEditing('edit'), editing === null && criterion !== undefined)

  return (
    <div className="setup">
      <form className="setup-form" onSubmit={(e) => void start(e)} aria-label="New labeling session">
        <h1>New labeling session</h1>
        <p className="hint">
          <kbd>Tab</kbd> moves through the fields, <kbd>Ctrl+Enter</kbd> starts
          {latest ? (
            <>
              , <kbd>r</kbd> resumes your last session
            </>
          ) : null}
          , <kbd>c</kbd> adds a criterion, <kbd>e</kbd> edits the chosen one.
        </p>
        <label>
          Criterion
          <select value={criterion?.id ?? ''} onChange={(e) => setCriterionId(Number(e.target.value))}>
            {traceCriteria.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} (v{c.version}, {c.labeled} labeled{c.stale ? `, ${c.stale} need re-review` : ''})
              </option>
            ))}
          </select>
        </label>
        {editing !== null ? (
          <CriterionForm
            key={editing === 'new' ? 'new' : criterion?.id}
            criterion={editing === 'edit' ? (criterion ?? null) : null}
            onClose={() => setEditing(null)}
            onSaved={(c) => {
              setCriterionId(c.id)
              setEditing(null)
            }}
          />
        ) : (
          criterion && (
            <CriterionEditor criterion={criterion} onEdit={() => setEditing('edit')} onNew={() => setEditing('new')} />
          )
        )}
        {traceCriteria.length === 0 && editing === null && (
          <p className="muted">
            No criterion yet: <kbd>c</kbd> adds one.
          </p>
        )}
        <label>
          Unit of review
          <select value={step} onChange={(e) => setStep(e.target.value)}>
            <option value="">Whole trace</option>
            {(facets?.steps ?? []).map((name) => (
              <option key={name} value={name}>
                One step across traces: {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Order
          <select value={order} onChange={(e) => setOrder(e.target.value as SessionOrder)}>
            {SESSION_ORDERS.map((o) => (
              <option key={o.id} value={o.id}>
                {o.title}
                {countOf(o.id)}
              </option>
            ))}
          </select>
          <span className="hint">{orderInfo.hint}</span>
          {counts && (
            <span className="hint" data-testid="unlabeled-counts">
              Of these {counts.items.toLocaleString()} items, {counts.unlabeledByMe.toLocaleString()} have no pass or
              fail label of yours ({counts.annotator}) and {counts.unlabeledByAnyone.toLocaleString()} have none of any
              annotator.
            </span>
          )}
        </label>
        {order === 'stratified-metadata' && (
          <label>
            Metadata field
            <select value={stratifyKey} onChange={(e) => setStratifyKey(e.target.value)} required>
              <option value="">Choose a field…</option>
              {(facets?.metadataKeys ?? []).map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
        )}
        <fieldset className="scope">
          <legend>Items</legend>
          <label className="inline">
            <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} /> All items in
            the project
          </label>
          <label className="inline">
            <input
              type="radio"
              name="scope"
              checked={scope === 'table'}
              onChange={() => setScope('table')}
              disabled={!tableFiltered}
            />{' '}
            The Data table's search and filter
            {tableFiltered ? ` (${total.toLocaleString()} items)` : ' (none set)'}
          </label>
          <label className="inline">
            <input
              type="radio"
              name="scope"
              checked={scope === 'selection'}
              onChange={() => setScope('selection')}
              disabled={selected.size === 0}
            />{' '}
            The selection
            {` (${selected.size.toLocaleString()} items)`}
          </label>
        </fieldset>
        <div className="row-fields">
          <label>
            Size
            <input type="number" min={1} value={size} onChange={(e) => setSize(e.target.value)} />
          </label>
          <label>
            Seed
            <input type="number" min={0} value={seed} onChange={(e) => setSeed(e.target.value)} />
          </label>
        </div>
        <label className="inline">
          <input
            type="checkbox"
            checked={blind || order === 'relabel'}
            disabled={order === 'relabel'}
            onChange={(e) => setBlind(e.target.checked)}
          />{' '}
          Blind: hide the judge's verdict until I have labeled the item
        </label>
        <div className="setup-actions">
          <button type="submit" className="primary" disabled={!criterion || starting}>
            <kbd>Ctrl+Enter</kbd> Start session
          </button>
          {latest && (
            <button type="button" onClick={() => openSession(latest)}>
              <kbd>r</kbd> Resume session {latest.id}: {latest.criterion.name},{' '}
              <span data-testid="resume-progress">{resumeProgress(latest.items)}</span>
            </button>
          )}
        </div>
      </form>
      <aside className="setup-side">
        <section>
          <h2>You</h2>
          <label>
            Annotator name (every label records it)
            <input
              key={user?.annotator}
              defaultValue={user?.annotator ?? ''}
              aria-label="Annotator name"
              onBlur={(e) =>
                e.target.value.trim() &&
                e.target.value.trim() !== user?.annotator &&
                void setUser({ annotator: e.target.value.trim() })
              }
            />
          </label>
          <label>
            Keymap
            <select
              value={user?.keymap ?? 'default'}
              onChange={(e) => void setUser({ keymap: e.target.value as 'default' | 'prodigy' })}
            >
              <option value="default">Default: 1 pass, 2 fail, d defer</option>
              <option value="prodigy">Prodigy: a accept, x reject, Space defer</option>
            </select>
          </label>
        </section>
        {criterion && <AgreementTable criterionId={criterion.id} />}
      </aside>
    </div>
  )
}

type Unlabeled = Output<'sessions.counts'>

/** How many of a session's items are unlabeled by this annotator and by anyone, for the order picker; refreshed when the choice changes. */
function useUnlabeled(
  criterionId: number | null,
  step: string | null,
  items: { ids?: number[]; search?: string; filter?: ItemFilter },
): Unlabeled | null {
  const showError = useStore((s) => s.showError)
  const annotator = useStore((s) => s.user?.annotator)
  const labeled = useStore((s) => s.criteria.find((c) => c.id === criterionId)?.labeled)
  const [counts, setCounts] = useState<Unlabeled | null>(null)
  useEffect(() => {
    if (criterionId === null) {
      setCounts(null)
      return
    }
    let live = true
    call('sessions.counts', { criterionId, step, ...items }).then(
      (c) => live && setCounts(c),
      (error: unknown) => live && showError(errorText(error)),
    )
    return () => void (live = false)
    // `labeled` and `annotator` are not sent, but a change of either changes the counts.
  }, [criterionId, step, items, annotator, labeled, showError])
  return counts
}
