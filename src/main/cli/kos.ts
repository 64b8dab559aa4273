import { join } from 'node:path'
import { currentPlatform } from '../platform/data-dir'
import { parseArgs } from '../config/cli-args'
import { EXIT_USAGE, runKos } from './run-kos'
import { version as appVersion } from '../../../package.json'

// Entry point of the `kos` command (bin/kos.js loads the built copy).
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2))
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`)
    process.exitCode = EXIT_USAGE
    return
  }
  process.exitCode = await runKos({
    args: parsed.args,
    platform: currentPlatform(),
    appVersion,
    rendererDir: join(__dirname, '..', 'renderer'),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    untilStopped: untilSignal
  })
}

void main()
