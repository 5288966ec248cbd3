import type { ReactNode } from 'react'
import type { Mapping } from '../../../shared/import'

/** Picks a file column for a mapping field (or none), with an optional hint under it. */
export type FieldPicker = (
  value: string | null,
  update: (v: string | null) => void,
  label: string,
  hint?: string,
) => ReactNode

/** What each part of the mapping editor gets: the file's columns, the mapping, a change to it, a column picker. */
export interface MappingPartProps {
  columns: string[]
  mapping: Mapping
  set: (patch: Partial<Mapping>) => void
  field: FieldPicker
}
