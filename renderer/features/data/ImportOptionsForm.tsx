import type { ExistingPolicy, SplitName } from '../../../shared/import'
import { useStore } from '../../store'
import type { ImportOptions } from '../../store/slices/import'

/** How to import: the dataset's name, rows already in the project, the split, bad rows and duplicates; then Import. */
export function ImportOptionsForm() {
  const options = useStore((s) => s.importOptions)
  const preview = useStore((s) => s.importPreview)
  const setOptions = useStore((s) => s.setImportOptions)
  const runImport = useStore((s) => s.runImport)
  return (
    <div className="import-options">
      {!preview?.join && (
        <label className="map-field">
          <span>Dataset name</span>
          <input
            aria-label="Dataset name"
            value={options.datasetName}
            onChange={(e) => setOptions({ datasetName: e.target.value })}
          />
        </label>
      )}
      {!preview?.join && (
        <label
          className="map-field"
          title="A row whose id is an item of the project already adds its labels, verdicts, split and new metadata to that item; its trace, if different, is reported and the stored one kept."
        >
          <span>Rows whose id is in the project</span>
          <select
            aria-label="Rows whose id is in the project"
            value={options.existing}
            onChange={(e) => setOptions({ existing: e.target.value as ExistingPolicy })}
          >
            <option value="join">add to those items</option>
            <option value="copy">import a copy (new items)</option>
          </select>
        </label>
      )}
      <label
        className="map-field"
        title="Puts every item of this file that has a human label in that split, on each criterion the file labels or judges (e.g. the file of your test set)."
      >
        <span>These items are</span>
        <select
          aria-label="These items are"
          value={options.split ?? ''}
          onChange={(e) => setOptions({ split: e.target.value === '' ? null : (e.target.value as SplitName) })}
        >
          <option value="">placed in splits by Assay</option>
          <option value="train">the train set</option>
          <option value="dev">the dev set</option>
          <option value="test">the test set</option>
        </select>
      </label>
      <label className="map-field">
        <span>Bad rows</span>
        <select
          aria-label="Bad rows"
          value={options.onError}
          onChange={(e) => setOptions({ onError: e.target.value as 'abort' | 'skip' })}
        >
          <option value="abort">stop and import nothing</option>
          <option value="skip">skip them (counted and listed)</option>
        </select>
      </label>
      <label className="map-field">
        <span>Duplicate ids</span>
        <select
          aria-label="Duplicate ids"
          value={options.duplicates}
          onChange={(e) => setOptions({ duplicates: e.target.value as ImportOptions['duplicates'] })}
        >
          <option value="abort">stop and import nothing</option>
          <option value="skip">keep the first, skip the rest</option>
          <option value="replace">keep the last</option>
          <option value="keep-both">keep all (suffix #2, #3…)</option>
        </select>
      </label>
      <button className="primary" onClick={() => void runImport()}>
        {preview?.join ||
        (preview && preview.matched === preview.rows.length && preview.rows.length > 0 && options.existing === 'join')
          ? 'Add to existing items'
          : 'Import'}{' '}
        <kbd>Ctrl/⌘+Enter</kbd>
      </button>
    </div>
  )
}
