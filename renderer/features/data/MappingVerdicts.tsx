import { useState } from 'react'
import type { Mapping } from '../../../shared/import'
import type { MappingPartProps } from './mapping-part'

/** The judge verdict columns: each one's column, judge, criterion, critique column, version and score threshold. */
export function MappingVerdicts({ columns, mapping, set, field }: MappingPartProps) {
  return (
    <fieldset>
      <legend>Judge verdicts</legend>
      {mapping.verdicts.map((v, i) => (
        <div className="map-row" key={i}>
          {field(
            v.field,
            (f) => f && set({ verdicts: mapping.verdicts.map((x, j) => (j === i ? { ...x, field: f } : x)) }),
            'Verdict column',
          )}
          <label className="map-field">
            <span>Judge name</span>
            <input
              aria-label="Judge name"
              value={v.judge}
              onChange={(e) =>
                set({ verdicts: mapping.verdicts.map((x, j) => (j === i ? { ...x, judge: e.target.value } : x)) })
              }
            />
          </label>
          <label className="map-field">
            <span>Criterion</span>
            <input
              aria-label="Verdict criterion"
              value={v.criterion}
              onChange={(e) =>
                set({ verdicts: mapping.verdicts.map((x, j) => (j === i ? { ...x, criterion: e.target.value } : x)) })
              }
            />
          </label>
          {field(
            v.critique,
            (critique) => set({ verdicts: mapping.verdicts.map((x, j) => (j === i ? { ...x, critique } : x)) }),
            'Critique column',
          )}
          <VersionField
            version={v.version}
            onChange={(version) => set({ verdicts: mapping.verdicts.map((x, j) => (j === i ? { ...x, version } : x)) })}
          />
          <ThresholdField
            threshold={v.threshold}
            onChange={(threshold) =>
              set({ verdicts: mapping.verdicts.map((x, j) => (j === i ? { ...x, threshold } : x)) })
            }
          />
          <button
            type="button"
            onClick={() => set({ verdicts: mapping.verdicts.filter((_, j) => j !== i) })}
            aria-label="Remove this verdict column"
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        disabled={columns.length === 0}
        onClick={() =>
          set({
            verdicts: [
              ...mapping.verdicts,
              { field: columns[0], judge: 'imported judge', criterion: 'Overall', critique: null },
            ],
          })
        }
      >
        Add a verdict column
      </button>
    </fieldset>
  )
}

type Version = Mapping['verdicts'][number]['version']

const versionText = (v: Version) => (v === undefined ? '' : v === 'new' ? 'new' : String(v))

/**
 * Which version a verdict column adds to: empty (the newest imported), "new", or a number; what it
 * holds is what the mapping says.
 */
function VersionField({ version, onChange }: { version: Version; onChange: (version: Version) => void }) {
  const [text, setText] = useState(versionText(version))
  const [shown, setShown] = useState(version)
  if (shown !== version) {
    // The mapping changed under the field (a row removed or re-detected): show what it says now.
    setShown(version)
    setText(versionText(version))
  }
  const parse = (raw: string): Version | null => {
    const t = raw.trim().toLowerCase().replace(/^v/, '')
    if (t === '') return undefined
    if (t === 'new') return 'new'
    return /^\d+$/.test(t) && Number(t) >= 1 ? Number(t) : null
  }
  const parsed = parse(text)
  return (
    <label
      className="map-field"
      title="Which version of the judge these verdicts add to: by default its newest imported version (a new one if it has none), so a test file and a production file form one version."
    >
      <span>Add to version</span>
      <input
        aria-label="Judge version"
        aria-invalid={parsed === null}
        placeholder="newest imported"
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          const next = parse(e.target.value)
          if (next !== null && next !== version) {
            setShown(next)
            onChange(next)
          }
        }}
      />
      {parsed === null && <small className="muted">a number, "new", or empty</small>}
    </label>
  )
}

type Threshold = Mapping['verdicts'][number]['threshold']

/**
 * The score at or above which a numeric verdict (an Inspect scorer's 0.8, a Langfuse or Braintrust score, LangSmith
 * feedback) passes;
 * empty: the column holds pass/fail values, and a number in it stops the import, saying to set this.
 */
function ThresholdField({ threshold, onChange }: { threshold: Threshold; onChange: (t: Threshold) => void }) {
  const [text, setText] = useState(threshold === undefined ? '' : String(threshold))
  const [shown, setShown] = useState(threshold)
  if (shown !== threshold) {
    setShown(threshold)
    setText(threshold === undefined ? '' : String(threshold))
  }
  const parse = (raw: string): Threshold | null => {
    const t = raw.trim()
    if (t === '') return undefined
    const n = Number(t)
    return Number.isFinite(n) ? n : null
  }
  const parsed = parse(text)
  return (
    <label
      className="map-field"
      title="For numeric scores: a score at or above this passes, below it fails. Leave empty for pass/fail values."
    >
      <span>Threshold</span>
      <input
        aria-label="Score threshold"
        aria-invalid={parsed === null}
        placeholder="pass/fail values"
        inputMode="decimal"
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          const next = parse(e.target.value)
          if (next !== null && next !== threshold) {
            setShown(next)
            onChange(next)
          }
        }}
      />
      {parsed === null && <small className="muted">a number, or empty</small>}
    </label>
  )
}
