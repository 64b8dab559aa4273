import { APP_IDENTITY } from '../../shared/app-identity'
import type { CommandContext } from './command-context'
import { configShow } from './commands/config-show'
import { serve } from './commands/serve'

export const EXIT_USAGE = 64

const HELP = `${APP_IDENTITY.cliName} — ${APP_IDENTITY.productName} from the command line

Usage:
  kos serve [--host ADDR] [--port N] [--allow-remote]   run the core and the headless host
  kos config show [--json]                               every setting with its value and source

Options for every command:
  --data-dir DIR        data folder (also KOS_DATA_DIR)
  --profile NAME        safe | balanced | fast
  --log-level LEVEL     debug | info | warn | error
  --set KEY=VALUE       any setting, as listed by \`kos config show\`
  --json                machine-readable output
  --help, --version

Exit codes: 0 ok, 64 usage, 65 database newer than the app, 69 host failed,
73 data dir unusable, 74 database unusable, 75 data dir in use, 78 bad settings.`

export async function runKos(ctx: CommandContext): Promise<number> {
  const [command, sub] = ctx.args.positionals
  if (ctx.args.version) {
    ctx.out(ctx.appVersion)
    return 0
  }
  if (ctx.args.help || command === undefined || command === 'help') {
    ctx.out(HELP)
    return command === undefined && !ctx.args.help ? EXIT_USAGE : 0
  }
  if (command === 'serve') return serve(ctx)
  if (command === 'config' && sub === 'show') return configShow(ctx)
  ctx.err(`Unknown command "${[command, sub].filter(Boolean).join(' ')}". Run \`kos --help\` for the commands.`)
  return EXIT_USAGE
}
