import { useEffect, useMemo, useState, type SyntheticEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { DEFAULT_SESSION_SIZE, resumeProgress, type SessionOrder } from '../../../shared/session'
import { useKeyAction } from '../../keyboard'
import { isFiltered, useStore } from '../../store'
import { CriterionPicker } from './CriterionPicker'
import { OrderField, useUnlabeled } from './OrderField'
import { ScopeFieldset, type Scope } from './ScopeFieldset'
import { SetupSide } from './SetupSide'

/**
 * Session setup (DESIGN §3, Label): criterion, unit, order, which items, size, seed and blind
 * mode; the annotator name and keymap preset; resuming the last session.
 */
export function SessionSetup() {
  const { criteria, latest, facets, selected, search, filter, startSession, openSession, loadFacets, leaveSetup } =
    useStore(
      useShallow((s) => ({
        criteria: s.criteria,
        latest: s.latest,
        facets: s.facets,
        selected: s.selected,
        search: s.search,
        filter: s.filter,
        startSession: s.startSession,
        openSession: s.openSession,
        loadFacets: s.loadFacets,
        leaveSetup: s.leaveSetup,
      })),
    )
  const traceCriteria = useMemo(() => criteria.filter((c) => c.step === null), [criteria])
  const tableFiltered = isFiltered({ search, filter })
  const [criterionId, setCriterionId] = useState<number | null>(null)
  const [step, setStep] = useState('')
  const [order, setOrder] = useState<SessionOrder>('random')
  const [stratifyKey, setStratifyKey] = useState('')
  // All items, unless the user came with `l` from the Data screen's selection or search (a search left
  // there earlier is not a request).
  const [scope, setScope] = useState<Scope>(() => {
    const asked = useStore.getState().sessionScope
    return asked === 'selection' && selected.size > 0
      ? 'selection'
      : asked === 'table' && tableFiltered
        ? 'table'
        : 'all'
  })
  useEffect(() => useStore.getState().setSessionScope(null), [])
  // Leaving the setup forgets its counts and agreement (and ignores answers still on their way).
  useEffect(() => leaveSetup, [leaveSetup])
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
  const criterion = traceCriteria.find((c) => c.id === criterionId) ?? traceCriteria.at(0)
  const items = useMemo(
    () =>
      scope === 'selection' ? { ids: [...selected] } : scope === 'table' ? { search: search || undefined, filter } : {},
    [scope, selected, search, filter],
  )
  const counts = useUnlabeled(criterion?.id ?? null, step || null, items)

  const start = async (event?: SyntheticEvent) => {
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
        <CriterionPicker
          criteria={traceCriteria}
          criterion={criterion}
          setCriterionId={setCriterionId}
          editing={editing}
          setEditing={setEditing}
        />
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
        <OrderField
          order={order}
          setOrder={setOrder}
          counts={counts}
          stratifyKey={stratifyKey}
          setStratifyKey={setStratifyKey}
        />
        <ScopeFieldset scope={scope} setScope={setScope} tableFiltered={tableFiltered} />
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
      <SetupSide criterionId={criterion?.id ?? null} />
    </div>
  )
}
