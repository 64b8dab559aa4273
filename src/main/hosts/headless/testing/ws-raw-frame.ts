import { randomBytes } from 'node:crypto'

/**
 * A client frame written straight to the socket, bypassing the client's own
 * checks, so a test can send what a browser never would: invalid UTF-8, a
 * reserved opcode. Client frames must be masked.
 */
export function rawFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4)
  const length = payload.length
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, 0x80 | length])
      : Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff])
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!))
  return Buffer.concat([header, mask, masked])
}
