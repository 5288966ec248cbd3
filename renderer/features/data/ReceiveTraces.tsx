import { useShallow } from 'zustand/react/shallow'
import { formatCount } from '../../format'
import { useStore } from '../../store'

/**
 * Data → "Receive traces": the button (key r) that starts or stops the project's OTLP receiver,
 * and while it runs, the address to give the app and what has come in.
 */
export function ReceiveTraces() {
  const { receiving, lastBatch, toggleReceiving } = useStore(
    useShallow((s) => ({ receiving: s.receiving, lastBatch: s.lastBatch, toggleReceiving: s.toggleReceiving })),
  )
  return (
    <>
      <button
        onClick={() => void toggleReceiving()}
        aria-pressed={receiving.running}
        title="Receive traces from an app instrumented with OpenTelemetry: an OTLP/HTTP endpoint on 127.0.0.1 (JSON or protobuf)"
      >
        <kbd>r</kbd> {receiving.running ? 'Stop receiving' : 'Receive traces'}
      </button>
      {receiving.endpoint && (
        <span className="receiving" data-testid="receiving">
          OTEL_EXPORTER_OTLP_ENDPOINT=<code>{receiving.endpoint}</code> · {formatCount(receiving.traces)} traces,{' '}
          {formatCount(receiving.spans)} spans
          {lastBatch && ` · last: +${formatCount(lastBatch.newTraces)} traces, ${formatCount(lastBatch.spans)} spans`}
          {lastBatch &&
            lastBatch.heldBack > 0 &&
            ` (${formatCount(lastBatch.heldBack)} waiting for spans with content)`}
        </span>
      )}
    </>
  )
}
