/** The Calibrate screen's methods: the versions to choose from, a version's calibration, a cell's items, targets. */
import { calibrate, calibrationChoices, cellItems, setTargets } from '../calibrate'
import type { Part, Scope } from './types'

export function calibrateHandlers({ project }: Scope): Part<'calibrate'> {
  return {
    'calibrate.choices': () => calibrationChoices(project()),
    'calibrate.get': (request) => calibrate(project(), request),
    'calibrate.cell': (input) => cellItems(project(), input),
    'calibrate.targets': ({ criterionId, targets }) => setTargets(project(), criterionId, targets),
  }
}
