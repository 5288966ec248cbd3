import { execFileSync } from 'node:child_process'
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Root writes through any file mode (CI and this container run as root): only a read-only mount stops it. */
export const isRoot = process.getuid?.() === 0

/** The id of `nobody`, the non-root user read-only files are tried as when the tests run as root. */
export const NOBODY = 65534

export interface ReadOnlyView {
  /** The folder to open projects from: every file in it is read-only to this process. */
  dir: string
  kind: 'mount' | 'permissions'
  /** Undoes the view (unmounts, or gives write permission back); throws when it cannot. */
  release(): void
}

/**
 * A read-only view of the folder `src`: as root, a read-only bind mount at `mountPoint` (mode
 * bits do not stop root); as anyone else, `src` itself with the write permission taken from it
 * and its files, which stops them as surely. Both are what a user meets (a read-only share or
 * volume; a folder they may only read). Any step that fails throws: no test passes without it.
 */
export function readOnlyView(src: string, mountPoint: string): ReadOnlyView {
  if (isRoot) {
    execFileSync('mount', ['--bind', src, mountPoint])
    try {
      execFileSync('mount', ['-o', 'remount,ro,bind', mountPoint])
    } catch (error) {
      execFileSync('umount', [mountPoint])
      throw error
    }
    return { dir: mountPoint, kind: 'mount', release: () => unmount(mountPoint) }
  }
  const entries = [src, ...readdirSync(src).map((name) => join(src, name))]
  for (const path of entries) chmodSync(path, statSync(path).mode & ~0o222)
  return {
    dir: src,
    kind: 'permissions',
    release: () => entries.forEach((path) => chmodSync(path, statSync(path).mode | 0o200)),
  }
}

/**
 * Unmounts; a process that is still closing the project (a server just sent SIGTERM) keeps the
 * mount busy for a moment, so a busy mount is detached at once instead (`umount --lazy`: it is
 * gone from every path now, and the kernel frees it when the last file closes). Throws otherwise.
 */
function unmount(mountPoint: string): void {
  try {
    execFileSync('umount', [mountPoint], { stdio: 'pipe' })
  } catch {
    execFileSync('umount', ['--lazy', mountPoint])
  }
  if (readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${mountPoint} `))
    throw new Error(`${mountPoint} is still mounted`)
}

/**
 * The command line that runs `command args` as a user whose writes file modes stop: nobody
 * (through setpriv) when we are root, ourselves otherwise.
 */
export function asNonRoot(command: string, args: string[]): [string, string[]] {
  return isRoot
    ? ['setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', command, ...args]]
    : [command, args]
}
