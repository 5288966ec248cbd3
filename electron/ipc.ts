import type { IpcMainEvent, IpcMainInvokeEvent } from 'electron'
import { channelOf, LABELING_CHANNEL, methodNames } from '../shared/contract'
import type { Envelope } from '../shared/errors'
import { dispatch } from './core/dispatch'
import type { Handlers } from './core/services'

/** The part of `ipcMain` we use; tests pass a fake, so this file never loads Electron at runtime. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, ...args: unknown[]) => Promise<unknown>,
  ): void
}

/**
 * Registers one `ipcMain.handle` per contract method. Every call first checks that it comes from
 * our own renderer (its frame URL must be trusted: the bundled file or the dev server), then
 * goes through `dispatch` (zod parse → service → envelope).
 */
export function registerIpc(ipcMain: IpcMainLike, handlers: Handlers, isTrustedUrl: (url: string) => boolean): void {
  for (const method of methodNames) {
    ipcMain.handle(channelOf(method), async (event, input): Promise<Envelope<unknown>> => {
      const url = event.senderFrame?.url
      if (!url || !isTrustedUrl(url)) {
        return {
          ok: false,
          error: { kind: 'forbidden', message: `Refused ${method}: the request did not come from Assay's own window.` },
        }
      }
      return dispatch(handlers, method, input)
    })
  }
}

/** The part of `ipcMain` the one-way labeling report uses; tests pass a fake. */
export interface IpcMainEventsLike {
  on(channel: string, listener: (event: Pick<IpcMainEvent, 'senderFrame'>, ...args: unknown[]) => void): void
}

/**
 * Listens for the renderer's report that a labeling session opened or closed (the updater never restarts
 * during one). Like every call, it counts only from our own window, and only as a boolean.
 */
export function onLabelingReport(
  ipcMain: IpcMainEventsLike,
  isTrustedUrl: (url: string) => boolean,
  report: (open: boolean) => void,
): void {
  ipcMain.on(LABELING_CHANNEL, (event, open) => {
    const url = event.senderFrame?.url
    if (!url || !isTrustedUrl(url) || typeof open !== 'boolean') return
    report(open)
  })
}
