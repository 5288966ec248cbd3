/**
 * Errors cross every boundary (IPC, HTTP, CLI) as values, because a thrown Electron IPC error
 * loses its detail. Each kind has a message written for the user: what went wrong, where, and
 * what to do.
 */
export const ERROR_KINDS = [
  'invalid_input',
  'forbidden',
  'no_project',
  'not_found',
  'newer_version',
  'corrupt',
  /** The project is open read-only (a read-only file, folder or mount): a change was refused. */
  'read_only',
  'io',
  'conflict',
  'unsupported',
  'internal',
] as const
export type ErrorKind = (typeof ERROR_KINDS)[number]

export interface AppErrorData {
  kind: ErrorKind
  message: string
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: AppErrorData }

/** An error a service raises on purpose; its message is shown to the user as is. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

/** Turns anything thrown into the error half of an envelope, keeping AppError's kind. */
export function toErrorData(error: unknown): AppErrorData {
  if (error instanceof AppError) return { kind: error.kind, message: error.message }
  const message = error instanceof Error ? error.message : String(error)
  return { kind: 'internal', message: `Unexpected error: ${message}. Please report it with the steps that led to it.` }
}
