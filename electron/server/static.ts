import { readFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { refusal, send } from './http'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
}
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/**
 * The built renderer's files, under a strict CSP; nothing outside `rendererDir` (a `..` or an
 * encoded escape is a 404).
 */
export async function serveStatic(rendererDir: string, pathname: string, res: ServerResponse): Promise<void> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    send(res, 400, refusal('Bad address.'))
    return
  }
  const relative = pathname === '/' ? 'index.html' : normalize(decoded).replace(/^[/\\]+/, '')
  const file = join(rendererDir, relative)
  if (!file.startsWith(rendererDir + sep) || relative.split(/[/\\]/).includes('..')) {
    send(res, 404, refusal('Not found.'))
    return
  }
  try {
    const content = await readFile(file)
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': relative === 'index.html' ? 'no-store' : 'max-age=3600',
    })
    res.end(content)
  } catch {
    send(res, 404, refusal(`Not found: ${pathname}`))
  }
}
