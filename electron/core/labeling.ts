import type {
  AgreementRow,
  CriterionInfo,
  LabelState,
  Saturation,
  SessionItem,
  SessionSettings,
  SessionView,
} from '../../shared/domain'
import { AppError } from '../../shared/errors'
import { agreement } from '../../shared/stats/agreement'
import type { LabelingContext } from './context'
import type { SessionRow } from './db/repos/sessions'
import { placeLabeled, type SplitDeps } from './judge/splits'
import { orderSession } from './queue/order'

/** Placing a newly labeled item in its split, at the time of the label that placed it. */
const splitting = (d: LabelingContext, now: string): SplitDeps => ({
  repos: d.repos,
  transaction: d.transaction,
  now,
})

/**
 * Labeling sessions over the repos (DESIGN §3, Label): build a session's queue from the chosen
 * items and order, and save, tag and undo labels. Every write commits before it returns, so what
 * the renderer shows as saved is on disk (synchronous=FULL).
 */
export function createSession(d: LabelingContext, settings: SessionSettings): SessionView {
  const now = d.now()
  const annotator = d.annotator()
  const base = traceCriterion(d, settings.criterionId)
  const criterionId = settings.step ? d.repos.criteria.forStep(base, settings.step, now) : base.id
  const ids = chosenItems(d, settings)
  if (settings.order === 'audit' && !settings.ids)
    throw new AppError(
      'invalid_input',
      'An audit session labels the items an audit drew: start it from Calibrate → Audit production.',
    )
  if (settings.order === 'stratified-metadata' && !settings.stratifyKey)
    throw new AppError('invalid_input', 'A stratified session needs a metadata field to stratify by: choose one.')
  const candidates = d.repos.sessions.candidates(ids, criterionId, annotator, {
    stratifyKey: settings.order === 'stratified-metadata' ? settings.stratifyKey : null,
    toolCalls: settings.order === 'tool-calls',
    conflict: settings.order === 'adjudicate',
  })
  // An audit's queue is its draw, in the order it was drawn: nothing reorders a random sample.
  const queue =
    settings.order === 'audit'
      ? ids.slice(0, settings.size)
      : orderSession(candidates, settings.order, settings.seed, settings.size)
  if (queue.length === 0) {
    const why =
      settings.order === 'relabel'
        ? `you (${annotator}) have not labeled any of these items pass or fail on "${base.name}" yet`
        : settings.order === 'adjudicate'
          ? `no item has annotators who disagree on "${base.name}" (import another annotator's labels first)`
          : settings.step
            ? `no chosen item has a step named "${settings.step}"`
            : 'no item matches the chosen search, filter or selection'
    throw new AppError('invalid_input', `This session would be empty: ${why}.`)
  }
  // A blind re-label must not see the earlier verdict; it is always blind to the judge too.
  const stored = { ...settings, criterionId, blind: settings.blind || settings.order === 'relabel', ids: undefined }
  const id = d.repos.sessions.create({ criterionId, annotator, settings: stored, queue, createdAt: now })
  d.repos.project.log('session.start', { sessionId: id, criterionId, order: settings.order, size: queue.length }, now)
  return view(d, session(d, id))
}

/**
 * Whose labels count, in numbers, before a session starts: of the items a session with these
 * settings would choose from, how many no annotator has labeled pass or fail, and how many this
 * annotator has not (the two "unlabeled first" orders). Reads only: a step-level criterion
 * that no session has made yet has no labels.
 */
export function unlabeledOf(
  d: LabelingContext,
  settings: Pick<SessionSettings, 'criterionId' | 'step' | 'search' | 'filter' | 'ids'>,
): { annotator: string; items: number; unlabeledByAnyone: number; unlabeledByMe: number } {
  const annotator = d.annotator()
  const base = traceCriterion(d, settings.criterionId)
  const criterionId = settings.step ? d.repos.criteria.stepOf(base, settings.step) : base.id
  // Every item (no selection, search, filter or step): counted without listing them.
  const ids = settings.ids || settings.search || settings.filter || settings.step ? chosenItems(d, settings) : null
  if (criterionId === undefined) {
    const n = ids?.length ?? d.repos.project.counts().itemCount
    return { annotator, items: n, unlabeledByAnyone: n, unlabeledByMe: n }
  }
  return { annotator, ...d.repos.sessions.unlabeled(ids, criterionId, annotator) }
}

/**
 * The items a session chooses from: the selection, the Data table's search and filter, or all; only those with the
 * step, for a step-level session.
 */
function chosenItems(
  d: LabelingContext,
  settings: Pick<SessionSettings, 'step' | 'search' | 'filter' | 'ids'>,
): number[] {
  const chosen =
    settings.ids ??
    (settings.search || settings.filter
      ? d.repos.items.ids({ search: settings.search, filter: settings.filter })
      : d.repos.sessions.allItems())
  if (!settings.step) return chosen
  const withStep = new Set(d.repos.sessions.itemsWithStep(settings.step))
  return chosen.filter((id) => withStep.has(id))
}

function traceCriterion(d: LabelingContext, id: number): CriterionInfo {
  const base = criterion(d, id)
  if (base.step !== null)
    throw new AppError(
      'invalid_input',
      `"${base.name}" is already a step-level criterion: choose its trace-level criterion and the step.`,
    )
  return base
}

/** The newest session of this annotator, to resume after a restart. */
export function latestSession(d: LabelingContext): SessionView | null {
  const row = d.repos.sessions.latest(d.annotator())
  return row ? view(d, row) : null
}

export const getSession = (d: LabelingContext, id: number): SessionView => view(d, session(d, id))

export function saveLabel(
  d: LabelingContext,
  input: {
    sessionId: number
    itemId: number
    verdict: LabelState['verdict']
    note: string
    firstFailingStep: number | null
  },
): { item: SessionItem; queue: number[]; saturation: Saturation } {
  const s = session(d, input.sessionId)
  if (!s.queue.includes(input.itemId))
    throw new AppError('invalid_input', `Item ${input.itemId} is not in session ${s.id}.`)
  const version = d.repos.project.criterionVersion(s.criterionId)
  const now = d.now()
  let queue = s.queue
  d.transaction(() => {
    d.repos.labels.add(
      {
        itemId: input.itemId,
        criterionId: s.criterionId,
        criterionVersion: version,
        verdict: input.verdict,
        note: input.note,
        annotator: s.annotator,
        firstFailingStep: input.firstFailingStep,
        sessionId: s.id,
      },
      now,
    )
    // Defer: the item comes back at the end of the session.
    if (input.verdict === 'defer') {
      queue = [...s.queue.filter((id) => id !== input.itemId), input.itemId]
      d.repos.sessions.setQueue(s.id, queue)
    } else placeLabeled(splitting(d, now), s.criterionId, input.itemId)
  })
  return { item: itemState(d, s, input.itemId), queue, saturation: d.repos.criteria.saturation() }
}

/** Tags (or untags) a failure mode on an item: a fail (or a cleared) label on that mode's criterion. */
export function tagItem(
  d: LabelingContext,
  input: { sessionId: number; itemId: number; criterionId: number; on: boolean },
): { item: SessionItem; saturation: Saturation } {
  const s = session(d, input.sessionId)
  if (!s.queue.includes(input.itemId))
    throw new AppError('invalid_input', `Item ${input.itemId} is not in session ${s.id}.`)
  const mode = criterion(d, input.criterionId)
  if (mode.kind !== 'failure_mode' || mode.step !== null)
    throw new AppError('invalid_input', `"${mode.name}" is not a failure mode of the taxonomy.`)
  const now = d.now()
  d.repos.labels.add(
    {
      itemId: input.itemId,
      criterionId: mode.id,
      criterionVersion: mode.version,
      verdict: input.on ? 'fail' : 'cleared',
      note: '',
      annotator: s.annotator,
      firstFailingStep: null,
      sessionId: s.id,
    },
    now,
  )
  if (input.on) placeLabeled(splitting(d, now), mode.id, input.itemId)
  return { item: itemState(d, s, input.itemId), saturation: d.repos.criteria.saturation() }
}

/** Takes back the session's newest label still in effect (history kept): returns the item it restored. */
export function undoLabel(d: LabelingContext, sessionId: number): { item: SessionItem | null; saturation: Saturation } {
  const s = session(d, sessionId)
  const now = d.now()
  const undone = d.repos.labels.undo(s.id, now)
  // the label it restores may be a first pass or fail
  if (undone) placeLabeled(splitting(d, now), undone.criterionId, undone.itemId)
  return { item: undone ? itemState(d, s, undone.itemId) : null, saturation: d.repos.criteria.saturation() }
}

/** Cohen's κ with its interval for every two annotators, and for each annotator's blind re-labels. */
export function agreementOn(d: LabelingContext, criterionId: number): AgreementRow[] {
  criterion(d, criterionId)
  const groups = new Map<string, { a: string; b: string; tp: number; fn: number; fp: number; tn: number }>()
  const count = (a: string, b: string, va: 'pass' | 'fail', vb: 'pass' | 'fail') => {
    const key = `${a}\u0000${b}`
    const g = groups.get(key) ?? { a, b, tp: 0, fn: 0, fp: 0, tn: 0 }
    if (va === 'pass') {
      if (vb === 'pass') g.tp++
      else g.fn++
    } else if (vb === 'pass') g.fp++
    else g.tn++
    groups.set(key, g)
  }
  for (const p of d.repos.labels.annotatorPairs(criterionId)) count(p.a, p.b, p.va, p.vb)
  for (const p of d.repos.labels.relabelPairs(criterionId)) count(p.a, `${p.a} (blind re-label)`, p.va, p.vb)
  return [...groups.values()].map((g) => {
    const k = agreement(g)
    return {
      a: g.a,
      b: g.b,
      n: k.n,
      cells: { tp: g.tp, fn: g.fn, fp: g.fp, tn: g.tn },
      observed: k.observed,
      kappa: k.kappa,
      lower: k.lower,
      upper: k.upper,
    }
  })
}

function criterion(d: LabelingContext, id: number): CriterionInfo {
  const c = d.repos.criteria.get(id)
  if (!c)
    throw new AppError('not_found', `There is no criterion with id ${id} in this project (it may have been deleted).`)
  return c
}

function session(d: LabelingContext, id: number): SessionRow {
  const s = d.repos.sessions.get(id)
  if (!s) throw new AppError('not_found', `There is no labeling session ${id} in this project. Start a new one.`)
  return s
}

const blindRelabel = (s: SessionRow): number | null => (s.settings.order === 'relabel' ? s.id : null)

function itemState(d: LabelingContext, s: SessionRow, itemId: number): SessionItem {
  return d.repos.sessions.items([itemId], s.criterionId, s.annotator, blindRelabel(s))[0]
}

function view(d: LabelingContext, s: SessionRow): SessionView {
  return {
    id: s.id,
    criterion: criterion(d, s.criterionId),
    annotator: s.annotator,
    settings: s.settings,
    createdAt: s.createdAt,
    items: d.repos.sessions.items(s.queue, s.criterionId, s.annotator, blindRelabel(s)),
    modes: d.repos.criteria.modes().filter((m) => m.id !== s.criterionId),
    saturation: d.repos.criteria.saturation(),
  }
}
