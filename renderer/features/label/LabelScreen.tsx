import { useEffect } from 'react'
import { ReadOnlyNotice } from '../../components/ReadOnlyNotice'
import { appSelectors, sessionDone, useStore } from '../../store'
import { LabelingView } from './LabelingView'
import { SessionSetup } from './SessionSetup'
import { SessionSummary } from './SessionSummary'

/** Label: the session setup, then one item per screen, then the session's summary. */
export function LabelScreen() {
  const session = useStore((s) => s.session)
  const done = useStore(sessionDone)
  const loadLabeling = useStore((s) => s.loadLabeling)
  const readOnly = useStore(appSelectors.readOnly)
  useEffect(() => {
    if (!useStore.getState().session && !readOnly) void loadLabeling()
  }, [loadLabeling, readOnly])
  // A session writes (its queue, then every label): say why there is none instead of failing at the first key.
  if (readOnly) return <ReadOnlyNotice what="Labeling" reason={readOnly} />
  if (!session) return <SessionSetup />
  return done ? <SessionSummary session={session} /> : <LabelingView session={session} />
}
