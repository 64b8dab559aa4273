import { readFile, stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { callOrExit } from '../call-or-exit'
import { hitRelevance } from '../../../shared/hit-relevance'
import type { CommandContext } from '../command-context'
import { withConnection } from '../with-connection'
import { countOf } from '../../../shared/count-of'

const EXIT_NO_INPUT = 66

/** `kos kb add <file|folder>`: a folder is imported whole, a file becomes one document. */
export async function kbAdd(ctx: CommandContext, target: string | undefined): Promise<number> {
  if (!target) {
    ctx.err('kos kb add needs a file or folder, e.g. `kos kb add ~/notes`.')
    return 64
  }
  const path = resolve(target)
  let isFolder: boolean
  try {
    isFolder = (await stat(path)).isDirectory()
  } catch {
    ctx.err(`Nothing at ${path}. Give an existing file or folder.`)
    return EXIT_NO_INPUT
  }
  return withConnection(ctx, async (connection) => {
    if (isFolder) {
      const called = await callOrExit(ctx, connection.client, 'knowledge.importFolder', { path })
      if (!called.ok) return called.exitCode
      const r = called.value
      if (ctx.args.json) ctx.out(JSON.stringify(r))
      else {
        ctx.out(
          `Imported ${path}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.chunks} chunks.`
        )
        for (const s of r.skipped) ctx.out(`  skipped ${s.path}: ${s.reason}`)
      }
      return 0
    }
    const content = await readFile(path, 'utf8')
    const called = await callOrExit(ctx, connection.client, 'knowledge.addText', {
      title: basename(path),
      content,
      source: path
    })
    if (!called.ok) return called.exitCode
    if (ctx.args.json) ctx.out(JSON.stringify(called.value))
    else ctx.out(`Added "${called.value.title}" (${called.value.id}, ${countOf(called.value.chunkCount, 'chunk')}).`)
    return 0
  })
}

/** `kos kb search <query…>`: hybrid search, or full text only when no embedding model is reachable (said so). */
export async function kbSearch(ctx: CommandContext, words: readonly string[]): Promise<number> {
  const query = words.join(' ').trim()
  if (!query) {
    ctx.err('kos kb search needs a query, e.g. `kos kb search quarterly revenue`.')
    return 64
  }
  return withConnection(ctx, async (connection) => {
    const called = await callOrExit(ctx, connection.client, 'knowledge.search', { query })
    if (!called.ok) return called.exitCode
    const result = called.value
    if (ctx.args.json) {
      ctx.out(JSON.stringify(result))
      return 0
    }
    if (result.mode === 'lexical')
      ctx.out(`Full-text search only: ${result.lexicalReason ?? 'no embedding model is reachable'}.`)
    if (result.hits.length === 0) ctx.out('No matches.')
    result.hits.forEach((hit, i) => {
      const snippet = hit.snippet
        .map((p) => (p.hit ? `[${p.text}]` : p.text))
        .join('')
        .replace(/\s+/g, ' ')
        .trim()
      // The fused score only orders hits (0.0164 is "first on one side"): say what it means, as the app does.
      const relevance = hitRelevance(hit)
      ctx.out(`${i + 1}. ${hit.node.title}  (${hit.node.id}) — ${relevance.label}`)
      ctx.out(`   ${relevance.detail}`)
      ctx.out(`   ${snippet}`)
    })
    return 0
  })
}
