import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { EXPORTS_DIR } from '../../app/start-core'
import { writeFileAtomic } from '../../platform/atomic-file'
import { resolveDataDir } from '../../platform/data-dir'
import { callOrExit } from '../call-or-exit'
import type { CommandContext } from '../command-context'
import { withConnection } from '../with-connection'

/**
 * `kos export [--out DIR]`: the newest checklist run as Markdown and as
 * canonical JSON, written to the data dir's exports/ (housekept like logs) or
 * to DIR, with the JSON's SHA-256.
 */
export async function exportReport(ctx: CommandContext, outDir: string | undefined): Promise<number> {
  return withConnection(ctx, async (connection) => {
    const called = await callOrExit(ctx, connection.client, 'checklist.report', {})
    if (!called.ok) return called.exitCode
    const dir = outDir ?? join(resolveDataDir(ctx.args.dataDir, ctx.platform).path, EXPORTS_DIR)
    mkdirSync(dir, { recursive: true })
    const base = join(
      dir,
      `checklist-${new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')}`
    )
    writeFileAtomic(`${base}.md`, called.value.markdown)
    writeFileAtomic(`${base}.json`, called.value.json)
    if (ctx.args.json)
      ctx.out(JSON.stringify({ markdown: `${base}.md`, json: `${base}.json`, sha256: called.value.sha256 }))
    else ctx.out(`Wrote ${base}.md and ${base}.json (sha256 ${called.value.sha256})`)
    return 0
  })
}
