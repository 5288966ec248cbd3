import { vi } from 'vitest'

type Input = Record<string, unknown>

/** What a fake handler returns for the core to refuse the call (the client then throws it as an ApiError). */
export class Refusal {
  constructor(
    readonly message: string,
    readonly kind = 'invalid_input',
  ) {}
}

/**
 * The renderer's store over a fake of the preload's bridge: `window.assay.items.list(input)` and
 * the rest, each method answered by `handlers` (a `Refusal` is an error envelope; a method with
 * no handler is refused as when no project is open). A fresh store each call.
 */
export async function storeOver(handlers: Record<string, (input: Input) => unknown>) {
  const bridge = new Proxy(
    {},
    {
      get: (_, namespace: string) =>
        namespace === 'onEvent'
          ? () => () => undefined
          : namespace === 'reportLabeling'
            ? () => undefined
            : new Proxy(
                {},
                {
                  get: (__, leaf: string) => async (input: Input) => {
                    const method = `${namespace}.${leaf}`
                    if (!(method in handlers))
                      return { ok: false, error: { kind: 'not_found', message: 'No project is open.' } }
                    const value = await handlers[method](input)
                    return value instanceof Refusal
                      ? { ok: false, error: { kind: value.kind, message: value.message } }
                      : { ok: true, value }
                  },
                },
              ),
    },
  )
  vi.resetModules()
  vi.stubGlobal('window', { assay: bridge })
  return (await import('../../renderer/store')).useStore
}
