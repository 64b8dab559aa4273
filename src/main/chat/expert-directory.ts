import { z } from 'zod'
import type { Expert } from '../../shared/contract/chat-contract'
import type { Db } from '../db/database'
import type { BuiltInExpert } from './expert-file'

export type ExpertEdit = Partial<Pick<Expert, 'name' | 'role' | 'domains' | 'systemPrompt' | 'modelCategory'>>

export interface ExpertDirectory {
  list(): Expert[]
  get(id: string): Expert | null
  lead(): Expert
  /** The edited expert, or null when there is no built-in expert of that id. */
  update(id: string, edit: ExpertEdit): Expert | null
  reset(id: string): Expert | null
}

/** What a caller is told about an expert id the team does not have. */
export const noExpert = (id: string, team: readonly Pick<Expert, 'id'>[]): string =>
  `There is no expert "${id}". Known experts: ${team.map((e) => e.id).join(', ')}.`

interface OverrideRow {
  id: string
  name: string | null
  role: string | null
  domains: string | null
  system_prompt: string | null
  model_category: string | null
}

const Domains = z.array(z.string())

/** The built-in team with the user's edits laid over it; an edit is kept field by field so a reset is exact. */
export function createExpertDirectory(
  db: Db,
  builtIns: readonly BuiltInExpert[],
  now: () => Date = () => new Date()
): ExpertDirectory {
  const selectAll = db.prepare<[], OverrideRow>('SELECT * FROM chat_expert_overrides')
  const selectOne = db.prepare<[string], OverrideRow>('SELECT * FROM chat_expert_overrides WHERE id = ?')
  const upsert =
    db.prepare(`INSERT INTO chat_expert_overrides (id, name, role, domains, system_prompt, model_category, updated_at)
    VALUES (@id, @name, @role, @domains, @system_prompt, @model_category, @updated_at)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, domains = excluded.domains,
      system_prompt = excluded.system_prompt, model_category = excluded.model_category, updated_at = excluded.updated_at`)
  const remove = db.prepare('DELETE FROM chat_expert_overrides WHERE id = ?')

  const apply = (base: BuiltInExpert, row: OverrideRow | undefined): Expert => {
    if (!row) return { ...base, domains: [...base.domains], edited: false }
    const domains = row.domains ? Domains.safeParse(JSON.parse(row.domains)) : null
    return {
      ...base,
      name: row.name ?? base.name,
      role: row.role ?? base.role,
      domains: domains?.success ? domains.data : [...base.domains],
      systemPrompt: row.system_prompt ?? base.systemPrompt,
      modelCategory: row.model_category ?? base.modelCategory,
      edited: true
    }
  }

  const builtIn = (id: string): BuiltInExpert | null => builtIns.find((e) => e.id === id) ?? null

  const directory: ExpertDirectory = {
    list() {
      const rows = new Map(selectAll.all().map((r) => [r.id, r]))
      return builtIns.map((base) => apply(base, rows.get(base.id)))
    },
    get(id) {
      const base = builtIns.find((e) => e.id === id)
      return base ? apply(base, selectOne.get(id)) : null
    },
    lead() {
      const base = builtIns.find((e) => e.lead) ?? builtIns[0]
      if (!base) throw new Error('the built-in team is empty')
      return apply(base, selectOne.get(base.id))
    },
    update(id, edit) {
      const base = builtIn(id)
      if (!base) return null
      const current = selectOne.get(id)
      const differs = <T>(value: T | undefined, builtInValue: T, stored: T | null): T | null =>
        value === undefined ? stored : JSON.stringify(value) === JSON.stringify(builtInValue) ? null : value
      upsert.run({
        id,
        name: differs(edit.name, base.name, current?.name ?? null),
        role: differs(edit.role, base.role, current?.role ?? null),
        domains:
          edit.domains === undefined
            ? (current?.domains ?? null)
            : JSON.stringify(edit.domains) === JSON.stringify(base.domains)
              ? null
              : JSON.stringify(edit.domains),
        system_prompt: differs(edit.systemPrompt, base.systemPrompt, current?.system_prompt ?? null),
        model_category: differs(edit.modelCategory, base.modelCategory, current?.model_category ?? null),
        updated_at: now().toISOString()
      })
      const row = selectOne.get(id)
      if (row && [row.name, row.role, row.domains, row.system_prompt, row.model_category].every((v) => v === null))
        remove.run(id)
      return apply(base, selectOne.get(id))
    },
    reset(id) {
      const base = builtIn(id)
      if (!base) return null
      remove.run(id)
      return apply(base, undefined)
    }
  }
  return directory
}
