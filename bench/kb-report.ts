import { COMMON_LABEL, PARTITIONED, SIGN_CANDIDATES, CANDIDATES, VECTOR_BATCH, print } from './kb-options'
import type { QualityReport } from './kb-quality'
import type { SizeResult } from './kb-size'

/** One size's table, as bench:kb prints it. */
export function printSize(r: SizeResult): void {
  print(
    `\n${r.chunks.toLocaleString('en-US')} chunks: ingest ${r.textIngestPerSec} chunks/s text + FTS5 (no embeddings${r.textIngestBeforePerSec ? `; ${r.textIngestBeforePerSec} as before, batch by batch with it` : ''}), ${r.vectorIngestPerSec} vectors/s (slowest batch of ${VECTOR_BATCH} ${r.slowestVectorBatchMs} ms); ${(r.bytesOnDisk / 1048576).toFixed(0)} MiB`
  )
  print('  path                                          p50 ms   p95 ms   recall@10')
  const line = (name: string, v: { p50: number; p95: number }, recall: string): void =>
    print(`  ${name.padEnd(44)}  ${v.p50.toFixed(2).padStart(7)}  ${v.p95.toFixed(2).padStart(7)}   ${recall}`)
  line('vector, exact float32 scan (reference)', r.exactMs, '1.000')
  line(`vector, sign bits → ${CANDIDATES} + exact rescore`, r.vectorMs, r.recallAt10.toFixed(3))
  line(`sign stage alone: every code → ${SIGN_CANDIDATES}`, r.signScanMs.everyCode, '')
  line(
    `sign stage alone: ${PARTITIONED.partitionFrom ? 'nearest lists' : 'two stages'} → ${SIGN_CANDIDATES}`,
    r.signScanMs.nearestLists,
    ''
  )
  line(`sign stage alone: two stages in JavaScript (before) → ${SIGN_CANDIDATES}`, r.signScanMs.javascriptTwoStage, '')
  line('lexical alone: FTS5 BM25, top 50', r.lexicalMs, '')
  const disk = (v: SizeResult['lexicalFromDisk']['before']): string =>
    `${v.segments} segments, p50 / p95 ${v.ms.p50} / ${v.ms.p95} ms${v.reads ? `, pages read ${v.reads.p50} / ${v.reads.p95}` : ''}`
  print(`  lexical alone from disk, as on its worker: ${disk(r.lexicalFromDisk.before)}`)
  if (r.lexicalFromDisk.after)
    print(
      `    after its segments were merged (${r.ftsMergeMs} ms, in the background in the app): ${disk(r.lexicalFromDisk.after)}`
    )
  line(`lexical, + "${COMMON_LABEL}" (80% of chunks), planned`, r.lexicalCommonMs.planned, '')
  line(`lexical, + "${COMMON_LABEL}", whole MATCH ranked (before)`, r.lexicalCommonMs.wholeMatch, '')
  line('hybrid − vector half (lexical overlaps it), per query', r.hybridRestMs, '')
  line(
    'hybrid, lexical half on its worker, top 10',
    r.hybridMs,
    `${r.hybridRecallAt10.toFixed(3)} (vs exact vector side)`
  )
  line('hybrid, CPU time of the same queries', r.hybridCpuMs, '')
  const reads = (v: { p50: number; p95: number } | null): string => (v ? `pages read ${v.p50} / ${v.p95}` : '')
  line('hybrid, lexical in this thread (app < 100k), others', r.lexicalHere.hybridMs, reads(r.lexicalHere.hybridReads))
  line('hybrid, worker with a 2 MiB page cache, other queries', r.smallCache.hybridMs, reads(r.smallCache.hybridReads))
  line(
    'hybrid, summaries through the row (before 0027), others',
    r.rowSummaries.hybridMs,
    reads(r.rowSummaries.hybridReads)
  )
  line('hybrid as before (rows read), other queries', r.before.hybridMs, reads(r.before.hybridReads))
  print(
    `  hybrid now: ${reads(r.hybridReads)}; the queries started ${r.startedOutOfCache ? 'with the database out of the page cache' : 'on the page cache as it was'}`
  )
  if (r.cold) {
    line('cold (every page from disk): hybrid now', r.cold.after.ms, reads(r.cold.after.reads))
    line('cold (every page from disk): hybrid before', r.cold.before.ms, reads(r.cold.before.reads))
  }
  print(
    `  fine codes: read into memory in ${r.fineCodes.loadMs} ms; in memory per chunk ${r.fineCodes.bytesPerChunk.sign} B of sign codes + ${r.fineCodes.bytesPerChunk.fine} B of fine codes (${((r.chunks * (r.fineCodes.bytesPerChunk.sign + r.fineCodes.bytesPerChunk.fine)) / 2 ** 20).toFixed(0)} MiB)`
  )
  print(
    `  checklist's full-text check: ${r.fullTextCheck.helperThread.ms} ms on a helper thread (${r.fullTextCheck.helperThread.ok ? 'sound' : 'NOT SOUND'}), the event loop's longest stall meanwhile ${r.fullTextCheck.helperThread.longestEventLoopStallMs} ms; FTS5's 'integrity-check' command as before held the event loop and the write lock ${r.fullTextCheck.insertCommandOnEventLoopMs} ms`
  )
  print(
    `  first search: after a start ${r.firstSearchMs.afterStart} ms (CPU ${r.firstSearchCpuMs.afterStart}), after a delete ${r.firstSearchMs.afterDelete} ms (CPU ${r.firstSearchCpuMs.afterDelete}); rebuilt from every vector row and partitioned (before the blocks, and an upgrade) ${r.firstSearchMs.rebuildFromVectorRows ?? 'not measured'} ms`
  )
}

/** The labelled set's table: recall@10 of each fusion and morphology, and the app's own search. */
export function printQuality(quality: QualityReport): void {
  print(
    `\nHybrid quality: recall@10 of the fused top 10 on ${quality.queries} labelled queries (10,000 background chunks)`
  )
  print('  russian morphology  fusion          all     ru      en')
  for (const row of quality.rows)
    print(
      `  ${row.morphology.padEnd(18)}  ${row.fusion.padEnd(14)}  ${row.recall.all.toFixed(3)}   ${row.recall.ru.toFixed(3)}   ${row.recall.en.toFixed(3)}`
    )
  print(`  the app's hybridSearch (${quality.app.morphology}, ${quality.app.fusion}): ${quality.app.recall.toFixed(3)}`)
}
