import { callOrExit } from '../call-or-exit'
import type { CommandContext } from '../command-context'
import { withConnection } from '../with-connection'

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERR ' } as const

/** `kos checklist run`: every check now; exit 0 when healthy (warnings included), 1 when not. `--json`: the verdict, every result and the playbook matches. */
export async function checklistRun(ctx: CommandContext): Promise<number> {
  return withConnection(ctx, async (connection) => {
    const called = await callOrExit(ctx, connection.client, 'checklist.run', {})
    if (!called.ok) return called.exitCode
    const run = called.value
    if (ctx.args.json) {
      ctx.out(
        JSON.stringify({
          run: run.id,
          verdict: run.verdict,
          results: run.results.map(({ id, area, severity, status, evidence, remedy }) => ({
            id,
            area,
            severity,
            status,
            evidence,
            remedy
          })),
          // The known failures recognised, each with cause, remedy, evidence and the fix `kos` or the app can apply.
          playbook: run.playbook
        })
      )
    } else {
      for (const r of run.results) ctx.out(`${MARK[r.status]}  ${r.area.padEnd(9)} ${r.id.padEnd(28)} ${r.evidence}`)
      for (const m of run.playbook)
        ctx.out(
          `\nRecognised: ${m.title}\n  cause: ${m.cause}\n  remedy: ${m.remedy}${m.fix ? `\n  fix: ${m.fix}` : ''}\n  evidence: ${m.evidence.join(' | ')}`
        )
      ctx.out(`\n${run.verdict} (run #${run.id})`)
    }
    return run.verdict === 'unhealthy' ? 1 : 0
  })
}
