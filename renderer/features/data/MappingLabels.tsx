import type { ReactNode } from 'react'
import type { MappingPartProps } from './mapping-part'

/** The human label columns: each one's column, criterion, note column and annotator; and the offered ones. */
export function MappingLabels({ columns, mapping, set, field, offered }: MappingPartProps & { offered?: ReactNode }) {
  return (
    <fieldset>
      <legend>Human labels</legend>
      {mapping.labels.map((l, i) => (
        <div className="map-row" key={i}>
          {field(
            l.field,
            (v) => v && set({ labels: mapping.labels.map((x, j) => (j === i ? { ...x, field: v } : x)) }),
            'Label column',
          )}
          <label className="map-field">
            <span>Criterion</span>
            <input
              aria-label="Criterion"
              value={l.criterion}
              onChange={(e) =>
                set({ labels: mapping.labels.map((x, j) => (j === i ? { ...x, criterion: e.target.value } : x)) })
              }
            />
          </label>
          {field(
            l.note,
            (note) => set({ labels: mapping.labels.map((x, j) => (j === i ? { ...x, note } : x)) }),
            'Note column',
          )}
          <label className="map-field">
            <span>Annotator</span>
            <input
              aria-label="Annotator"
              title="Who made these labels: another annotator's name, to compare with yours (Cohen's κ)"
              value={l.annotator}
              onChange={(e) =>
                set({
                  labels: mapping.labels.map((x, j) =>
                    j === i ? { ...x, annotator: e.target.value || 'imported' } : x,
                  ),
                })
              }
            />
          </label>
          {field(
            l.annotatorField ?? null,
            (annotatorField) => set({ labels: mapping.labels.map((x, j) => (j === i ? { ...x, annotatorField } : x)) }),
            'Annotator column',
          )}
          <button
            type="button"
            onClick={() => set({ labels: mapping.labels.filter((_, j) => j !== i) })}
            aria-label="Remove this label column"
          >
            Remove
          </button>
        </div>
      ))}
      {offered}
      <button
        type="button"
        disabled={columns.length === 0}
        onClick={() =>
          set({
            labels: [...mapping.labels, { field: columns[0], criterion: 'Overall', note: null, annotator: 'imported' }],
          })
        }
      >
        Add a label column
      </button>
    </fieldset>
  )
}
