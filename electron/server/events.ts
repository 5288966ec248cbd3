import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AnyEvent } from '../../shared/contract'
import { refusal, send, tokenMatches } from './http'

/**
 * Server-sent events (`GET /events?token=…`): the pages connected with the token, and pushing an
 * event to all of them (what the desktop app sends over IPC).
 */
export function createEventStreams(token: string) {
  const streams = new Set<ServerResponse>()
  return {
    /** Opens an event stream for a page that has the token. */
    open(req: IncomingMessage, res: ServerResponse, url: URL): void {
      if (!tokenMatches(url.searchParams.get('token'), token)) {
        send(res, 401, refusal('Missing or wrong token.'))
        return
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      res.write(': connected\n\n')
      streams.add(res)
      req.on('close', () => streams.delete(res))
    },
    /** Pushes an event to every connected page. */
    emit(event: AnyEvent): void {
      const data = `data: ${JSON.stringify(event)}\n\n`
      for (const res of streams) res.write(data)
    },
    /** Ends every stream (the server is stopping). */
    close(): void {
      for (const res of streams) res.end()
      streams.clear()
    },
  }
}
