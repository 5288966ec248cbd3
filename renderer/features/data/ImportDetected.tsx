import type { DetectedInfo } from '../../../shared/import'

const FORMATS: { value: DetectedInfo['format']; label: string }[] = [
  { value: 'csv', label: 'CSV / TSV' },
  { value: 'jsonl', label: 'JSON Lines' },
  { value: 'json-array', label: 'JSON array of records' },
  { value: 'json-records', label: 'JSON object holding records' },
  { value: 'json-columns', label: 'pandas column-oriented JSON' },
  { value: 'promptfoo', label: 'promptfoo results (results.json)' },
  { value: 'inspect', label: 'Inspect AI log (.eval or .json)' },
  { value: 'parquet', label: 'Parquet' },
]

/** A file size in the unit a person reads. */
function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`
}

/** The format and delimiter the core detected, each one the user may correct (the file is read again). */
export function ImportDetected({
  detected,
  onDetect,
}: {
  detected: DetectedInfo
  onDetect: (override: Pick<DetectedInfo, 'format' | 'delimiter'>) => void
}) {
  return (
    <div className="import-detected">
      <label className="map-field">
        <span>Format</span>
        <select
          aria-label="Format"
          value={detected.format}
          onChange={(e) =>
            onDetect({ format: e.target.value as DetectedInfo['format'], delimiter: detected.delimiter })
          }
        >
          {FORMATS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      {detected.format === 'csv' && (
        <label className="map-field">
          <span>Delimiter</span>
          <select
            aria-label="Delimiter"
            value={detected.delimiter ?? ','}
            onChange={(e) => onDetect({ format: 'csv', delimiter: e.target.value as DetectedInfo['delimiter'] })}
          >
            <option value=",">comma</option>
            <option value=";">semicolon</option>
            <option value={'\t'}>tab</option>
            <option value="|">pipe</option>
          </select>
        </label>
      )}
      <p className="muted">
        {detected.columns.length} fields · {fileSize(detected.size)}
        {detected.notes.length > 0 && ` · ${detected.notes.join(' · ')}`}
      </p>
    </div>
  )
}
