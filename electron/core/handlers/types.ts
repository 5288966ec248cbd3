/**
 * The types the handler parts share: the handler map the contract asks for, one feature's part of
 * it, what the shell gives the services, and the scope every part works in.
 */
import type { AnyEvent, Method, Output, ParsedInput } from '../../../shared/contract'
import type { ProjectContext } from '../context'
import type { KeyStore } from '../judge/keys'
import type { PdfPrinter } from '../report/render'
import type { SettingsStore } from '../settings'
import type { WriteGate } from './gate'
import type { ProfileAccess } from './profiles'

/** One handler per contract method, taking its parsed input and giving its output. */
export type Handlers = { [M in Method]: (input: ParsedInput<M>) => Promise<Output<M>> | Output<M> }

/**
 * The handlers of the methods in the namespaces `N` (`Part<'labels' | 'sessions'>`): one feature's share of the map.
 */
export type Part<N extends string> = Pick<Handlers, Extract<Method, `${N}.${string}`>>

export interface ServiceDeps {
  shell: 'electron' | 'serve'
  version: string
  settings: SettingsStore
  clock: () => Date
  /** Pushes an event to every connected renderer. */
  emit: (event: AnyEvent) => void
  /** Where "Open demo project" writes its file. */
  demoPath: string
  nativeBinding?: string
  /** Where API keys live: safeStorage in Electron; key files in the settings folder by default. */
  keys?: KeyStore
  /** The environment API keys may come from (OPENAI_API_KEY); the process's by default. */
  env?: NodeJS.ProcessEnv
  /** Prints a report's HTML to PDF: Electron's printToPDF; headless Chromium by default. */
  printPdf?: PdfPrinter
  /** A native file dialog, where the shell has one. */
  pickFile?: (mode: 'open' | 'create' | 'import' | 'merge') => Promise<string | null>
  /**
   * A native save dialog (File → Export…), suggesting a file name; null when cancelled.
   * Without one, exports are downloads.
   */
  saveFile?: (filename: string) => Promise<string | null>
  /**
   * How long after opening a project its background integrity check starts
   * (default 1.5 s: after the first page).
   */
  integrityDelayMs?: number
}

/** What every handler part works in: the shell's deps, the open project, the write gate and the model profiles. */
export interface Scope {
  deps: ServiceDeps
  /** The open project, or the refusal that says to open one. */
  project: () => ProjectContext
  /** Told when a window reads an item's trace (the first lets the background check start). */
  traceShown: () => void
  gate: WriteGate
  profiles: ProfileAccess
}
