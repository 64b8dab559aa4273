import parse from 'parse-prometheus-text-format'

/**
 * The rules `promtool check metrics` applies (Prometheus' promlint), for a test that needs no Go
 * toolchain: HELP present; counters end in _total and nothing else does; no abbreviated units
 * (_ms, _s, _kb …); base units (seconds, bytes), not milliseconds or minutes; no _count/_sum/_bucket
 * on anything but histograms and summaries; no type in the name; snake_case; and histograms whose
 * buckets are cumulative, end at +Inf and agree with _count.
 */
export function lintPrometheusText(text: string): string[] {
  const problems: string[] = []
  const typed = new Map<string, string>()
  for (const line of text.split('\n')) {
    const m = /^# TYPE (\S+) (\S+)$/.exec(line)
    if (m?.[1] && m[2]) typed.set(m[1], m[2])
  }
  for (const family of parse(text)) {
    const { name } = family
    const type = typed.get(name)
    const say = (what: string): void => void problems.push(`${name}: ${what}`)
    if (!type) say('no TYPE line')
    if (family.help.trim() === '') say('no help text')
    if (type === 'counter' && !name.endsWith('_total')) say('counter metrics should have "_total" suffix')
    if (type !== 'counter' && name.endsWith('_total')) say('non-counter metrics should not have "_total" suffix')
    if (type !== 'histogram' && type !== 'summary' && /_(count|sum|bucket)$/.test(name))
      say('non-histogram and non-summary metrics should not have "_count", "_sum" or "_bucket" suffixes')
    if (/_(gauge|counter|histogram|summary|untyped)(_|$)/.test(name)) say('metric name should not include type')
    if (/[A-Z]/.test(name) || name.includes(':')) say('metric names should be written in snake_case, without colons')
    for (const token of name.split('_')) {
      if (ABBREVIATIONS.has(token)) say(`metric names should not contain abbreviated units ("${token}")`)
      const base = NON_BASE_UNITS.get(token)
      if (base) say(`use base unit "${base}" instead of "${token}"`)
    }
    if (type === 'histogram') problems.push(...histogramProblems(name, histogramSeries(text, name)))
  }
  return problems
}

export interface HistogramSeries {
  readonly labels: Readonly<Record<string, string>>
  /** le → cumulative count, in the order served. */
  readonly buckets: ReadonlyMap<string, number>
  readonly count: number | undefined
  readonly sum: number | undefined
}

/** A histogram's series read from the text itself (the parser library drops their labels, _sum and _count). */
export function histogramSeries(text: string, name: string): HistogramSeries[] {
  const series = new Map<
    string,
    { labels: Record<string, string>; buckets: Map<string, number>; count?: number; sum?: number }
  >()
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!m?.[1] || !m[1].startsWith(name) || m[3] === undefined) continue
    const suffix = m[1].slice(name.length)
    if (suffix !== '_bucket' && suffix !== '_sum' && suffix !== '_count') continue
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) if (l[1]) labels[l[1]] = l[2] ?? ''
    const { le, ...rest } = labels
    const key = JSON.stringify(rest)
    const entry = series.get(key) ?? { labels: rest, buckets: new Map<string, number>() }
    series.set(key, entry)
    const value = Number(m[3])
    if (suffix === '_bucket' && le !== undefined) entry.buckets.set(le, value)
    else if (suffix === '_sum') entry.sum = value
    else if (suffix === '_count') entry.count = value
  }
  return [...series.values()].map((e) => ({ labels: e.labels, buckets: e.buckets, count: e.count, sum: e.sum }))
}

function histogramProblems(name: string, samples: readonly HistogramSeries[]): string[] {
  const problems: string[] = []
  for (const s of samples) {
    const where = `${name}${JSON.stringify(s.labels)}`
    const buckets = [...s.buckets]
      .map(([le, v]) => [le === '+Inf' ? Infinity : Number(le), v] as const)
      .sort((a, b) => a[0] - b[0])
    if (buckets.length === 0) problems.push(`${where}: histogram without buckets`)
    if (buckets.at(-1)?.[0] !== Infinity) problems.push(`${where}: histogram without a +Inf bucket`)
    if (buckets.some(([, v], i) => i > 0 && v < (buckets[i - 1]?.[1] ?? 0)))
      problems.push(`${where}: bucket counts are not cumulative`)
    if (s.count === undefined || s.sum === undefined) problems.push(`${where}: histogram without _count or _sum`)
    else if (s.count !== buckets.at(-1)?.[1]) problems.push(`${where}: _count ${s.count} differs from the +Inf bucket`)
  }
  return problems
}

const ABBREVIATIONS = new Set(['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd'])
const NON_BASE_UNITS = new Map<string, string>([
  ...['milliseconds', 'microseconds', 'nanoseconds', 'minutes', 'hours', 'days', 'weeks'].map(
    (u) => [u, 'seconds'] as const
  ),
  ...['kilobytes', 'megabytes', 'gigabytes', 'kibibytes', 'mebibytes', 'gibibytes', 'bits'].map(
    (u) => [u, 'bytes'] as const
  )
])
