/** The Calibrate screen's methods: the versions to choose from, a version's calibration, a cell's items, targets. */
import { startAudit } from '../audit'
import { calibrate, calibrationChoices, cellItems, setTargets } from '../calibrate'
import type { Part, Scope } from './types'

export function calibrateHandlers({ project }: Scope): Part<'calibrate' | 'audit'> {
  return {
    'calibrate.choices': () => calibrationChoices(project()),
    'calibrate.get': (request) => calibrate(project(), request),
    'calibrate.cell': (input) => cellItems(project(), input),
    'audit.start': (request) => startAudit(project(), request),
    'calibrate.targets': ({ criterionId, targets }) => setTargets(project(), criterionId, targets),
  }
}
