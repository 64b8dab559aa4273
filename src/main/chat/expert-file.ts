import type { Expert } from '../../shared/contract/chat-contract'

export type BuiltInExpert = Omit<Expert, 'edited'>

/**
 * An expert file is Markdown with a small header: `key: value` lines between
 * `---` fences (id, name, role, domains as a comma list, category, lead),
 * then the system prompt. Errors name the file and the field to fix.
 */
export function parseExpertFile(fileName: string, text: string): BuiltInExpert {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text)
  if (!match?.[1] || match[2] === undefined)
    throw new Error(`Expert file ${fileName}: expected a header between --- lines, then the system prompt`)
  const fields = new Map<string, string>()
  for (const line of match[1].split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const need = (key: string): string => {
    const value = fields.get(key)
    if (!value) throw new Error(`Expert file ${fileName}: the header needs "${key}: …"`)
    return value
  }
  const systemPrompt = match[2].trim()
  if (!systemPrompt) throw new Error(`Expert file ${fileName}: the system prompt after the header is empty`)
  return {
    id: need('id'),
    name: need('name'),
    role: need('role'),
    domains: need('domains')
      .split(',')
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean),
    modelCategory: need('category'),
    lead: fields.get('lead') === 'true',
    systemPrompt
  }
}

// Bundled at build time: the built-in team is a read-only resource; edits live in the database.
const files = import.meta.glob<string>('../../../resources/experts/*.md', {
  eager: true,
  query: '?raw',
  import: 'default'
})

/** The built-in team, lead agent first; exactly one lead, ids unique. */
export function builtInExperts(sources: Readonly<Record<string, string>> = files): BuiltInExpert[] {
  const experts = Object.entries(sources).map(([path, text]) => parseExpertFile(path.split('/').pop() ?? path, text))
  const leads = experts.filter((e) => e.lead)
  if (leads.length !== 1)
    throw new Error(`resources/experts must define exactly one lead agent (lead: true); found ${leads.length}`)
  const ids = new Set<string>()
  for (const e of experts) {
    if (ids.has(e.id)) throw new Error(`resources/experts: two experts have the id "${e.id}"`)
    ids.add(e.id)
  }
  return experts.sort((a, b) => Number(b.lead) - Number(a.lead) || a.name.localeCompare(b.name))
}
