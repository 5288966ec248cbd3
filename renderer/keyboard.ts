import { useEffect, useLayoutEffect, useRef } from 'react'
import { flushSync } from 'react-dom'

/**
 * The one keymap registry: every shortcut of the app is declared here, the `?` overlay renders
 * from it, and screens attach handlers to its action ids with `useKeyAction`. Keys use
 * `KeyboardEvent.key` names; `Mod+` means Ctrl (or Cmd on macOS), `Alt+` matches by physical key.
 */
export const keymap = [
  { id: 'help.toggle', keys: ['?'], scope: 'Everywhere', description: 'Show or hide this list of shortcuts' },
  { id: 'nav.start', keys: ['Alt+1'], scope: 'Everywhere', description: 'Go to the Start screen' },
  {
    id: 'nav.data',
    keys: ['Alt+2'],
    scope: 'Everywhere',
    description: 'Go to the Data screen (when a project is open)',
  },
  {
    id: 'nav.label',
    keys: ['Alt+3'],
    scope: 'Everywhere',
    description: 'Go to the Label screen (when a project is open)',
  },
  {
    id: 'nav.analyze',
    keys: ['Alt+4'],
    scope: 'Everywhere',
    description: 'Go to the Analyze screen (when a project is open)',
  },
  {
    id: 'nav.judges',
    keys: ['Alt+5'],
    scope: 'Everywhere',
    description: 'Go to the Judges screen (when a project is open)',
  },
  {
    id: 'nav.calibrate',
    keys: ['Alt+6'],
    scope: 'Everywhere',
    description: 'Go to the Calibrate screen (when a project is open)',
  },
  {
    id: 'nav.report',
    keys: ['Alt+7'],
    scope: 'Everywhere',
    description: 'Go to the Report screen (when a project is open)',
  },
  {
    id: 'nav.settings',
    keys: ['Alt+8'],
    scope: 'Everywhere',
    description: 'Go to Settings (model profiles and API keys)',
  },
  {
    id: 'start.demo',
    keys: ['d'],
    scope: 'Start',
    description: 'Open the demo project (synthetic data; asks first when another project is open)',
  },
  {
    id: 'start.demoConfirm',
    keys: ['Enter'],
    scope: 'Start',
    description: 'After d: open the demo in place of the open project',
  },
  { id: 'start.demoCancel', keys: ['Escape'], scope: 'Start', description: 'After d: stay in the open project' },
  { id: 'start.open', keys: ['o'], scope: 'Start', description: 'Open a project file' },
  { id: 'start.new', keys: ['n'], scope: 'Start', description: 'Create a new project' },
  {
    id: 'start.recent',
    keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    scope: 'Start',
    description: 'Open a recent project by its number',
  },
  { id: 'data.next', keys: ['j', 'ArrowDown'], scope: 'Data', description: 'Next item' },
  { id: 'data.prev', keys: ['k', 'ArrowUp'], scope: 'Data', description: 'Previous item' },
  { id: 'data.pageDown', keys: ['PageDown', 'Space'], scope: 'Data', description: 'One page down' },
  { id: 'data.pageUp', keys: ['PageUp', 'Shift+Space'], scope: 'Data', description: 'One page up' },
  { id: 'data.first', keys: ['Home'], scope: 'Data', description: 'First item' },
  { id: 'data.last', keys: ['End'], scope: 'Data', description: 'Last item' },
  { id: 'data.open', keys: ['Enter', 'o'], scope: 'Data', description: 'Open the item full size' },
  { id: 'data.close', keys: ['Escape'], scope: 'Data', description: 'Back to the table (or clear the search)' },
  { id: 'data.search', keys: ['/'], scope: 'Data', description: 'Search ids, inputs and outputs' },
  { id: 'data.goto', keys: ['g'], scope: 'Data', description: 'Go to an item by its id' },
  {
    id: 'data.select',
    keys: ['x'],
    scope: 'Data',
    description: 'Select or unselect the item (for a labeling session or a judge run)',
  },
  {
    id: 'data.selectAll',
    keys: ['Mod+a'],
    scope: 'Data',
    description: 'Select every item the search and filters show',
  },
  {
    id: 'data.filter',
    keys: ['f'],
    scope: 'Data',
    description: 'Filter and sort the table (Tab moves between the fields)',
  },
  { id: 'data.import', keys: ['i'], scope: 'Data', description: 'Import traces, labels or judge verdicts from a file' },
  {
    id: 'data.receive',
    keys: ['r'],
    scope: 'Data',
    description: 'Receive traces from an app instrumented with OpenTelemetry (OTLP/HTTP on 127.0.0.1), or stop',
  },
  {
    id: 'data.label',
    keys: ['l'],
    scope: 'Data',
    description: 'Label the selection (or the items the table shows) in a session',
  },
  {
    id: 'data.export',
    keys: ['e'],
    scope: 'Data',
    description:
      "Export: labels, notes and verdicts (CSV or JSON Lines), the label history, or judgy's arrays (also File → Export…)",
  },
  { id: 'export.run', keys: ['Mod+enter'], scope: 'Export', description: 'Save the export' },
  { id: 'export.close', keys: ['Escape'], scope: 'Export', description: 'Close the export dialog' },
  { id: 'merge.run', keys: ['Mod+enter'], scope: 'Merge', description: 'Merge the chosen project into this one' },
  { id: 'merge.close', keys: ['Escape'], scope: 'Merge', description: 'Close the merge dialog' },
  { id: 'import.run', keys: ['Mod+enter'], scope: 'Import', description: 'Start the import' },
  { id: 'import.close', keys: ['Escape'], scope: 'Import', description: 'Close the import (or cancel a running one)' },
  { id: 'setup.start', keys: ['Mod+enter'], scope: 'Session setup', description: 'Start the session' },
  { id: 'setup.resume', keys: ['r'], scope: 'Session setup', description: 'Resume your last session' },
  {
    id: 'setup.newCriterion',
    keys: ['c'],
    scope: 'Session setup',
    description: 'New criterion: a name and a one-sentence definition',
  },
  {
    id: 'setup.editCriterion',
    keys: ['e'],
    scope: 'Session setup',
    description: 'Rename the chosen criterion or write its definition (a new version)',
  },
  { id: 'criterion.save', keys: ['Mod+enter'], scope: 'Criterion form', description: 'Save the criterion' },
  { id: 'criterion.close', keys: ['Escape'], scope: 'Criterion form', description: 'Close the criterion form' },
  { id: 'label.pass', keys: ['1'], scope: 'Label', description: 'Pass, then the next item' },
  { id: 'label.fail', keys: ['2'], scope: 'Label', description: 'Fail, then the next item' },
  { id: 'label.defer', keys: ['d'], scope: 'Label', description: 'Defer: it comes back at the end of the session' },
  {
    id: 'label.undo',
    keys: ['u', 'Backspace', 'Mod+z'],
    scope: 'Label',
    description: 'Undo the last label (walks back; history is kept)',
  },
  { id: 'label.next', keys: ['ArrowRight', 'j'], scope: 'Label', description: 'Next item' },
  { id: 'label.prev', keys: ['ArrowLeft', 'k'], scope: 'Label', description: 'Previous item' },
  {
    id: 'label.note',
    keys: ['n'],
    scope: 'Label',
    description: 'Write the note (Esc leaves it; it is saved with the verdict)',
  },
  {
    id: 'label.saveNote',
    keys: ['Mod+enter'],
    scope: 'Label',
    description: 'Save the note with the verdict (Fail if none yet) and go on',
  },
  { id: 'label.stepNext', keys: [']'], scope: 'Label', description: 'Next pipeline step' },
  { id: 'label.stepPrev', keys: ['['], scope: 'Label', description: 'Previous pipeline step' },
  {
    id: 'label.firstFailing',
    keys: ['f'],
    scope: 'Label',
    description: 'Mark the chosen step as the first failing one (a Fail)',
  },
  { id: 'label.tag', keys: ['t'], scope: 'Label', description: 'Tag a failure mode: t, then its number' },
  {
    id: 'label.tagPick',
    keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    scope: 'Label',
    description: 'After t: toggle that failure mode',
  },
  { id: 'label.first', keys: ['Home'], scope: 'Label', description: 'First item of the session' },
  { id: 'label.nextOpen', keys: ['End'], scope: 'Label', description: 'Next item without a label' },
  { id: 'label.retry', keys: ['r'], scope: 'Label', description: 'Load the trace again, when it could not be loaded' },
  {
    id: 'label.setup',
    keys: ['s'],
    scope: 'Label',
    description: 'Session setup (a new session, criteria, annotator, keymap)',
  },
  { id: 'label.escape', keys: ['Escape'], scope: 'Label', description: 'Cancel t; back to the setup' },
  { id: 'analyze.next', keys: ['j', 'ArrowDown'], scope: 'Analyze', description: 'Next note' },
  { id: 'analyze.prev', keys: ['k', 'ArrowUp'], scope: 'Analyze', description: 'Previous note' },
  {
    id: 'analyze.assign',
    keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    scope: 'Analyze',
    description: "Put the note's trace in that failure mode, or take it out",
  },
  { id: 'analyze.select', keys: ['x'], scope: 'Analyze', description: 'Select or unselect the note (for a new mode)' },
  {
    id: 'analyze.create',
    keys: ['c'],
    scope: 'Analyze',
    description: 'New failure mode from the selected notes (or this one)',
  },
  {
    id: 'analyze.edit',
    keys: ['e'],
    scope: 'Analyze',
    description: 'Edit a mode: e, then its number (rename, define, merge, delete); e, then 0 defines Overall',
  },
  {
    id: 'analyze.recode',
    keys: ['r'],
    scope: 'Analyze',
    description: 'Re-code: r, then a mode number: a labeling session of every reviewed trace for it',
  },
  {
    id: 'analyze.failExample',
    keys: ['f'],
    scope: 'Analyze',
    description: "Pin the note's trace as an example of a mode present: f, then its number",
  },
  {
    id: 'analyze.passExample',
    keys: ['p'],
    scope: 'Analyze',
    description: "Pin the note's trace as an example of a mode absent: p, then its number",
  },
  {
    id: 'analyze.pick',
    keys: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    scope: 'Analyze',
    description: 'After e, r, f or p: the failure mode (after e, 0 is Overall: its definition)',
  },
  { id: 'analyze.open', keys: ['Enter', 'o'], scope: 'Analyze', description: "Show the note's trace beside the list" },
  { id: 'analyze.search', keys: ['/'], scope: 'Analyze', description: 'Search the notes' },
  {
    id: 'analyze.suggest',
    keys: ['s'],
    scope: 'Analyze',
    description: 'Ask a model profile to suggest failure modes from the notes (nothing is saved until you create one)',
  },
  {
    id: 'analyze.copy',
    keys: ['m'],
    scope: 'Analyze',
    description: 'Copy the taxonomy as Markdown (definitions, examples, counts)',
  },
  { id: 'mode.save', keys: ['Mod+enter'], scope: 'Analyze', description: 'Save the failure mode form' },
  { id: 'mode.close', keys: ['Escape'], scope: 'Analyze', description: 'Close the failure mode form' },
  {
    id: 'analyze.back',
    keys: ['Escape'],
    scope: 'Analyze',
    description: 'Close the trace, the form, or clear the filter and selection',
  },
  { id: 'judges.next', keys: ['j'], scope: 'Judges', description: 'Next judge' },
  { id: 'judges.prev', keys: ['k'], scope: 'Judges', description: 'Previous judge' },
  { id: 'judges.new', keys: ['n'], scope: 'Judges', description: 'New judge for a criterion' },
  { id: 'judges.edit', keys: ['e'], scope: 'Judges', description: 'Edit the prompt template' },
  {
    id: 'judges.save',
    keys: ['Mod+s'],
    scope: 'Judges',
    description: 'Save the prompt, model and examples as a new version',
  },
  { id: 'judges.preview', keys: ['p'], scope: 'Judges', description: 'Preview the prompt on the chosen item' },
  {
    id: 'judges.olderVersion',
    keys: ['['],
    scope: 'Judges',
    description: 'Show the previous version (its prompt, metrics and verdicts)',
  },
  { id: 'judges.newerVersion', keys: [']'], scope: 'Judges', description: 'Show the next version' },
  { id: 'judges.diff', keys: ['d'], scope: 'Judges', description: 'Diff the shown version against the one before it' },
  { id: 'judges.test', keys: ['t'], scope: 'Judges', description: 'Show test results (recorded: the test lock)' },
  { id: 'judges.run', keys: ['Mod+enter'], scope: 'Judges', description: 'Run the shown version on the chosen scope' },
  { id: 'judges.cancel', keys: ['x'], scope: 'Judges', description: 'Cancel the running run' },
  { id: 'judges.resume', keys: ['r'], scope: 'Judges', description: 'Resume the newest interrupted or cancelled run' },
  { id: 'calibrate.test', keys: ['t'], scope: 'Calibrate', description: 'Show test results (recorded: the test lock)' },
  {
    id: 'calibrate.falseFail',
    keys: ['f'],
    scope: 'Calibrate',
    description: 'List the false fails (human pass, judge fail) of the test split (dev while test is hidden)',
  },
  {
    id: 'calibrate.falsePass',
    keys: ['p'],
    scope: 'Calibrate',
    description: 'List the false passes (human fail, judge pass)',
  },
  {
    id: 'calibrate.fix',
    keys: ['l'],
    scope: 'Calibrate',
    description: 'Label the listed items again (a session on the Label screen; come back with Alt+6)',
  },
  { id: 'calibrate.version', keys: ['v'], scope: 'Calibrate', description: 'Choose the judge version' },
  {
    id: 'calibrate.errors',
    keys: ['e'],
    scope: 'Calibrate',
    description:
      'Error verdicts (UNKNOWN/ERROR answers): left out → counted as Fail (the course convention) → counted as Pass',
  },
  {
    id: 'calibrate.audit',
    keys: ['a'],
    scope: 'Calibrate',
    description:
      "Audit production: draw items stratified by the judge's verdict and label them blind (extends the audit)",
  },
  { id: 'calibrate.close', keys: ['Escape'], scope: 'Calibrate', description: 'Close the item list' },
  { id: 'report.build', keys: ['b'], scope: 'Report', description: 'Build the report (shows test results: recorded)' },
  { id: 'report.html', keys: ['h'], scope: 'Report', description: 'Save the report as self-contained HTML' },
  { id: 'report.pdf', keys: ['p'], scope: 'Report', description: 'Save the report as PDF' },
  { id: 'report.md', keys: ['m'], scope: 'Report', description: 'Save the report as Markdown' },
  { id: 'report.json', keys: ['j'], scope: 'Report', description: 'Save the report as JSON (schema assay.report/v1)' },
  {
    id: 'report.errors',
    keys: ['e'],
    scope: 'Report',
    description: "The judge's error verdicts in the report: left out → counted as Fail → counted as Pass",
  },
  { id: 'settings.save', keys: ['Mod+s'], scope: 'Settings', description: 'Save the model profile' },
  {
    id: 'settings.test',
    keys: ['Mod+enter'],
    scope: 'Settings',
    description: 'Test the connection of the profile as typed (does not save it)',
  },
] as const satisfies readonly { id: string; keys: readonly string[]; scope: string; description: string }[]

export type ActionId = (typeof keymap)[number]['id']
type Handler = (event: KeyboardEvent, key: string) => void

/**
 * Keymap presets: the default one above, and one for Prodigy users (DESIGN §3: `a` accept,
 * `x` reject, `space` defer). A preset only replaces the keys of the actions it names.
 */
export const presets = {
  default: {},
  prodigy: { 'label.pass': ['a'], 'label.fail': ['x'], 'label.defer': ['Space'] },
} as const satisfies Record<string, Partial<Record<ActionId, readonly string[]>>>
export type Preset = keyof typeof presets
let preset: Preset = 'default'

/** The keys of an action under the current preset. */
export function keysOf(id: ActionId): readonly string[] {
  const override = (presets[preset] as Partial<Record<ActionId, readonly string[]>>)[id]
  return override ?? keymap.find((b) => b.id === id)?.keys ?? []
}

/** Handlers per action, each with the order it was mounted in: the newest screen or dialog wins. */
const handlers = new Map<ActionId, { handler: Handler; order: number }[]>()
let mounted = 0
const byKey = new Map<string, ActionId[]>()
function indexKeys(): void {
  byKey.clear()
  for (const binding of keymap)
    for (const key of keysOf(binding.id)) byKey.set(key, [...(byKey.get(key) ?? []), binding.id])
}
indexKeys()

/** Switches the keymap preset (a user setting). */
export function setPreset(next: Preset): void {
  preset = next
  indexKeys()
}

/** The registry's name for a key event: `Mod+k`, `Mod+Shift+z`, `Alt+1`, `Shift+Space`, `?`, `j`, `Escape`. */
export function keyName(event: KeyboardEvent): string {
  const mod = event.ctrlKey || event.metaKey
  if (event.altKey && !mod && /^Digit\d$/.test(event.code)) return `Alt+${event.code.slice(5)}`
  let key = event.key === ' ' ? 'Space' : event.key
  if (key === 'Space' && event.shiftKey) key = 'Shift+Space'
  // Ctrl+Shift+Z (redo elsewhere) must not read as Ctrl+Z (undo).
  if (mod && event.shiftKey && /^[a-z]$/i.test(key)) return `Mod+Shift+${key.toLowerCase()}`
  return mod ? `Mod+${key.toLowerCase()}` : key
}

/** Chords a text field keeps while the user types: its own undo, redo, select-all, copy, cut and paste. */
const TEXT_CHORDS = new Set(['Mod+z', 'Mod+Shift+z', 'Mod+y', 'Mod+a', 'Mod+c', 'Mod+x', 'Mod+v'])

/** True while the user types in a field: shortcuts stay off then (Escape still leaves the field). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el || !el.tagName) return false
  return (
    el.isContentEditable ||
    el.tagName === 'TEXTAREA' ||
    el.tagName === 'SELECT' ||
    (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button'].includes((el as HTMLInputElement).type))
  )
}

function onKeyDown(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.isComposing) return
  const name = keyName(event)
  // While typing, plain keys type; only Mod+ chords act, and Escape leaves the field.
  if (isTyping(event.target) && (!name.startsWith('Mod+') || TEXT_CHORDS.has(name))) {
    if (name === 'Escape') (event.target as HTMLElement).blur()
    return
  }
  // Enter and Space on a focused button or link press it, as everywhere else.
  if (
    (name === 'Enter' || name === ' ' || name === 'Space') &&
    event.target instanceof Element &&
    event.target.closest('button, a, [role=button], summary')
  )
    return
  // A screen's code is still on its way: its keys wait for it instead of going to what is behind it.
  if (holds > 0) {
    if (byKey.has(name)) event.preventDefault()
    held.push({ event, name })
    return
  }
  dispatch(event, name)
}

/** Runs the handler a key is bound to now: the newest mounted one above the innermost modal. */
function dispatch(event: KeyboardEvent, name: string): void {
  let best: { handler: Handler; order: number } | undefined
  const floor = modals.at(-1) ?? 0
  for (const id of byKey.get(name) ?? []) {
    for (const entry of handlers.get(id) ?? [])
      if (entry.order > floor && (!best || entry.order > best.order)) best = entry
  }
  if (!best) return
  event.preventDefault()
  const { handler } = best
  // Render the answer to a keypress before the next frame instead of in a later task.
  flushSync(() => handler(event, name))
}

let installed = false
/** Installs the single window-level listener (once). */
export function installKeyboard(): void {
  if (installed) return
  installed = true
  window.addEventListener('keydown', onKeyDown)
}

/**
 * Attaches `handler` to an action while the component is mounted and `enabled` is true. Attached
 * and detached as React commits (a layout effect), not in the passive effects that may run a task
 * later: a key pressed right after the screen changed (a form closed by an answer, a new version
 * shown) reaches the handlers of what the screen shows, never those of what it has just left.
 */
export function useKeyAction(id: ActionId, handler: Handler, enabled = true): void {
  const ref = useRef(handler)
  ref.current = handler
  useLayoutEffect(() => {
    if (!enabled) return
    const entry = { handler: ((event, key) => ref.current(event, key)) as Handler, order: ++mounted }
    handlers.set(id, [...(handlers.get(id) ?? []), entry])
    return () =>
      void handlers.set(
        id,
        (handlers.get(id) ?? []).filter((h) => h !== entry),
      )
  }, [id, enabled])
}

/** Loading screens or dialogs mounted now (see useHoldKeys), and the keys pressed meanwhile, in order. */
let holds = 0
const held: { event: KeyboardEvent; name: string }[] = []

/**
 * Holds the keys while a screen or dialog whose code loads on demand is not there yet (its
 * Suspense fallback calls this): Alt+3 then 1 at once must label, not be lost or reach the screen
 * before. When the last hold goes, the keys are replayed in order, after the new screen's own
 * effects have attached its handlers (a microtask runs after React's effects pass).
 */
export function useHoldKeys(): void {
  useEffect(() => {
    holds++
    return () => {
      holds--
      queueMicrotask(replayHeld)
    }
  }, [])
}

function replayHeld(): void {
  while (holds === 0 && held.length > 0) {
    const next = held.shift()
    if (next) dispatch(next.event, next.name)
  }
}

/** Open modal dialogs, innermost last, by their mount order. */
const modals: number[] = []
/**
 * Makes a dialog modal for keys: while it is mounted, only the actions it (or anything opened
 * after it) attaches act, so a key typed in the dialog never labels or moves what is behind it.
 * Call it before the dialog's `useKeyAction`s.
 */
export function useModalKeys(): void {
  useLayoutEffect(() => {
    const floor = ++mounted
    modals.push(floor)
    return () => void modals.splice(modals.indexOf(floor), 1)
  }, [])
}

/** Whether an action currently has a handler (the overlay dims the ones that do nothing here). */
export const isActive = (id: ActionId): boolean => (handlers.get(id)?.length ?? 0) > 0
