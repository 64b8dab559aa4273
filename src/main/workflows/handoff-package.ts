import type { HandoffPackage, PackageSpec } from '../../shared/contract/workflows-contract'

/**
 * A step's answer as its hand-off package. The answer is Markdown with one
 * section per part (`## Summary`, `## Artifacts`, `## Open questions`,
 * `## Sources`, and a section per declared field); a bold label
 * (`**Verdict:** accept`) counts as a section too, since models write both.
 * Headings inside code fences are code, not sections. Pure and total: any
 * text parses, and the completeness check says what is missing.
 */
export interface ParsedAnswer {
  readonly package: HandoffPackage
  /** The parts whose section was there, even if empty ("none" is a statement; a missing section is an omission). */
  readonly present: ReadonlySet<string>
}

const ALIASES: Readonly<Record<string, string>> = {
  summary: 'summary',
  artifacts: 'artifacts',
  artefacts: 'artifacts',
  deliverables: 'artifacts',
  'open questions': 'open questions',
  questions: 'open questions',
  sources: 'sources',
  references: 'sources',
  citations: 'sources'
}
const CORE_PARTS = ['summary', 'artifacts', 'open questions', 'sources'] as const

export const normalName = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[_\-\s]+/g, ' ')
    .replace(/[:.]+$/, '')
    .trim()

const HEADING = /^\s{0,3}#{1,4}\s+(.+?)\s*#*\s*$/
const BOLD_LABEL = /^\s{0,3}\*\*([^*]{1,60}?):?\*\*:?\s*(.*)$/
const FENCE = /^\s{0,3}(```|~~~)/
const NONE = /^(none|n\/a|no|nothing|-)\.?$/i

/** Which part a label names, or null for a heading that is not a part of this package. */
function partOf(label: string, fieldNames: ReadonlyMap<string, string>): string | null {
  const name = normalName(label)
  return ALIASES[name] ?? fieldNames.get(name) ?? null
}

export function parseAnswer(answer: string, spec: Pick<PackageSpec, 'fields'>): ParsedAnswer {
  const fieldNames = new Map(spec.fields.map((f) => [normalName(f.name), `field:${f.name}`]))
  const sections = new Map<string, string[]>()
  let current: string[] | null = null
  let inFence = false
  for (const line of answer.split(/\r?\n/)) {
    if (FENCE.test(line)) inFence = !inFence
    else if (!inFence) {
      const heading = HEADING.exec(line)
      const bold = heading ? null : BOLD_LABEL.exec(line)
      const part = heading?.[1] ? partOf(heading[1], fieldNames) : bold?.[1] ? partOf(bold[1], fieldNames) : null
      if (part) {
        // A part given twice keeps both texts, in order.
        current = sections.get(part) ?? []
        sections.set(part, current)
        if (bold?.[2]) current.push(bold[2])
        continue
      }
      // A heading that names no part ends the part before it: its text is not that part's.
      if (heading) {
        current = null
        continue
      }
    }
    current?.push(line)
  }
  const text = (part: string): string => (sections.get(part) ?? []).join('\n').trim()
  const fields: Record<string, string> = {}
  for (const field of spec.fields) {
    const value = text(`field:${field.name}`)
    if (sections.has(`field:${field.name}`)) fields[field.name] = value
  }
  return {
    package: {
      summary: text('summary'),
      artifacts: artifactsOf(text('artifacts')),
      openQuestions: listOf(text('open questions')),
      sources: listOf(text('sources')),
      fields
    },
    present: new Set([...CORE_PARTS.filter((p) => sections.has(p)), ...Object.keys(fields).map((f) => `field:${f}`)])
  }
}

const ITEM = /^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(.*)$/

/** List items, or else non-empty lines; "none" means an empty list. */
function listOf(text: string): string[] {
  if (text === '' || NONE.test(text)) return []
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  const items: string[] = []
  for (const line of lines) {
    const item = ITEM.exec(line)
    if (item) items.push((item[1] ?? '').trim())
    else if (items.length > 0 && /^\s+\S/.test(line)) items[items.length - 1] += ` ${line.trim()}`
    else items.push(line.trim())
  }
  return items.filter((i) => i !== '' && !NONE.test(i))
}

/** Each fenced block is one artifact; without fences, list items or paragraphs are. */
function artifactsOf(text: string): string[] {
  if (text === '' || NONE.test(text)) return []
  const blocks = [...text.matchAll(/^\s{0,3}(```|~~~)[^\n]*\n[\s\S]*?\n\s{0,3}\1[ \t]*$/gm)].map((m) => m[0].trim())
  if (blocks.length > 0) return blocks
  if (text.split('\n').some((l) => ITEM.test(l))) return listOf(text)
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
}

/** What the package lacks against its spec, each in words that say what to add; empty when complete. */
export function missingParts(parsed: ParsedAnswer, spec: PackageSpec, citeSources: boolean): string[] {
  const { package: pkg, present } = parsed
  const missing: string[] = []
  if (!present.has('summary'))
    missing.push(
      `Summary: missing. Add a "## Summary" section of at least ${spec.summaryMinChars} characters saying what was done.`
    )
  else if (pkg.summary.length < spec.summaryMinChars)
    missing.push(
      `Summary: ${pkg.summary.length} characters, needs at least ${spec.summaryMinChars}. Say what was done and what it means.`
    )
  if (pkg.artifacts.length < spec.minArtifacts)
    missing.push(
      `Artifacts: ${pkg.artifacts.length} given, needs at least ${spec.minArtifacts}. Put each deliverable (a code block or a document) under "## Artifacts".`
    )
  const minSources = Math.max(spec.minSources, citeSources ? 1 : 0)
  if (pkg.sources.length < minSources)
    missing.push(
      `Sources: ${pkg.sources.length} given, needs at least ${minSources}. List each URL, file or knowledge entry used under "## Sources".`
    )
  if (spec.requireOpenQuestions && !present.has('open questions'))
    missing.push('Open questions: missing. Add "## Open questions" listing what is still unclear, or "None".')
  for (const field of spec.fields) {
    const value = pkg.fields[field.name]
    if (value === undefined) {
      missing.push(
        `${field.name}: missing. Add a "## ${field.name}" section${field.oneOf ? ` saying one of ${field.oneOf.join(', ')}` : ''}.`
      )
      continue
    }
    if (field.oneOf) {
      const word = firstWord(value)
      if (!field.oneOf.some((w) => w.toLowerCase() === word))
        missing.push(
          `${field.name}: "${value.slice(0, 40)}" is not one of ${field.oneOf.join(', ')}. Start the section with one of them.`
        )
    } else if (value.length < field.minChars)
      missing.push(`${field.name}: ${value.length} characters, needs at least ${field.minChars}.`)
  }
  return missing
}

/** The first word of a field's value, lower-case, without Markdown emphasis ("**Accept**." → "accept"). */
export function firstWord(value: string): string {
  const word =
    value
      .replace(/[*`"']/g, '')
      .trim()
      .split(/[\s.,;:!]+/)[0] ?? ''
  return word.replace(/^_+|_+$/g, '').toLowerCase()
}

/** The answer format told to the model, from the same spec the check uses, so asking and checking never drift. */
export function answerFormat(spec: PackageSpec, citeSources: boolean, writesFiles = false): string {
  const lines = [
    'Answer in Markdown with exactly these sections:',
    `## Summary — what you did and what it means, at least ${spec.summaryMinChars} characters.`
  ]
  lines.push(
    writesFiles
      ? '## Artifacts — every file you write or change, whole, each as a fenced code block whose first line names its path in the project folder, e.g. ```ts path=src/add.ts (relative paths only). The tests run on a copy of the project with these files in it.'
      : spec.minArtifacts > 0
        ? `## Artifacts — at least ${spec.minArtifacts} deliverable(s), each as a fenced code block or a list item.`
        : '## Artifacts — deliverables, if any (or "None").'
  )
  lines.push('## Open questions — what is still unclear, one per list item (or "None").')
  const minSources = Math.max(spec.minSources, citeSources ? 1 : 0)
  lines.push(
    minSources > 0
      ? `## Sources — at least ${minSources}: each URL, file or knowledge entry you used, one per list item.`
      : '## Sources — what you used, if anything (or "None").'
  )
  for (const field of spec.fields)
    lines.push(
      `## ${field.name} — ${field.oneOf ? `one of: ${field.oneOf.join(', ')}` : `at least ${field.minChars} characters`}${field.hint ? `. ${field.hint}` : '.'}`
    )
  lines.push('Never include passwords, API keys or tokens.')
  return lines.join('\n')
}

/** A package as the answer format writes it: what a step's answer looks like when it follows the format exactly. */
export function formatPackage(pkg: HandoffPackage): string {
  const list = (items: readonly string[]): string => (items.length ? items.map((i) => `- ${i}`).join('\n') : 'None')
  return [
    `## Summary\n${pkg.summary}`,
    `## Artifacts\n${pkg.artifacts.length ? pkg.artifacts.join('\n\n') : 'None'}`,
    `## Open questions\n${list(pkg.openQuestions)}`,
    `## Sources\n${list(pkg.sources)}`,
    ...Object.entries(pkg.fields).map(([name, value]) => `## ${name}\n${value}`)
  ].join('\n\n')
}
