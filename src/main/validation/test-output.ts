/**
 * Reads what a test command printed: JUnit XML, TAP, a "N passed, N failed"
 * line, and a coverage figure, in that order of trust. Pure: the runner
 * hands it the captured output.
 */
export interface ParsedTests {
  readonly format: 'junit' | 'tap' | 'summary_line' | 'exit_code'
  readonly passed: number | null
  readonly failed: number | null
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0
}

/** JUnit XML: testcases, and those with a failure or error element (or attribute, as Node's reporter writes). */
export function parseJunit(xml: string): ParsedTests | null {
  if (!/<testsuites?[\s>]/.test(xml) && !/<testcase[\s>]/.test(xml)) return null
  const cases = xml.match(/<testcase\b[^>]*?(?:\/>|>[\s\S]*?<\/testcase>)/g) ?? []
  if (cases.length > 0) {
    const failed = cases.filter((c) => /<(failure|error)\b/.test(c) || /\sfailure="/.test(c)).length
    const skipped = cases.filter((c) => /<skipped\b/.test(c)).length
    return { format: 'junit', passed: cases.length - failed - skipped, failed }
  }
  // A summary-only report: the suite's totals.
  const suite = /<testsuites?\b[^>]*>/.exec(xml)?.[0] ?? ''
  const attr = (name: string): number => Number(new RegExp(`\\s${name}="(\\d+)"`).exec(suite)?.[1] ?? 0)
  const tests = attr('tests')
  if (tests === 0) return null
  const failed = attr('failures') + attr('errors')
  return { format: 'junit', passed: tests - failed - attr('skipped'), failed }
}

/** TAP: the `# pass` / `# fail` totals where the producer prints them, else the top-level ok / not ok lines. */
export function parseTap(text: string): ParsedTests | null {
  if (!/^(TAP version \d+|1\.\.\d+)\s*$/m.test(text)) return null
  const pass = /^# pass (\d+)\s*$/m.exec(text)
  const fail = /^# fail (\d+)\s*$/m.exec(text)
  if (pass && fail) return { format: 'tap', passed: Number(pass[1]), failed: Number(fail[1]) }
  const notOk = count(text, /^not ok\b/gm)
  const ok = count(text, /^ok\b(?!.*#\s*(SKIP|TODO))/gim)
  return { format: 'tap', passed: ok, failed: notOk }
}

/** The closing summaries of pytest, jest, vitest, mocha (on two lines), cargo and the like: the last counts printed. */
export function parseSummaryLine(text: string): ParsedTests | null {
  const tail = text.trimEnd().split('\n').slice(-12).join('\n')
  const last = (pattern: RegExp): number | null => {
    const all = [...tail.matchAll(pattern)]
    const found = all.at(-1)?.[1]
    return found === undefined ? null : Number(found)
  }
  const passed = last(/(\d+)\s+(?:passed|passing)\b/gi)
  const failed = last(/(\d+)\s+(?:failed|failing)\b/gi)
  if (passed === null && failed === null) return null
  return { format: 'summary_line', passed: passed ?? 0, failed: failed ?? 0 }
}

export function parseTests(output: string, junitFiles: readonly string[] = []): ParsedTests {
  for (const xml of [output, ...junitFiles]) {
    const junit = parseJunit(xml)
    if (junit) return junit
  }
  return parseTap(output) ?? parseSummaryLine(output) ?? { format: 'exit_code', passed: null, failed: null }
}

/**
 * Line coverage where the tool reports it: istanbul/c8's "All files" row (its % Lines column),
 * coverage.py's TOTAL row, Go's "coverage: N% of statements", an lcov-style "Lines: N%".
 */
export function parseCoverage(output: string): number | null {
  const istanbul = /^\s*All files\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)/m.exec(output)
  if (istanbul) return Number(istanbul[4])
  const python = /^TOTAL\s+(?:\d+\s+)+(\d+(?:\.\d+)?)%\s*$/m.exec(output)
  if (python) return Number(python[1])
  const go = /coverage:\s*([\d.]+)% of statements/.exec(output)
  if (go) return Number(go[1])
  const lines = /^\s*lines\.*\s*:\s*([\d.]+)%/im.exec(output)
  if (lines) return Number(lines[1])
  return null
}
