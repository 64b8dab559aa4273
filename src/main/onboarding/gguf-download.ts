import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type * as NodeLlamaCpp from 'node-llama-cpp'
import { networkFailureOf, unreachableMessage } from './network-failure'

export interface DownloadProgress {
  readonly downloadedBytes: number
  readonly totalBytes: number | null
  readonly phase: 'downloading' | 'verifying'
}

export type DownloadOutcome =
  | { readonly ok: true; readonly file: string; readonly bytes: number; readonly sha256: string }
  | {
      readonly ok: false
      readonly reason: 'no_checksum' | 'checksum_mismatch' | 'unreachable' | 'failed' | 'cancelled'
      readonly message: string
    }

export interface GgufDownloadRequest {
  readonly url: string
  /** The embedded engine's models folder: the verified file lands there, and nowhere else. */
  readonly modelsDir: string
  /** `<model>.gguf`: the embedded engine names a model after its file. */
  readonly fileName: string
  /** The sha256 the file must have; null to take the one its server publishes (Hugging Face's X-Linked-Etag). */
  readonly sha256: string | null
  readonly signal: AbortSignal
  readonly onProgress: (progress: DownloadProgress) => void
  /** How long the server may take to answer the first request; a silent network reads as unreachable after it. */
  readonly answerTimeoutMs?: number
}

const ANSWER_TIMEOUT_MS = 30_000

/** Where unverified bytes wait: inside the models folder (same disk, so the final rename is atomic), but not a *.gguf the engine would list. */
export const STAGING_DIR = '.downloads'

const SHA256 = /^[0-9a-f]{64}$/

/**
 * Downloads one GGUF file with node-llama-cpp's model downloader (parallel
 * ranges; a cut connection resumes from the last whole chunk, and a partial
 * file left by a stopped download is picked up by the next), then checks its
 * sha256 before it may enter the models folder. A file that does not match is
 * deleted, never loaded.
 */
export async function downloadGguf(request: GgufDownloadRequest): Promise<DownloadOutcome> {
  const { url, modelsDir, fileName, signal } = request
  const timeoutMs = request.answerTimeoutMs ?? ANSWER_TIMEOUT_MS
  // Asked even when the sha256 is known: the downloader retries a refused connection for minutes, the HEAD says at once.
  const published = await publishedSha256(url, signal, timeoutMs)
  if (signal.aborted) return cancelled(fileName)
  // Offline is not "no checksum": say so, or the person goes looking for a sha256 while the cable is out.
  if ('unreachable' in published)
    return { ok: false, reason: 'unreachable', message: unreachableMessage(url, published.unreachable) }
  const expected = request.sha256?.toLowerCase() ?? published.sha256
  if (!expected || !SHA256.test(expected))
    return {
      ok: false,
      reason: 'no_checksum',
      message: `${url} publishes no sha256 for ${fileName} (no X-Linked-Etag header), so the download could not be verified. Give its sha256 in the recommended models file, or use a Hugging Face URL.`
    }
  const staging = join(modelsDir, STAGING_DIR)
  let staged: string
  try {
    await mkdir(staging, { recursive: true })
    const { createModelDownloader } = await import('node-llama-cpp')
    staged = await transfer(createModelDownloader, { url, staging, fileName, signal, onProgress: request.onProgress })
  } catch (error) {
    if (signal.aborted) return cancelled(fileName)
    const why = networkFailureOf(error, timeoutMs)
    if (why) return { ok: false, reason: 'unreachable', message: unreachableMessage(url, why) }
    return {
      ok: false,
      reason: 'failed',
      message: `Downloading ${fileName} from ${url} failed: ${error instanceof Error ? error.message : String(error)}. Check the connection and try again; what arrived is kept and the download goes on from there.`
    }
  }
  if (signal.aborted) return cancelled(fileName)
  const bytes = (await stat(staged)).size
  request.onProgress({ downloadedBytes: bytes, totalBytes: bytes, phase: 'verifying' })
  const actual = await sha256Of(staged)
  if (actual !== expected) {
    await rm(staged, { force: true })
    return {
      ok: false,
      reason: 'checksum_mismatch',
      message: `${fileName} from ${url} is not the expected file: its sha256 is ${actual}, not ${expected}. It was deleted. Try again; if it fails again the server is serving a different file.`
    }
  }
  const file = join(modelsDir, fileName)
  await rename(staged, file)
  return { ok: true, file, bytes, sha256: actual }
}

async function transfer(
  createModelDownloader: typeof NodeLlamaCpp.createModelDownloader,
  options: {
    url: string
    staging: string
    fileName: string
    signal: AbortSignal
    onProgress: GgufDownloadRequest['onProgress']
  }
): Promise<string> {
  const downloader = await createModelDownloader({
    modelUri: options.url,
    dirPath: options.staging,
    fileName: options.fileName,
    // A stopped download keeps its bytes, so the next one resumes.
    deleteTempFileOnCancel: false,
    onProgress: ({ downloadedSize, totalSize }) =>
      options.onProgress({
        downloadedBytes: downloadedSize,
        totalBytes: totalSize > 0 ? totalSize : null,
        phase: 'downloading'
      })
  })
  // The downloader neither rejects nor settles when its signal aborts a stalled stream, so the abort is raced here.
  let onAbort = (): void => undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error('cancelled'))
    options.signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([downloader.download(), aborted])
  } catch (error) {
    await downloader.cancel({ deleteTempFile: false }).catch(() => undefined)
    throw error
  } finally {
    options.signal.removeEventListener('abort', onAbort)
  }
}

/**
 * The sha256 a server publishes for a file: Hugging Face sends it as X-Linked-Etag on the redirect to its storage.
 * A server that cannot be reached says why, in words; one that answers without a checksum gives null.
 */
async function publishedSha256(
  url: string,
  signal: AbortSignal,
  timeoutMs: number
): Promise<{ readonly sha256: string | null } | { readonly unreachable: string }> {
  try {
    const response = await fetch(url, {
      method: 'HEAD',
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
    })
    const tag = response.headers.get('x-linked-etag') ?? response.headers.get('etag')
    const bare = tag?.replace(/^W\//, '').replace(/"/g, '').toLowerCase() ?? null
    return { sha256: bare && SHA256.test(bare) ? bare : null }
  } catch (error) {
    if (signal.aborted) return { sha256: null }
    const why = networkFailureOf(error, timeoutMs)
    return why ? { unreachable: why } : { sha256: null }
  }
}

export function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
  })
}

function cancelled(fileName: string): DownloadOutcome {
  return {
    ok: false,
    reason: 'cancelled',
    message: `The download of ${fileName} was stopped; what arrived is kept for the next try.`
  }
}
