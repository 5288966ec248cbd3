/**
 * The write gate, applied once to every method the contract declares (`gate` in
 * shared/contract.ts) instead of by hand in each handler: a change to a read-only project is
 * refused with why and what to do, and a change made while an import is running waits for it to
 * commit. An import holds the write lock on its own connection until it commits; a write made
 * meanwhile waits here (the renderer shows the label as saving) instead of blocking the process in
 * SQLite's busy timeout and failing. Reads go ahead: WAL lets them.
 */
import { contract, methodNames, type Gate, type Method } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import type { ProjectContext } from '../context'
import { readOnlyRefusal } from '../db/open'
import type { Handlers } from './types'

export interface WriteGate {
  /** The open project, when it can be written; the read-only refusal otherwise. */
  writable(): ProjectContext
  /** Resolves once no import is in progress (at once when none is). */
  untilImported(): Promise<void>
  /** Runs an import as the one writes wait for, until it ends. */
  whileImporting<T>(run: Promise<T>): Promise<T>
}

export function createGate(project: () => ProjectContext): WriteGate {
  let importing: Promise<unknown> | null = null
  return {
    writable() {
      const p = project()
      if (p.readOnly) throw new AppError('read_only', readOnlyRefusal(p.path, p.readOnly))
      return p
    },
    async untilImported() {
      while (importing) await importing.catch(() => undefined)
    },
    whileImporting(run) {
      importing = run
      return run.finally(() => {
        if (importing === run) importing = null
      })
    },
  }
}

/** The gate a method declares in the contract, or null for one that passes freely. */
export function gateOf(method: Method): Gate | null {
  const spec = contract[method]
  return 'gate' in spec ? spec.gate : null
}

type AnyHandler = (input: unknown) => unknown

/** Each handler behind the gate its method declares: writable first, then (for a change) no import running. */
export function gated(handlers: Handlers, gate: WriteGate): Handlers {
  const out: Partial<Record<Method, AnyHandler>> = {}
  for (const method of methodNames) {
    const handler = handlers[method] as AnyHandler
    out[method] = behind(gateOf(method), handler, gate)
  }
  return out as Handlers
}

function behind(kind: Gate | null, handler: AnyHandler, gate: WriteGate): AnyHandler {
  switch (kind) {
    case null:
      return handler
    case 'write':
      return async (input) => {
        gate.writable()
        await gate.untilImported()
        return handler(input)
      }
    case 'import':
      return async (input) => {
        gate.writable()
        return await handler(input)
      }
    case 'after-import':
      return async (input) => {
        await gate.untilImported()
        return handler(input)
      }
  }
}
