/**
 * An answer equal or nearly equal to the prompt is an echo: a backend that
 * lost its chat template or context returns the input. Never an answer.
 */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[^\p{L}\p{N} ]/gu, '')
    .trim()
}

export function isEcho(prompt: string, answer: string, threshold = 0.9): boolean {
  const a = normalize(answer)
  const p = normalize(prompt)
  if (a.length === 0 || p.length === 0) return false
  if (a === p) return true
  const longer = Math.max(a.length, p.length)
  if (Math.min(a.length, p.length) / longer < threshold) return false
  return 1 - levenshtein(a, p) / longer >= threshold
}

/**
 * While the answer so far is still a prefix of the prompt, it might become an echo, so it is held back.
 * Asked at the first token: only as much of the prompt is normalized as the answer needs, not a long
 * prompt (a pasted document, a task's context) whole.
 */
export function couldStillBeEcho(prompt: string, answerSoFar: string): boolean {
  const a = normalize(answerSoFar)
  return normalizedStart(prompt, a.length).startsWith(a)
}

/**
 * The start of normalize(text), at least `length` characters of it where the text has them. A cut
 * text normalizes to a prefix of the whole one but for its last character (a final sigma, half a
 * surrogate pair, a space trimmed), so a start longer than `length` + 1 is exact where it is compared.
 */
export function normalizedStart(text: string, length: number): string {
  for (let take = 2 * length + 64; ; take *= 2) {
    if (take >= text.length) return normalize(text)
    const start = normalize(text.slice(0, take))
    if (start.length > length + 1) return start
  }
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
