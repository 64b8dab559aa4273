/**
 * "1 chunk", "3 chunks": a count with its noun, the one way every view, command and message words one
 * (`plural` for the nouns that do not just take an s).
 */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`
}
