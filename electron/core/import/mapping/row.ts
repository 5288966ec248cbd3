/** The row being mapped, and what the parts of `mapRecord` hand back: a label, or the problem that refuses the row. */
import type { Mapping } from '../../../../shared/import'
import type { LabelStates, NormalVerdict } from '../types'
import type { PreparedMapping } from './prepare'

/** A human label a row gives (or the step-wise columns make), before it is written. */
export interface MappedLabel {
  /** Which of the mapping's label columns it came from (-1: made by the step-wise columns alone). */
  column: number
  /** Made or completed by the step-wise columns (`Mapping.states`): counted with them. */
  byStates?: boolean
  /** The step-wise label it carries (see `LabelStates`). */
  states?: LabelStates
  criterion: string
  /**
   * `defer` = a note with no verdict (a notes-only label entry, or an empty verdict cell that the
   * value map does not list).
   */
  verdict: NormalVerdict | 'defer'
  note: string
  annotator: string
  /** When the label was made, if the file says (else the import's time). */
  createdAt?: string
}

/** One record under a mapping, with what reads its fields. */
export interface Row {
  line: number
  fields: Record<string, unknown>
  mapping: Mapping
  prepared: PreparedMapping
  /** A field's value (a column, or a path into nested JSON); undefined for no field. */
  read: (path: string | null) => unknown
}

/** Why a row cannot be imported, and the column to fix: a value (not thrown), so a bad row costs no stack trace. */
export class Problem {
  constructor(
    readonly column: string | undefined,
    readonly message: string,
  ) {}
}
