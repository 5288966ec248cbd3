import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { channelOf, EVENT_CHANNEL, LABELING_CHANNEL, methodNames, splitMethod, type AnyEvent } from '../shared/contract'

/**
 * `window.assay`: one function per contract method (each bound to its own channel), plus an
 * event subscription, the path of a dropped file and the labeling-session report the updater
 * needs. No generic invoke and no raw ipcRenderer reach the page.
 */
const bridge: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {}
for (const method of methodNames) {
  const [namespace, leaf] = splitMethod(method)
  const channel = channelOf(method)
  bridge[namespace] ??= {}
  bridge[namespace][leaf] = (input: unknown) => ipcRenderer.invoke(channel, input ?? {})
}

const onEvent = (listener: (event: AnyEvent) => void): (() => void) => {
  const wrapped = (_: IpcRendererEvent, event: AnyEvent) => listener(event)
  ipcRenderer.on(EVENT_CHANNEL, wrapped)
  return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped)
}

// With context isolation a dropped File has no `path`; Electron's webUtils tells where it is on disk.
const pathForFile = (file: File): string => webUtils.getPathForFile(file)

// Main accepts only a boolean on this channel, from our own page (ipc.ts onLabelingReport).
const reportLabeling = (open: boolean): void => ipcRenderer.send(LABELING_CHANNEL, open)

contextBridge.exposeInMainWorld('assay', { ...bridge, onEvent, pathForFile, reportLabeling })
