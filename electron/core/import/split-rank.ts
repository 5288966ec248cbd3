/**
 * `splitRank` (judge/splits.ts) for an import's hundreds of thousands of labeled rows: the same
 * first 32 bits of sha256(seed, criterion, external id), computed in JavaScript. A `createHash`
 * object per id cost 6–10 µs under load, as much as writing the row; one 64-byte block of SHA-256
 * on typed arrays costs about 1 µs. test/unit/import/split-rank.test.ts holds it to `splitRank`.
 */

/** SHA-256's round constants (FIPS 180-4 §4.2.2). */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
])
/** SHA-256's initial hash value (FIPS 180-4 §5.3.3). */
const H = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
])
const encoder = new TextEncoder()
const w = new Int32Array(64)
const h = new Int32Array(8)
let message = new Uint8Array(256)

/** The first 32 bits of the SHA-256 of `text` (UTF-8, lone surrogates as U+FFFD, as `Hash.update` reads a string). */
export function sha256First32(text: string): number {
  if (message.length < text.length * 3 + 72) message = new Uint8Array(text.length * 6 + 72)
  const n = encoder.encodeInto(text, message).written
  const total = (((n + 8) >> 6) + 1) << 6
  message.fill(0, n, total)
  message[n] = 0x80
  const bits = n * 8
  message[total - 5] = Math.floor(bits / 2 ** 32)
  message[total - 4] = bits >>> 24
  message[total - 3] = bits >>> 16
  message[total - 2] = bits >>> 8
  message[total - 1] = bits
  h.set(H)
  for (let block = 0; block < total; block += 64) compress(block)
  return h[0] >>> 0
}

/** One 64-byte block of `message` into `h`. */
function compress(block: number): void {
  for (let i = 0; i < 16; i++) {
    const j = block + i * 4
    w[i] = (message[j] << 24) | (message[j + 1] << 16) | (message[j + 2] << 8) | message[j + 3]
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]
    const y = w[i - 2]
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0
  }
  let a = h[0]
  let b = h[1]
  let c = h[2]
  let d = h[3]
  let e = h[4]
  let f = h[5]
  let g = h[6]
  let k = h[7]
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
    const t1 = (k + s1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
    k = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  h[0] += a
  h[1] += b
  h[2] += c
  h[3] += d
  h[4] += e
  h[5] += f
  h[6] += g
  h[7] += k
}

/** `splitRank(seed, criterionId, externalId)`, the same number, faster (see the module's comment). */
export const importSplitRank = (seed: number, criterionId: number, externalId: string): number =>
  sha256First32(`${seed}\u0000${criterionId}\u0000${externalId}`)
