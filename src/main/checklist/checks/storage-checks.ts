import type { CheckDefinition } from '../check-definition'
import { formatBytes } from '../format-bytes'

export interface StorageCheckDeps {
  readonly dataDir: string
  /** Measures the free space of the data dir's disk now (the disk monitor's sample). */
  readonly freeBytes: () => Promise<number | null>
  /** disk.pauseBelowMb and disk.warnBelowMb, in bytes. */
  readonly thresholds: () => { readonly pauseBelowBytes: number; readonly warnBelowBytes: number }
  /** The full-text index's structure, and the chunks it indexes against the chunks stored (on a helper thread). */
  readonly checkFullTextIndex: (
    signal: AbortSignal
  ) => Promise<{ readonly ok: true; readonly chunks: number } | { readonly ok: false; readonly reason: string }>
}

/** The disk under the data dir, and the full-text index kept on it. */
export function storageChecks(deps: StorageCheckDeps): CheckDefinition[] {
  return [
    {
      id: 'app.disk-free',
      title: "Free space on the data dir's disk",
      area: 'app',
      severity: 'hard',
      measures: `statfs of ${deps.dataDir}: the space this user may still write, against disk.warnBelowMb (warn) and disk.pauseBelowMb (the worker stops starting tasks).`,
      remedy:
        'Free some space on that disk (empty the trash, delete old exports, move large files); the worker resumes by itself. Or lower disk.pauseBelowMb in Settings.',
      fix: null,
      async run() {
        const free = await deps.freeBytes()
        if (free === null) return { status: 'fail', evidence: `the free space of ${deps.dataDir} cannot be measured` }
        const { pauseBelowBytes, warnBelowBytes } = deps.thresholds()
        const warnAt = Math.max(warnBelowBytes, pauseBelowBytes)
        const evidence = `${formatBytes(free)} free; warn under ${formatBytes(warnAt)}, new tasks pause under ${formatBytes(pauseBelowBytes)}`
        if (pauseBelowBytes > 0 && free < pauseBelowBytes)
          return { status: 'fail', evidence: `${evidence}: the worker is paused` }
        return { status: free < warnAt ? 'warn' : 'pass', evidence }
      }
    },
    {
      id: 'knowledge.fts-integrity',
      title: 'Full-text index matches the stored chunks',
      area: 'knowledge',
      severity: 'hard',
      measures:
        "FTS5's integrity check of knowledge_chunks_fts (every block of the index read), and the chunks it indexes compared with the chunks stored, on a thread of its own.",
      remedy:
        'Rebuild the index from the stored chunks (one click; the database is copied to backups/ first). Search by full text is wrong or fails until then.',
      fix: 'rebuild-search-index',
      // It reads the whole index: 0.5 s at 100,000 chunks and 4.7 s at a million (bench:kb), with nothing waiting on it.
      timeoutMs: 10 * 60_000,
      async run(signal) {
        const verdict = await deps.checkFullTextIndex(signal)
        return verdict.ok
          ? {
              status: 'pass',
              evidence: `index sound; ${verdict.chunks.toLocaleString('en-US')} chunks stored, each indexed once`
            }
          : { status: 'fail', evidence: `the full-text index failed its check: ${verdict.reason}` }
      }
    }
  ]
}
