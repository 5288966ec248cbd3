import { useEffect } from 'react'
import { useStore } from '../../store'
import { LabelingView } from './LabelingView'
import { SessionSetup } from './SessionSetup'
import { SessionSummary } from './SessionSummary'

/** Label: the session setup, then one item per screen, then the session's summary. */
export function LabelScreen() {
  const session = useStore((s) => s.session)
  const done = useStore((s) => (s.session ? s.position >= s.session.items.length : false))
  const loadLabeling = useStore((s) => s.loadLabeling)
  useEffect(() => {
    if (!useStore.getState().session) void loadLabeling()
  }, [loadLabeling])
  if (!session) return <SessionSetup />
  return done ? <SessionSummary /> : <LabelingView />
}
