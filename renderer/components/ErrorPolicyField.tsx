import { ERROR_POLICY_NAMES } from '../../shared/calibrate'
import { ERROR_POLICIES, type ErrorPolicy } from '../../shared/stats'

/** What an error verdict (UNKNOWN/ERROR) counts as: the same field on Calibrate and Report (`e` cycles it). */
export function ErrorPolicyField({
  value,
  onChange,
  testId,
  title,
}: {
  value: ErrorPolicy
  onChange: (policy: ErrorPolicy) => void
  testId: string
  title?: string
}) {
  return (
    <label>
      <span>
        Error verdicts <kbd>e</kbd>
      </span>
      <select
        value={value}
        onChange={(ev) => onChange(ERROR_POLICIES.find((p) => p === ev.target.value) ?? value)}
        data-testid={testId}
        title={title}
      >
        {ERROR_POLICIES.map((p) => (
          <option key={p} value={p}>
            {ERROR_POLICY_NAMES[p]}
          </option>
        ))}
      </select>
    </label>
  )
}
