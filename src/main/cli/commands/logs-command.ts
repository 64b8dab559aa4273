import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { logFilesOldestFirst } from '../../log/log-files'
import { callOrExit } from '../call-or-exit'
import type { CommandContext } from '../command-context'
import { withConnection } from '../with-connection'

const EXIT_USAGE = 64
const EXIT_NOT_FOUND = 66

/**
 * `kos logs --correlation ID [--json]`: every log line of one request's trail, oldest first: as they
 * are in the log (JSON lines), or with --json one array of those records, one document a script parses.
 */
export async function logsCommand(ctx: CommandContext): Promise<number> {
  const id = ctx.args.correlation
  if (!id) {
    ctx.err(
      'kos logs needs --correlation ID: the correlation_id of a log line, a chat message or a task (its metadata.correlationId).'
    )
    return EXIT_USAGE
  }
  return withConnection(ctx, async (connection) => {
    const info = await callOrExit(ctx, connection.client, 'app.info', {})
    if (!info.ok) return info.exitCode
    let found = 0
    const records: unknown[] = []
    for (const file of logFilesOldestFirst(info.value.logFile)) {
      const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })
      for await (const line of lines) {
        // A cheap test first: most lines are not this request's.
        if (!line.includes(id)) continue
        let record: { correlation_id?: unknown }
        try {
          record = JSON.parse(line) as { correlation_id?: unknown }
        } catch {
          continue
        }
        if (record.correlation_id !== id) continue
        found += 1
        if (ctx.args.json) records.push(record)
        else ctx.out(line)
      }
    }
    if (found === 0) {
      ctx.err(
        `No log line carries correlation id "${id}" in ${info.value.logFile} or its rotated files. Check the id (a log line's correlation_id, or a task's metadata.correlationId); older lines may have been rotated away.`
      )
      return EXIT_NOT_FOUND
    }
    if (ctx.args.json) ctx.out(JSON.stringify(records))
    return 0
  })
}
