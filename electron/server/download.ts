import type { ServerResponse } from 'node:http'
import type { ExportFile } from '../core/export-file'
import { refusal, send } from './http'

/**
 * Streams an export to the browser as a file download (`GET /download/TICKET`). The ticket came
 * from an `export.run` call made with the token, works once and for a minute
 * (electron/core/downloads.ts).
 */
export async function sendDownload(
  ticket: string,
  res: ServerResponse,
  lookup: ((ticket: string) => ExportFile | null) | undefined,
): Promise<void> {
  const file = lookup?.(ticket) ?? null
  if (!file) {
    send(
      res,
      404,
      refusal(
        'This download link was used already or has expired: export again (File → Export…, or e on the Data screen).',
      ),
    )
    return
  }
  res.writeHead(200, {
    'content-type': file.mime,
    'content-disposition': `attachment; filename="${file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${rfc5987(file.filename)}`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'",
  })
  try {
    await file.write(res)
    res.end()
  } catch {
    res.destroy() // the browser shows the download as failed rather than complete and cut short
  }
}

/** A header parameter value per RFC 5987 (encodeURIComponent leaves ' ( ) * as they are). */
const rfc5987 = (text: string): string =>
  encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
