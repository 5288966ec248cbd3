import type { MappingPartProps } from './mapping-part'

const list = (values: string[]) => values.join(', ')
const parseList = (text: string) => text.split(',').map((v) => v.trim().toLowerCase())

/** The split column, whether other fields become metadata, and which values mean pass, fail and error. */
export function MappingOther({ mapping, set, field }: Omit<MappingPartProps, 'columns'>) {
  return (
    <fieldset>
      <legend>Split, metadata and values</legend>
      {field(
        mapping.splits[0]?.field ?? null,
        (f) =>
          set({
            splits: f
              ? [{ field: f, criterion: mapping.splits[0]?.criterion ?? 'Overall' }, ...mapping.splits.slice(1)]
              : mapping.splits.slice(1),
          }),
        'Split column (train/dev/test)',
        mapping.splits.length > 1
          ? `also ${mapping.splits
              .slice(1)
              .map((s) => `${s.field} → ${s.criterion}`)
              .join(', ')}`
          : undefined,
      )}
      <label className="map-check">
        <input
          type="checkbox"
          checked={mapping.keepUnmapped}
          onChange={(e) => set({ keepUnmapped: e.target.checked })}
        />{' '}
        Keep every other field as metadata
      </label>
      <div className="values">
        {(['pass', 'fail', 'error'] as const).map((k) => (
          <label className="map-field" key={k}>
            <span>Values meaning {k}</span>
            <input
              aria-label={`Values meaning ${k}`}
              defaultValue={list(mapping.values[k])}
              onChange={(e) => set({ values: { ...mapping.values, [k]: parseList(e.target.value) } })}
            />
          </label>
        ))}
        <small className="muted">
          Case is ignored; an empty cell is no label or verdict. Any other value stops the import with its line, unless
          you choose to skip bad rows.
        </small>
      </div>
    </fieldset>
  )
}
