import type { StateCreator } from 'zustand'
import type {
  DetectedInfo,
  ExistingPolicy,
  ImportReport,
  Mapping,
  OfferedLabel,
  PreviewResult,
  SplitName,
} from '../../../shared/import'
import { call, errorText } from '../../api'
import type { Store } from '../index'

/** Where the import wizard is: choosing a file, mapping it, importing, or showing the report. */
export type ImportPhase =
  | { kind: 'source' }
  | { kind: 'map'; detected: DetectedInfo }
  | { kind: 'running' }
  | { kind: 'done'; report: ImportReport; detected: DetectedInfo }

/** How the import treats the dataset, bad rows, duplicates, known ids and splits. */
export interface ImportOptions {
  datasetName: string
  onError: 'abort' | 'skip'
  duplicates: 'abort' | 'skip' | 'replace' | 'keep-both'
  existing: ExistingPolicy
  split: SplitName | null
}

/** The import wizard's file, the mapping the core suggested (as edited), its preview and the report. */
export interface ImportSlice {
  importPhase: ImportPhase
  importMapping: Mapping | null
  importPreview: PreviewResult | null
  /** Label columns the suggestion left out, each one the user may take. */
  importOffered: OfferedLabel[]
  importOptions: ImportOptions
  /** What went wrong with the file or the import, shown in the wizard (not the banner). */
  importProblem: string | null
  /** A JSON object holding several arrays: the file, and the arrays its records may come from (the user chooses). */
  importArrays: { path: string; keys: string[] } | null
  /** Bumped by every file read: only the newest read's answers are kept. */
  detectGeneration: number
  /** Bumped by every preview asked for: only the newest answer is shown. */
  previewGeneration: number
  /** A fresh wizard; with a file (dropped on the window) it is read at once. */
  startImport: (path: string | null) => void
  detectImport: (path: string, override?: Pick<DetectedInfo, 'format' | 'delimiter' | 'recordsKey'>) => Promise<void>
  /** Previews the mapping a moment after its last change; returns the cancel for the waiting preview. */
  schedulePreview: () => () => void
  runImport: () => Promise<void>
  cancelImport: () => void
  /** The shell's file dialog for a file to import; resolves to the path chosen, if any. */
  pickImportFile: () => Promise<string | null>
  setImportMapping: (mapping: Mapping) => void
  setImportOptions: (change: Partial<ImportOptions>) => void
  /** Puts an offered label column back into the mapping. */
  takeOffered: (offered: OfferedLabel) => void
  /** From the report: another file after an import, or the mapping again after a refusal. */
  backFromReport: () => void
}

type SetState = Parameters<StateCreator<Store, [], [], ImportSlice>>[0]
type Get = () => Store

const PREVIEW_DELAY_MS = 150

const freshImport = () => ({
  importPhase: { kind: 'source' } as ImportPhase,
  importMapping: null,
  importPreview: null,
  importOffered: [],
  importProblem: null,
  importArrays: null,
  importOptions: {
    datasetName: '',
    onError: 'abort',
    duplicates: 'abort',
    existing: 'join',
    split: null,
  } as ImportOptions,
})

/** Reading the file and previewing the mapping. */
function readActions(set: SetState, get: Get) {
  return {
    startImport(path: string | null) {
      set({ ...freshImport(), detectGeneration: get().detectGeneration + 1 })
      if (path) void get().detectImport(path)
    },
    async detectImport(file: string, override?: Pick<DetectedInfo, 'format' | 'delimiter' | 'recordsKey'>) {
      const path = file.trim()
      const generation = get().detectGeneration + 1
      const { importArrays } = get()
      // The arrays to choose from stay while the user chooses among them; another file drops them.
      const keep = importArrays?.path === path && override?.recordsKey !== undefined
      set({ importProblem: null, detectGeneration: generation, importArrays: keep ? importArrays : null })
      const current = () => get().detectGeneration === generation
      try {
        const result = await call('import.detect', { path, ...override })
        if (!current()) return
        const { importOptions } = get()
        const datasetName = importOptions.datasetName || result.detected.path.split(/[/\\]/).pop() || ''
        set({
          importPhase: { kind: 'map', detected: result.detected },
          importMapping: result.mapping,
          importOffered: result.offered,
          importPreview: result.preview,
          importOptions: { ...importOptions, datasetName },
        })
      } catch (error) {
        if (!current()) return
        // Another file that cannot be read leaves nothing of the last one to import by mistake.
        const { importPhase: phase } = get()
        const other = phase.kind === 'map' && phase.detected.path !== path
        set({
          importProblem: errorText(error),
          ...(other ? { importPhase: { kind: 'source' }, importMapping: null } : {}),
        })
        // A JSON object holding several arrays: the wizard offers them (the problem names them too).
        const { keys } = await call('import.arrays', { path }).catch(() => ({ keys: [] }))
        if (keys.length > 1 && current()) set({ importArrays: { path, keys } })
      }
    },
    schedulePreview() {
      const { importPhase: phase, importMapping: mapping } = get()
      if (phase.kind !== 'map' || !mapping) return () => undefined
      const generation = get().previewGeneration + 1
      set({ previewGeneration: generation })
      const { detected } = phase
      const { path, format, delimiter, recordsKey } = detected
      const source = { path, format, delimiter, recordsKey, mapping }
      const timer = setTimeout(() => {
        call('import.preview', source).then(
          (preview) => get().previewGeneration === generation && set({ importPreview: preview }),
          (error: unknown) => get().previewGeneration === generation && set({ importProblem: errorText(error) }),
        )
      }, PREVIEW_DELAY_MS)
      return () => clearTimeout(timer)
    },
  }
}

/** Importing, cancelling, and what follows the report. */
function runActions(set: SetState, get: Get) {
  return {
    async runImport() {
      const { importPhase: phase, importMapping: mapping, importOptions: options, importOffered: offered } = get()
      if (phase.kind !== 'map' || !mapping) return
      const { detected } = phase
      set({ importPhase: { kind: 'running' }, importProblem: null })
      try {
        const report = await call('import.run', {
          path: detected.path,
          format: detected.format,
          delimiter: detected.delimiter,
          recordsKey: detected.recordsKey,
          mapping,
          ...options,
          datasetName: options.datasetName.trim() || undefined,
          offered,
        })
        set({ importPhase: { kind: 'done', report, detected } })
        if (report.committed) void get().resetItems('')
      } catch (error) {
        set({ importProblem: errorText(error), importPhase: { kind: 'map', detected } })
      }
    },
    cancelImport: () => void call('import.cancel', {}),
    async pickImportFile() {
      const { path } = await call('import.pick', {})
      return path
    },
    backFromReport() {
      const phase = get().importPhase
      if (phase.kind !== 'done') return
      set({ importPhase: phase.report.committed ? { kind: 'source' } : { kind: 'map', detected: phase.detected } })
    },
  }
}

/** Editing the mapping and the options. */
function mappingActions(set: SetState, get: Get) {
  return {
    setImportMapping: (importMapping: Mapping) => set({ importMapping }),
    setImportOptions(change: Partial<ImportOptions>) {
      set({ importOptions: { ...get().importOptions, ...change } })
      // A copy makes new items: the labels a verdicts file carries are theirs, not a repeat.
      if (change.existing === 'copy') for (const o of get().importOffered) get().takeOffered(o)
    },
    takeOffered(o: OfferedLabel) {
      const m = get().importMapping
      if (m) {
        const labels = [...m.labels, { field: o.field, criterion: o.criterion, note: null, annotator: 'imported' }]
        set({ importMapping: { ...m, labels, ignore: (m.ignore ?? []).filter((f) => f !== o.field) } })
      }
      set({ importOffered: get().importOffered.filter((x) => x !== o) })
    },
  }
}

/** The import slice (the Data screen's import wizard). */
export const createImportSlice: StateCreator<Store, [], [], ImportSlice> = (set, get) => ({
  ...freshImport(),
  previewGeneration: 0,
  detectGeneration: 0,
  ...readActions(set, get),
  ...runActions(set, get),
  ...mappingActions(set, get),
})
