import { USAGE_DIMENSIONS, UsageDimensionSchema, type UsageReport } from '../../../shared/contract/usage-contract'
import { callOrExit } from '../call-or-exit'
import type { CommandContext } from '../command-context'
import { withConnection } from '../with-connection'

const EXIT_USAGE = 64

/** `kos usage [--since DAY] [--by day|expert|model|node|project] [--json]`: tokens and cost of every model call. */
export async function usageCommand(ctx: CommandContext): Promise<number> {
  const by = UsageDimensionSchema.safeParse(ctx.args.by ?? 'day')
  if (!by.success) {
    ctx.err(`--by "${ctx.args.by}" is not a grouping: give one of ${USAGE_DIMENSIONS.join(', ')}.`)
    return EXIT_USAGE
  }
  const since = ctx.args.since
  if (since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(since)) {
    ctx.err(`--since "${since}" is not a day: give it as YYYY-MM-DD, e.g. --since 2026-12-01.`)
    return EXIT_USAGE
  }
  return withConnection(ctx, async (connection) => {
    const report = await callOrExit(ctx, connection.client, 'usage.report', {
      by: by.data,
      ...(since ? { since } : {})
    })
    if (!report.ok) return report.exitCode
    if (ctx.args.json) ctx.out(JSON.stringify(report.value))
    else for (const line of usageLines(report.value)) ctx.out(line)
    return 0
  })
}

/** The report as a table a person reads in a terminal. */
export function usageLines(report: UsageReport): string[] {
  const header = [report.by === 'day' ? 'Day' : capitalised(report.by), 'Requests', 'Tokens in', 'Tokens out', 'Cost']
  const rows = [...report.groups, report.total].map((g) => [
    g.label,
    String(g.requests),
    g.tokensIn.toLocaleString('en-US'),
    g.tokensOut.toLocaleString('en-US'),
    g.cost.toFixed(2)
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  const { budget, total } = report
  const estimated = total.estimatedTokens
  return [
    `Usage of every model call, ${report.since} – ${report.until}, by ${report.by}`,
    line(header),
    ...rows.slice(0, -1).map(line),
    line(rows.at(-1) ?? []),
    `By source: chat ${total.bySource.chat.toLocaleString('en-US')}, board ${total.bySource.board.toLocaleString('en-US')}, tasks ${total.bySource.task.toLocaleString('en-US')}, workflows ${total.bySource.workflow.toLocaleString('en-US')} tokens.`,
    ...(estimated > 0
      ? [`${estimated.toLocaleString('en-US')} tokens are estimates: their model server reported no counts.`]
      : []),
    ...(total.failedTokens > 0
      ? [
          `Of which failed: ${total.failedTokens.toLocaleString('en-US')} tokens, spent by ${total.failedRequests.toLocaleString('en-US')} call(s) that gave no answer (a cut stream, a server error, an echo or a cancelled run).`
        ]
      : []),
    budget.budget > 0
      ? `Budget this ${budget.period} (since ${budget.start}): ${budget.used.toLocaleString('en-US')} of ${budget.budget.toLocaleString('en-US')} tokens${budget.exceeded ? ' — over budget' : ''}.`
      : `No token budget is set (usage.tokenBudget); this ${budget.period} used ${budget.used.toLocaleString('en-US')} tokens.`
  ]
}

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)
