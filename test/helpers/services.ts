import type { AnyEvent, Method, Output, ParsedInput } from '../../shared/contract'
import { contract } from '../../shared/contract'
import { createServices, type Services } from '../../electron/core/services'
import { createSettingsStore } from '../../electron/core/settings'

/**
 * The services as `assay serve` builds them, over a settings folder of the test's own: the demo
 * goes there too. The clock is fixed unless the test passes one; events go to `emit`.
 */
export function testServices(
  home: string,
  options: { clock?: () => Date; emit?: (event: AnyEvent) => void } = {},
): Services {
  return createServices({
    shell: 'serve',
    version: 'test',
    settings: createSettingsStore(home),
    clock: options.clock ?? (() => new Date('2026-03-01T00:00:00Z')),
    emit: options.emit ?? (() => undefined),
    demoPath: `${home}/demo.assay`,
  })
}

/** Calls a handler the way both shells do: the input parsed by the contract first. */
export const contractCaller =
  (services: () => Services) =>
  async <M extends Method>(method: M, input: unknown): Promise<Output<M>> =>
    await services().handlers[method](contract[method].input.parse(input) as ParsedInput<M>)
