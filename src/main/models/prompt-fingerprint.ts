import { createHash } from 'node:crypto'

/** A short, fixed-size key for what was asked, so a circuit can tell one prompt failing again from many failing. */
export function promptFingerprint(prompt: string): string {
  return createHash('sha256').update(prompt).digest('base64url').slice(0, 22)
}
