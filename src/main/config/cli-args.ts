import { DATA_DIR_FLAG } from '../platform/data-dir'
import type { CliSetting } from './config-resolver'
import { SETTINGS, SETTING_KEYS, isSettingKey, type SettingKey } from './setting-definitions'

export interface ParsedArgs {
  readonly positionals: readonly string[]
  readonly dataDir?: string
  /** Where a command writes its files (`kos export --out DIR`). */
  readonly out?: string
  /** `kos soak --minutes N --rate R`, as typed; the command checks them. */
  readonly minutes?: string
  readonly rate?: string
  /** The trail to show (`kos logs --correlation ID`). */
  readonly correlation?: string
  /** `kos usage --since DAY --by DIMENSION`. */
  readonly since?: string
  readonly by?: string
  /** `kos workflows run … --folder DIR --test-command CMD`: the project a run's code steps are tested on. */
  readonly folder?: string
  readonly testCommand?: string
  /** `kos tasks return ID --model M --expert E`: what a task returned from review runs with. */
  readonly model?: string
  readonly node?: string
  readonly expert?: string
  readonly settings: ReadonlyMap<SettingKey, CliSetting>
  readonly json: boolean
  /** `--all`, e.g. `kos tasks requeue --all`. */
  readonly all: boolean
  readonly help: boolean
  readonly version: boolean
}

export type ArgsParse =
  { readonly ok: true; readonly args: ParsedArgs } | { readonly ok: false; readonly message: string }

type TextFlag = 'folder' | 'testCommand' | 'model' | 'node' | 'expert'

/** Flags of one command that take a text, with what to say when the text is missing. */
const TEXT_FLAGS: ReadonlyMap<string, { readonly key: TextFlag; readonly needs: string }> = new Map([
  ['--folder', { key: 'folder', needs: '--folder needs the project folder, e.g. --folder ~/code/app.' }],
  [
    '--test-command',
    {
      key: 'testCommand',
      needs: '--test-command needs the command that runs the project\'s tests, e.g. --test-command "npm test".'
    }
  ],
  [
    '--model',
    { key: 'model', needs: '--model needs a chat model name, e.g. --model qwen2.5:7b (see the Models view).' }
  ],
  ['--node', { key: 'node', needs: '--node needs a node id or name, e.g. --node ollama-local (see kos status).' }],
  ['--expert', { key: 'expert', needs: "--expert needs an expert's name, e.g. --expert Engineer." }]
])

const SETTING_BY_FLAG = new Map<string, SettingKey>(
  SETTING_KEYS.flatMap((key) => {
    const flag = SETTINGS[key].flag
    return flag ? [[flag, key] as const] : []
  })
)

/**
 * Reads `--flag value`, `--flag=value`, boolean flags without a value, and
 * `--set key=value` for any setting. Strict mode (the CLI) refuses unknown
 * flags; lenient mode (Electron, whose argv carries Chromium switches) skips them.
 */
export function parseArgs(argv: readonly string[], strict = true): ArgsParse {
  const positionals: string[] = []
  const settings = new Map<SettingKey, CliSetting>()
  let dataDir: string | undefined
  let out: string | undefined
  let minutes: string | undefined
  let rate: string | undefined
  let correlation: string | undefined
  let since: string | undefined
  let by: string | undefined
  const texts: Partial<Record<TextFlag, string>> = {}
  let json = false
  let all = false
  let help = false
  let version = false

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (!arg.startsWith('--')) {
      if (arg === '-h') help = true
      else positionals.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const flag = eq > 0 ? arg.slice(0, eq) : arg
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined
    const takeValue = (): string | undefined => {
      if (inline !== undefined) return inline
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('--')) return undefined
      i++
      return next
    }

    if (flag === '--json') json = true
    else if (flag === '--all') all = true
    else if (flag === '--help') help = true
    else if (flag === '--version') version = true
    else if (flag === DATA_DIR_FLAG) {
      dataDir = takeValue()
      if (!dataDir)
        return { ok: false, message: `${DATA_DIR_FLAG} needs a folder path, e.g. ${DATA_DIR_FLAG} ~/kos-data.` }
    } else if (flag === '--out') {
      out = takeValue()
      if (!out) return { ok: false, message: '--out needs a folder path.' }
    } else if (flag === '--minutes' || flag === '--rate') {
      const raw = takeValue()
      if (!raw)
        return { ok: false, message: `${flag} needs a number, e.g. ${flag} ${flag === '--minutes' ? '30' : '20'}.` }
      if (flag === '--minutes') minutes = raw
      else rate = raw
    } else if (flag === '--correlation') {
      correlation = takeValue()
      if (!correlation)
        return {
          ok: false,
          message: "--correlation needs an id, as in the log lines' correlation_id or a task's metadata."
        }
    } else if (flag === '--since' || flag === '--by') {
      const raw = takeValue()
      if (!raw)
        return {
          ok: false,
          message:
            flag === '--since'
              ? '--since needs a day, e.g. --since 2026-12-01.'
              : '--by needs one of day, expert, model, node, project.'
        }
      if (flag === '--since') since = raw
      else by = raw
    } else if (TEXT_FLAGS.has(flag)) {
      const { key, needs } = TEXT_FLAGS.get(flag) as { key: TextFlag; needs: string }
      const raw = takeValue()?.trim()
      if (!raw) return { ok: false, message: needs }
      texts[key] = raw
    } else if (flag === '--set') {
      const pair = takeValue() ?? ''
      const at = pair.indexOf('=')
      const key = pair.slice(0, at)
      if (at <= 0 || !isSettingKey(key)) {
        return {
          ok: false,
          message: `--set takes key=value with a known setting key; got "${pair}". Run \`kos config show\` to list the keys.`
        }
      }
      settings.set(key, { flag: `--set ${key}`, raw: pair.slice(at + 1) })
    } else if (SETTING_BY_FLAG.has(flag)) {
      const key = SETTING_BY_FLAG.get(flag) as SettingKey
      const isBoolean = SETTINGS[key].type.kind === 'boolean'
      const raw = isBoolean ? (inline ?? 'true') : takeValue()
      if (raw === undefined) return { ok: false, message: `${flag} needs a value (${key}).` }
      settings.set(key, { flag, raw })
    } else if (strict) {
      return { ok: false, message: `Unknown option ${flag}. Run \`kos --help\` for the options.` }
    }
  }
  return {
    ok: true,
    args: {
      positionals,
      ...(dataDir ? { dataDir } : {}),
      ...(out ? { out } : {}),
      ...(minutes ? { minutes } : {}),
      ...(rate ? { rate } : {}),
      ...(correlation ? { correlation } : {}),
      ...(since ? { since } : {}),
      ...(by ? { by } : {}),
      ...texts,
      settings,
      json,
      all,
      help,
      version
    }
  }
}
