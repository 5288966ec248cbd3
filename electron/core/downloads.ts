import { randomBytes } from 'node:crypto'
import type { ExportFile } from './export-file'

/** How long a download link works: the browser fetches it at once, so a minute is plenty. */
export const DOWNLOAD_TTL_MS = 60_000

/**
 * One-time download links for `assay serve` (an export of any size streams to the browser instead
 * of crossing the API as one base64 string). A link is a random ticket that works once, within a
 * minute: the browser saves it as a plain navigation, so the launch token never appears in a URL
 * that download history keeps, and a ticket seen there afterwards opens nothing.
 */
export function createDownloads(clock: () => Date) {
  const pending = new Map<string, { file: ExportFile; expires: number }>()
  const sweep = () => {
    const now = clock().getTime()
    for (const [ticket, entry] of pending) if (entry.expires <= now) pending.delete(ticket)
  }
  return {
    add(file: ExportFile): string {
      sweep()
      const ticket = randomBytes(24).toString('base64url')
      pending.set(ticket, { file, expires: clock().getTime() + DOWNLOAD_TTL_MS })
      return ticket
    },
    /** The file of a ticket, once; null when the ticket is unknown, used or expired. */
    take(ticket: string): ExportFile | null {
      sweep()
      const entry = pending.get(ticket)
      pending.delete(ticket)
      return entry?.file ?? null
    },
  }
}
