import { APP_IDENTITY } from '../../shared/app-identity'
import { asJsonDocument } from './cli-output'
import type { CommandContext } from './command-context'
import { checklistRun } from './commands/checklist-run'
import { configShow } from './commands/config-show'
import { approvalsCommand } from './commands/approvals-command'
import { digestCommand } from './commands/digest-command'
import { usageCommand } from './commands/usage-command'
import { logsCommand } from './commands/logs-command'
import { exportReport } from './commands/export-report'
import { kbAdd, kbSearch } from './commands/kb'
import { mcp } from './commands/mcp'
import { serve } from './commands/serve'
import { soak } from './commands/soak'
import { status } from './commands/status'
import { systemResume } from './commands/system-resume'
import { tasksCommand } from './commands/tasks-command'
import { workflowsCommand } from './commands/workflows-command'

export const EXIT_USAGE = 64

const HELP = `${APP_IDENTITY.cliName} — ${APP_IDENTITY.productName} from the command line

Usage:
  kos serve [--host ADDR] [--port N] [--allow-remote]   run the core and the headless host
  kos status [--json]                                    version, data dir, running or not, last checklist verdict
  kos checklist run [--json]                             run every check (exit 1 when not healthy)
  kos export [--out DIR]                                 newest checklist report as Markdown + canonical JSON
  kos config show [--json]                               every setting with its value and source
  kos kb add <file|folder>                               add a file, or import a folder, into the knowledge base
  kos kb search <query…> [--json]                        hybrid search of the knowledge base
  kos digest [morning|last-visit|TIME] [--json]          what happened since 08:00, your last visit, or a time
  kos usage [--since DAY] [--by day|expert|model|node|project] [--json]
                                                         tokens and cost of every model call (chat, board, tasks)
  kos logs --correlation ID [--json]                     every log line of one request's trail (JSON lines; one array with --json)
  kos mcp                                                the MCP server on stdio, for other AI tools
  kos tasks list|add|follow ID|cancel ID|requeue ID…|--all   the task queue: list, queue, watch live, cancel, return from review
  kos tasks return ID [--model M [--node N]] [--expert E]     return one task from review with another model and/or expert
  kos approvals [list|approve|reject] [ID…|--all] [--json]   what waits for a person; approve or reject as one batch
  kos workflows list|run WORKFLOW INPUT…|runs|show RUN   workflows: what can run, start one, the runs, one run's timeline
                                                         and decision log; run … --folder DIR --test-command CMD tests
                                                         the code steps' files with CMD on a copy of DIR
  kos system resume [--json]                             run the wake-from-sleep path now (exit 1 when a step failed)
  kos soak --minutes N [--rate R] [--out DIR]            release gate: R synthetic tasks a minute (default 20) through the real
                                                         router and model servers, KPIs against the soak.* gates, report +
                                                         SHA-256 (exit 0 pass, 2 soft limit broken, 1 hard limit broken)

Commands other than serve talk to the instance that owns the data dir when one
runs (\`kos serve\`), and otherwise open the data dir themselves without starting
any background work.

Options for every command:
  --data-dir DIR        data folder (also KOS_DATA_DIR)
  --profile NAME        safe | balanced | fast
  --log-level LEVEL     debug | info | warn | error
  --set KEY=VALUE       any setting, as listed by \`kos config show\`
  --json                machine-readable output
  --help, --version

Exit codes: 0 ok, 1 checklist not healthy, 64 usage, 65 bad input or database
newer than the app, 66 not found, 69 host or service unavailable, 70 internal
error, 73 data dir not writable (read-only disk, EROFS/EACCES), 74 database
unusable (damaged, not a database, or the disk full at start), 75 data dir in
use or conflict, 77 not allowed, 78 bad settings.`

export function runKos(ctx: CommandContext): Promise<number> {
  return asJsonDocument(ctx, runCommand)
}

async function runCommand(ctx: CommandContext): Promise<number> {
  const [command, sub] = ctx.args.positionals
  if (ctx.args.version) {
    ctx.out(ctx.args.json ? JSON.stringify({ version: ctx.appVersion }) : ctx.appVersion)
    return 0
  }
  if (ctx.args.help || command === undefined || command === 'help') {
    const code = command === undefined && !ctx.args.help ? EXIT_USAGE : 0
    if (code === 0) ctx.out(ctx.args.json ? JSON.stringify({ usage: HELP }) : HELP)
    else ctx.err(HELP)
    return code
  }
  if (command === 'serve') return serve(ctx)
  if (command === 'config' && sub === 'show') return configShow(ctx)
  if (command === 'status') return status(ctx)
  if (command === 'checklist' && sub === 'run') return checklistRun(ctx)
  if (command === 'export') return exportReport(ctx, ctx.args.out)
  if (command === 'mcp') return mcp(ctx)
  if (command === 'kb' && sub === 'add') return kbAdd(ctx, ctx.args.positionals[2])
  if (command === 'kb' && sub === 'search') return kbSearch(ctx, ctx.args.positionals.slice(2))
  if (command === 'tasks') return tasksCommand(ctx)
  if (command === 'workflows') return workflowsCommand(ctx)
  if (command === 'digest') return digestCommand(ctx)
  if (command === 'usage') return usageCommand(ctx)
  if (command === 'approvals') return approvalsCommand(ctx)
  if (command === 'logs') return logsCommand(ctx)
  if (command === 'system' && sub === 'resume') return systemResume(ctx)
  if (command === 'soak') return soak(ctx)
  ctx.err(`Unknown command "${[command, sub].filter(Boolean).join(' ')}". Run \`kos --help\` for the commands.`)
  return EXIT_USAGE
}
