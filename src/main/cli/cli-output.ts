import type { CommandContext } from './command-context'

/** What a failed `--json` command prints on stdout when it printed nothing else, so a script always gets one document. */
export interface JsonFailure {
  readonly error: { readonly message: string; readonly exitCode: number }
}

/**
 * The reader of a pipe went away (`kos tasks list | head`): what was asked
 * for has been read, so the command ends quietly with status 0, as `head`'s
 * writer would under a shell, instead of a stack trace. Any other write
 * error is passed on.
 */
export function endQuietlyOnBrokenPipe(
  stream: NodeJS.EventEmitter,
  exit: (code: number) => void,
  otherwise: (error: Error) => void
): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') exit(0)
    else otherwise(error)
  })
}

/** Both standard streams of this process end it quietly when their reader goes away. */
export function guardStandardStreams(otherwise: (error: Error) => void): void {
  endQuietlyOnBrokenPipe(process.stdout, (code) => process.exit(code), otherwise)
  endQuietlyOnBrokenPipe(process.stderr, (code) => process.exit(code), otherwise)
}

/**
 * Runs a command so that with `--json` its stdout is one JSON document: a
 * command that failed before printing anything (bad usage, no data dir, a
 * refused connection) prints its message as `{"error": {message, exitCode}}`
 * too; it still goes to stderr for a person watching.
 */
export async function asJsonDocument(
  ctx: CommandContext,
  run: (ctx: CommandContext) => Promise<number>
): Promise<number> {
  if (!ctx.args.json) return run(ctx)
  let printed = false
  const messages: string[] = []
  const code = await run({
    ...ctx,
    out: (line) => {
      printed = true
      ctx.out(line)
    },
    err: (line) => {
      messages.push(line)
      ctx.err(line)
    }
  })
  if (code !== 0 && !printed) {
    const failure: JsonFailure = {
      error: { message: messages.join('\n') || `kos exited with status ${code}.`, exitCode: code }
    }
    ctx.out(JSON.stringify(failure))
  }
  return code
}
