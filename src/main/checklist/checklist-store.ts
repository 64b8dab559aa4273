import { z } from 'zod'
import { CheckResultSchema, PlaybookMatchSchema, type ChecklistRun } from '../../shared/contract/checklist-contract'
import type { Db } from '../db/database'

export type StoredRun = Omit<ChecklistRun, 'availableFixes'>

interface RunRow {
  id: number
  trigger: ChecklistRun['trigger']
  started_at: string
  finished_at: string
  verdict: ChecklistRun['verdict']
  results_json: string
  playbook_json: string
}

const KEEP_RUNS = 500

/** Runs of the checklist in SQLite; the oldest beyond 500 are pruned as new ones arrive. */
export function createChecklistStore(db: Db) {
  const insert = db.prepare(
    'INSERT INTO check_runs (trigger, started_at, finished_at, verdict, results_json, playbook_json) VALUES (?, ?, ?, ?, ?, ?) RETURNING id'
  )
  const prune = db.prepare(
    'DELETE FROM check_runs WHERE id <= (SELECT id FROM check_runs ORDER BY id DESC LIMIT 1 OFFSET ?)'
  )
  const latest = db.prepare('SELECT * FROM check_runs ORDER BY id DESC LIMIT 1')
  const recent = db.prepare('SELECT * FROM check_runs ORDER BY id DESC LIMIT ?')

  const toRun = (row: RunRow): StoredRun => ({
    id: row.id,
    trigger: row.trigger,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    verdict: row.verdict,
    // Stored by this module from validated values; parsed again so a hand-edited row cannot break the view.
    results: z.array(CheckResultSchema).catch([]).parse(parseJson(row.results_json)),
    playbook: z.array(PlaybookMatchSchema).catch([]).parse(parseJson(row.playbook_json))
  })

  return {
    save(run: Omit<StoredRun, 'id'>): StoredRun {
      const id = db.transaction(() => {
        const row = insert.get(
          run.trigger,
          run.startedAt,
          run.finishedAt,
          run.verdict,
          JSON.stringify(run.results),
          JSON.stringify(run.playbook)
        ) as { id: number }
        prune.run(KEEP_RUNS)
        return row.id
      })()
      return { ...run, id }
    },
    latest(): StoredRun | null {
      const row = latest.get() as RunRow | undefined
      return row ? toRun(row) : null
    },
    recent(limit: number): StoredRun[] {
      return (recent.all(limit) as RunRow[]).map(toRun)
    }
  }
}

export type ChecklistStore = ReturnType<typeof createChecklistStore>

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
