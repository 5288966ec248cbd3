import { networkInterfaces } from 'node:os'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

/** Whether a host name or address is this machine only (no other machine can connect). */
export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || host.startsWith('127.')

/**
 * The Host headers (`name:port`, lower case) a server bound to `host` answers to: the loopback
 * names, plus every interface's address when bound to all of them, or the host itself. Any other
 * Host header is refused (DNS rebinding). `shown` is the address to print.
 */
export function serverHosts(host: string, port: number): { allowed: Set<string>; shown: string } {
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  const wildcard = host === '0.0.0.0' || host === '::'
  const names = [
    '127.0.0.1',
    'localhost',
    '[::1]',
    ...(wildcard ? interfaceAddresses() : isLoopback(host) ? [] : [hostPart]),
  ]
  return {
    allowed: new Set(names.map((h) => `${h}:${port}`.toLowerCase())),
    shown: wildcard || isLoopback(host) ? '127.0.0.1' : hostPart,
  }
}

/** Every address of this machine, for a server bound to all interfaces. */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((a) => (a ? [a.family === 'IPv6' ? `[${a.address}]` : a.address] : []))
}
