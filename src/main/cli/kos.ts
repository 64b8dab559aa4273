import { join } from 'node:path'
import { currentPlatform } from '../platform/data-dir'
import {
  describeStorageFailure,
  failedFolder,
  freeBytesSync,
  storageFailureOf,
  type StorageFailure
} from '../platform/storage-failure'
import { parseArgs } from '../config/cli-args'
import { guardStandardStreams, type JsonFailure } from './cli-output'
import { EXIT_USAGE, runKos } from './run-kos'
import { version as appVersion } from '../../../package.json'

// Entry point of the `kos` command (bin/kos.js loads the built copy).
const EXIT_SOFTWARE = 70

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

const oneLine = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).replace(/\s+/g, ' ')

function refused(failure: StorageFailure): string {
  const dir = failedFolder(failure, process.cwd())
  return describeStorageFailure(failure, dir, freeBytesSync(dir))
}

/**
 * The last line of defence, so no raw stack trace reaches the terminal: a
 * refused write that escaped its caller (a full or read-only disk) is said
 * in one line and the host stays up, since the core recovers from those by
 * itself; anything else is a fault of the app, said in one line, exit 70.
 */
function guardProcess(): void {
  const escaped = (error: unknown): void => {
    const failure = storageFailureOf(error)
    if (failure) {
      process.stderr.write(`kos: ${refused(failure)}\n`)
      return
    }
    process.stderr.write(`kos: internal error, stopping: ${oneLine(error)}\n`)
    process.exit(EXIT_SOFTWARE)
  }
  process.on('uncaughtException', escaped)
  process.on('unhandledRejection', escaped)
  guardStandardStreams(escaped)
}

async function main(): Promise<void> {
  guardProcess()
  const parsed = parseArgs(process.argv.slice(2))
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`)
    if (process.argv.includes('--json'))
      process.stdout.write(
        `${JSON.stringify({ error: { message: parsed.message, exitCode: EXIT_USAGE } } satisfies JsonFailure)}\n`
      )
    process.exitCode = EXIT_USAGE
    return
  }
  try {
    process.exitCode = await runKos({
      args: parsed.args,
      platform: currentPlatform(),
      appVersion,
      rendererDir: join(__dirname, '..', 'renderer'),
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      untilStopped: untilSignal
    })
  } catch (error) {
    const failure = storageFailureOf(error)
    process.stderr.write(failure ? `kos: ${refused(failure)}\n` : `kos: internal error: ${oneLine(error)}\n`)
    process.exitCode = failure ? (failure.kind === 'full' ? 74 : 73) : EXIT_SOFTWARE
  }
}

void main()
