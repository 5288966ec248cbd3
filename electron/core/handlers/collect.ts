/**
 * Data → "Receive traces": the app's share of `assay collect`. One receiver at a time, for the
 * open project, writing through a connection of its own; every committed request is pushed as a
 * `collect.batch` event (the Data table refreshes on it). It stops when the project closes or
 * another one opens (`stop`, called by the lifecycle), so it never writes into a file the app left.
 */
import { AppError } from '../../../shared/errors'
import type { CollectStatus } from '../../../shared/collect'
import { startReceiver, type Receiver } from '../collect/receiver'
import type { Part, Scope } from './types'

/** The OTLP/HTTP port exporters send to by default. */
const OTLP_PORT = 4318

interface Running {
  receiver: Receiver
  /** The project it writes into. */
  path: string
  counts: { traces: number; spans: number }
}

/** The app's one receiver: started by `collect.start`, stopped by `collect.stop` or when the project closes. */
export function createCollectRegistry() {
  let running: Running | null = null
  return {
    current: (): Running | null => running,
    set(next: Running | null): void {
      running = next
    },
    /** Stops receiving (the receiver finishes the request it is writing, then closes its connection). */
    stop(): Promise<void> {
      const r = running
      running = null
      return r ? r.receiver.close() : Promise.resolve()
    },
  }
}
export type CollectRegistry = ReturnType<typeof createCollectRegistry>

const statusOf = (r: Running | null): CollectStatus =>
  r
    ? { running: true, endpoint: r.receiver.endpoint, ...r.counts }
    : { running: false, endpoint: null, traces: 0, spans: 0 }

export function collectHandlers(scope: Scope, registry: CollectRegistry): Part<'collect'> {
  const { deps, project } = scope
  return {
    'collect.start': async ({ port }) => {
      const path = project().path
      const already = registry.current()
      if (already) return statusOf(already)
      const wanted = port ?? OTLP_PORT
      const counts = { traces: 0, spans: 0 }
      const receiver = await startReceiver({
        projectPath: path,
        port: wanted,
        host: '127.0.0.1',
        nativeBinding: deps.nativeBinding,
        clock: deps.clock,
        onBatch: (b) => {
          counts.traces += b.newTraces.length
          counts.spans += b.spans
          deps.emit({
            name: 'collect.batch',
            payload: {
              newTraces: b.newTraces.length,
              grownTraces: b.grownTraces.length,
              spans: b.spans,
              heldBack: b.heldBack.length,
              total: b.total,
            },
          })
        },
      }).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === 'EADDRINUSE')
          throw new AppError(
            'conflict',
            `Port ${wanted} is in use (is \`assay collect\` or another collector running?). Stop it, or receive on another port.`,
          )
        throw error
      })
      // The project may have closed (or another started receiving) while the port was being had.
      if (registry.current() || project().path !== path) {
        await receiver.close()
        throw new AppError('conflict', 'The project changed while the receiver was starting. Try again.')
      }
      const running: Running = { receiver, path, counts }
      registry.set(running)
      return statusOf(running)
    },
    'collect.stop': async () => {
      await registry.stop()
      return statusOf(null)
    },
    'collect.status': () => statusOf(registry.current()),
  }
}
