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
  // An echo starts as the prompt does, its instruction included; a document proofread or reformatted as asked starts with the document.
  const start = Math.min(START_WINDOW, p.length)
  if (!editDistanceAtMost(a.slice(0, start), p.slice(0, start), allowedEdits(start, threshold))) return false
  if (longer <= 2 * COMPARED_WINDOW) return editDistanceAtMost(a, p, allowedEdits(longer, threshold))
  // A long echo repeats the prompt from its first words to its last: its start and its end are each alike.
  const edits = allowedEdits(COMPARED_WINDOW, threshold)
  return (
    editDistanceAtMost(a.slice(0, COMPARED_WINDOW), p.slice(0, COMPARED_WINDOW), edits) &&
    editDistanceAtMost(a.slice(-COMPARED_WINDOW), p.slice(-COMPARED_WINDOW), edits)
  )
}

/**
 * Past twice this many normalized characters, only the start and the end of the two texts are compared:
 * the band of a whole 20,000-character answer was 80 million cells (0.7 s of the event loop);
 * two windows are at most 1.6 million, about 15 ms.
 */
export const COMPARED_WINDOW = 2000

/**
 * How much of the prompt's start an echo repeats nearly as it is. Without it, "Fix the typos" followed by a
 * long document made the document fixed as asked look 90% like the prompt: an echo, and the task failed.
 */
const START_WINDOW = 60

/** The most edits two texts, the longer `longer` characters, may differ by and still be `threshold` alike (1 - edits / longer >= threshold). */
function allowedEdits(longer: number, threshold: number): number {
  // From just above the quotient down, so a product that floats a hair under an integer is not cut to the one below it.
  let edits = Math.ceil((1 - threshold) * longer) + 1
  while (edits > 0 && 1 - edits / longer < threshold) edits--
  return edits
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

/**
 * Whether `a` becomes `b` in at most `k` single-character edits. A full edit
 * distance of two 10,000-character texts took 2.2 s of the event loop at
 * every long answer's end; here the common start and end are skipped (an echo
 * shares most of both), only the cells within `k` of the diagonal are
 * computed (no other can stay within `k`: Ukkonen), and the scan stops at
 * the first row whose every cell exceeds `k` (an unrelated answer, early).
 */
export function editDistanceAtMost(a: string, b: string, k: number): boolean {
  let start = 0
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--
    endB--
  }
  const n = endA - start
  const m = endB - start
  if (Math.abs(n - m) > k) return false
  if (n === 0 || m === 0) return Math.max(n, m) <= k
  const bCodes = new Uint16Array(m)
  for (let j = 0; j < m; j++) bCodes[j] = b.charCodeAt(start + j)
  // A cell outside the band counts as k + 1: past the limit, whatever it really is.
  const beyond = k + 1
  let previous = new Int32Array(m + 2).fill(beyond)
  let current = new Int32Array(m + 2).fill(beyond)
  for (let j = 0; j <= Math.min(m, k); j++) previous[j] = j
  for (let i = 1; i <= n; i++) {
    const from = Math.max(1, i - k)
    const to = Math.min(m, i + k)
    let left = from === 1 ? i : beyond
    current[from - 1] = left
    let rowBest = left
    const ai = a.charCodeAt(start + i - 1)
    for (let j = from; j <= to; j++) {
      let cell = previous[j - 1]! + (ai === bCodes[j - 1] ? 0 : 1)
      const up = previous[j]! + 1
      if (up < cell) cell = up
      if (left + 1 < cell) cell = left + 1
      current[j] = cell
      left = cell
      if (cell < rowBest) rowBest = cell
    }
    current[to + 1] = beyond
    // A row's best cell never improves further down, so once it is past k the distance is.
    if (rowBest > k) return false
    const done = previous
    previous = current
    current = done
  }
  return previous[m]! <= k
}
