import type { RefObject } from 'react'
import { IntervalMethodSchema, type Targets } from '../../../shared/calibrate'
import { INTERVAL_METHODS } from '../../../shared/stats'
import { ErrorPolicyField } from '../../components/ErrorPolicyField'
import { METHOD_NAMES, type CalibrateParams } from './format'
import { NumberField } from './NumberField'

/** The Calibrate screen's choices: the judge version, the interval and its parameters, the targets. */
export function CalibrateBar({
  choices,
  versionId,
  onVersion,
  params,
  onParams,
  targets,
  onTargets,
  picker,
}: {
  choices: { versionId: number; label: string }[]
  versionId: number | null
  onVersion: (versionId: number) => void
  params: CalibrateParams
  onParams: (params: CalibrateParams) => void
  targets: Targets
  onTargets: (targets: Targets) => void
  picker: RefObject<HTMLSelectElement | null>
}) {
  return (
    <header className="calibrate-bar">
      <label>
        <span>
          Judge <kbd>v</kbd>
        </span>
        <select
          ref={picker}
          value={versionId ?? ''}
          onChange={(ev) => onVersion(Number(ev.target.value))}
          data-testid="calibrate-version"
        >
          {choices.map((c) => (
            <option key={c.versionId} value={c.versionId}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Interval
        <select
          value={params.method}
          onChange={(ev) => onParams({ ...params, method: IntervalMethodSchema.parse(ev.target.value) })}
          data-testid="calibrate-method"
        >
          {INTERVAL_METHODS.map((m) => (
            <option key={m} value={m}>
              {METHOD_NAMES[m] ?? m}
            </option>
          ))}
        </select>
      </label>
      <ErrorPolicyField
        value={params.errors}
        onChange={(errors) => onParams({ ...params, errors })}
        testId="calibrate-errors"
        title="What a judge answer of UNKNOWN/ERROR counts as, in the matrices and the estimate"
      />
      <NumberField
        label="B"
        min={100}
        max={1_000_000}
        step={1000}
        value={params.iterations}
        onCommit={(iterations) => onParams({ ...params, iterations: Math.round(iterations) })}
      />
      <NumberField
        label="seed"
        min={0}
        step={1}
        value={params.seed}
        onCommit={(seed) => onParams({ ...params, seed: Math.round(seed) })}
      />
      <NumberField
        label="confidence"
        min={0.5}
        max={0.999}
        step={0.01}
        value={params.confidence}
        onCommit={(confidence) => onParams({ ...params, confidence })}
      />
      <NumberField
        label="target TPR/TNR"
        min={targets.minimum}
        max={1}
        step={0.01}
        value={targets.target}
        onCommit={(target) => onTargets({ ...targets, target })}
      />
      <NumberField
        label="minimum"
        min={0.01}
        max={targets.target}
        step={0.01}
        value={targets.minimum}
        onCommit={(minimum) => onTargets({ ...targets, minimum })}
      />
      <NumberField
        label="target interval width"
        min={0.01}
        max={0.9}
        step={0.01}
        value={params.targetWidth}
        onCommit={(targetWidth) => onParams({ ...params, targetWidth })}
      />
    </header>
  )
}
