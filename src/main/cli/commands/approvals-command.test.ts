import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Approval } from '../../../shared/contract/approvals-contract'
import { createApprovalQueue } from '../../approvals/approval-queue'
import { openDatabase } from '../../db/database'
import { DATABASE_FILE } from '../../app/start-core'
import { runKosInProcess } from '../../test-support/run-kos-in-process'
import { useTempDirs } from '../../test-support/temp-dir'

const tempDir = useTempDirs()
const kos = (argv: string[]) =>
  runKosInProcess(argv, { untilStopped: () => new Promise<void>(() => undefined), out: [] })

/** Files requests as a workflow step would, straight into the data dir's store. */
function file(dir: string, steps: string[]): string[] {
  const db = openDatabase(join(dir, DATABASE_FILE))
  const queue = createApprovalQueue({ db, decisions: null, changed: () => undefined })
  const ids = steps.map((step) =>
    queue.request({
      runId: 'run-7',
      taskId: null,
      step,
      title: `Run ${step}`,
      reason: 'destructive',
      correlationId: null
    })
  )
  db.close()
  return ids
}

describe('kos approvals', () => {
  it('lists what waits, approves a batch by id, rejects the rest with --all, and says what it skipped', async () => {
    const dir = tempDir()
    const empty = await kos(['approvals', '--data-dir', dir])
    expect(empty.code).toBe(0)
    expect(empty.out).toEqual(['Nothing waits for approval.'])
    const [a, b, c] = file(dir, ['drop-table', 'pay-invoice', 'send-mail']) as [string, string, string]

    const listed = await kos(['approvals', 'list', '--data-dir', dir])
    expect(listed.out).toHaveLength(3)
    expect(listed.out[0]).toMatch(new RegExp(`^${a}  pending   Run drop-table  \\[step drop-table\\]  — destructive$`))

    const approved = await kos(['approvals', 'approve', a, b, 'apr_nope', '--data-dir', dir])
    expect(approved.code).toBe(0)
    expect(approved.out).toEqual([
      'Approved 2 request(s); 1 still wait.',
      '  apr_nope: no such request (see kos approvals list)'
    ])

    const rejected = await kos(['approvals', 'reject', '--all', '--json', '--data-dir', dir])
    const outcome = JSON.parse(rejected.out[0] ?? '') as { decided: Approval[]; pending: number }
    expect(outcome.decided.map((x) => [x.id, x.status, x.decidedBy])).toEqual([[c, 'rejected', 'person (kos)']])
    expect(outcome.pending).toBe(0)

    const again = await kos(['approvals', 'approve', a, '--data-dir', dir])
    expect(again.out).toEqual(['Approved 0 request(s); 0 still wait.', `  ${a}: already approved, left as it was`])
  })

  it('refuses a verb it does not know, and a decision without ids or --all', async () => {
    const dir = tempDir()
    const unknown = await kos(['approvals', 'maybe', '--data-dir', dir])
    expect(unknown.code).toBe(64)
    expect(unknown.err.join('\n')).toMatch(/Unknown approvals command "maybe"/)
    const bare = await kos(['approvals', 'approve', '--data-dir', dir])
    expect(bare.code).toBe(64)
    expect(bare.err.join('\n')).toMatch(/needs the ids of the requests, or --all/)
  })
})
