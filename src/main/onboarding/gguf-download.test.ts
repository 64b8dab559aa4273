import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createServer, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { makeTinyGguf } from '../../../scripts/make-tiny-gguf'
import { createEmbeddedProvider } from '../models/embedded/embedded-provider'
import { startSourceWorker } from '../models/embedded/testing-worker'
import { freePort } from '../test-support/free-port'
import { useTempDirs } from '../test-support/temp-dir'
import { downloadGguf, STAGING_DIR, type DownloadProgress } from './gguf-download'
import { startGgufServer, type GgufServer } from './testing/gguf-server'

const tempDir = useTempDirs()
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function serve(options: Parameters<typeof startGgufServer>[0]): Promise<GgufServer> {
  const server = await startGgufServer(options)
  closers.push(() => server.close())
  return server
}

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex')
// Larger than the downloader's 5 MB chunks, so a cut lands after a whole chunk and can resume after it.
const big = makeTinyGguf({ embedding: 256, layers: 3, heads: 4, feedForward: 1024, context: 512 })
const tiny = makeTinyGguf()

function fetchInto(server: GgufServer, dir: string, file: string, options: { sha256?: string | null } = {}) {
  const progress: DownloadProgress[] = []
  const controller = new AbortController()
  const outcome = downloadGguf({
    url: server.url(file),
    modelsDir: dir,
    fileName: file,
    sha256: options.sha256 ?? null,
    signal: controller.signal,
    onProgress: (p) => progress.push(p)
  })
  return { outcome, progress, controller }
}

describe('GGUF download for the embedded engine', () => {
  it(
    'downloads a GGUF from a loopback mirror with rising progress, verifies its published sha256, and the embedded engine answers a first chat with it',
    { timeout: 120_000 },
    async () => {
      const server = await serve({ files: { 'tiny.gguf': tiny } })
      const dir = join(tempDir(), 'models')
      const { outcome, progress } = fetchInto(server, dir, 'tiny.gguf')
      const result = await outcome
      expect(result).toMatchObject({ ok: true, bytes: tiny.length, sha256: sha(tiny) })
      expect(readFileSync(join(dir, 'tiny.gguf')).equals(tiny)).toBe(true)
      const downloading = progress.filter((p) => p.phase === 'downloading').map((p) => p.downloadedBytes)
      expect(downloading.length).toBeGreaterThan(1)
      expect(downloading).toEqual([...downloading].sort((a, b) => a - b))
      expect(progress.at(-1)).toEqual({ downloadedBytes: tiny.length, totalBytes: tiny.length, phase: 'verifying' })
      expect(readdirSync(join(dir, STAGING_DIR))).toEqual([])

      const engine = createEmbeddedProvider({
        modelsDir: dir,
        startWorker: startSourceWorker,
        contextSize: 256,
        maxTokens: 6,
        threads: 1
      })
      closers.push(() => engine.close())
      const signal = new AbortController().signal
      expect((await engine.listModels(signal)).map((m) => m.name)).toEqual(['tiny'])
      const pieces: string[] = []
      for await (const piece of engine.chat({ model: 'tiny', messages: [{ role: 'user', content: 'hello' }], signal }))
        pieces.push(piece)
      expect(pieces.join('').length).toBeGreaterThan(0)
    }
  )

  it(
    'resumes after the connection is cut mid-file: the next request starts past the chunks already written, and the file is whole',
    { timeout: 120_000 },
    async () => {
      const cutAfter = 6_000_000
      const server = await serve({ files: { 'big.gguf': big }, cutAfterBytes: cutAfter })
      const dir = join(tempDir(), 'models')
      const result = await fetchInto(server, dir, 'big.gguf', { sha256: sha(big) }).outcome
      expect(result).toMatchObject({ ok: true, bytes: big.length })
      expect(readFileSync(join(dir, 'big.gguf')).equals(big)).toBe(true)
      const cut = server.cut()
      expect(cut).not.toBeNull()
      if (!cut) return
      // The part that was cut is fetched again from the last whole chunk it wrote, not from its start.
      const afterCut = server.requests
        .slice(server.requests.indexOf(`GET /big.gguf bytes=${cut.start}-${cut.end}`) + 1)
        .map((r) => /bytes=(\d+)-(\d+)/.exec(r))
        .filter((m) => m !== null)
        .map((m) => ({ start: Number(m[1]), end: Number(m[2]) }))
      const retry = afterCut.find((r) => r.end === cut.end)
      expect(retry?.start).toBeGreaterThan(cut.start)
      expect(retry?.start).toBeLessThanOrEqual(cut.start + cut.sent)
    }
  )

  it(
    'a stopped download is picked up by the next one: the chunks it finished are not fetched again',
    { timeout: 120_000 },
    async () => {
      const chunk = 5 * 1024 * 1024
      const server = await serve({ files: { 'big.gguf': big }, stallFrom: chunk })
      const dir = join(tempDir(), 'models')
      const first = fetchInto(server, dir, 'big.gguf', { sha256: sha(big) })
      // The first chunk arrives, the rest hangs: once the downloader has recorded that chunk on disk, the owner stops it (or quits).
      const staged = join(dir, STAGING_DIR, 'big.gguf.ipull')
      const recorded = (): boolean => existsSync(staged) && statSync(staged).size > big.length
      while (!first.progress.some((p) => p.downloadedBytes >= chunk) || !recorded())
        await new Promise((r) => setTimeout(r, 20))
      first.controller.abort()
      expect(await first.outcome).toMatchObject({ ok: false, reason: 'cancelled' })
      expect(existsSync(join(dir, 'big.gguf'))).toBe(false)
      expect(readdirSync(join(dir, STAGING_DIR))).toEqual(['big.gguf.ipull'])

      server.unstall()
      const before = server.requests.length
      const second = await fetchInto(server, dir, 'big.gguf', { sha256: sha(big) }).outcome
      expect(second).toMatchObject({ ok: true, bytes: big.length })
      expect(readFileSync(join(dir, 'big.gguf')).equals(big)).toBe(true)
      const ranges = server.requests.slice(before).filter((r) => r.includes('bytes='))
      expect(ranges.length).toBeGreaterThan(0)
      expect(ranges.some((r) => r.includes('bytes=0-'))).toBe(false)
    }
  )

  it(
    'refuses a file whose sha256 does not match, deletes it, and leaves nothing the engine would load',
    { timeout: 60_000 },
    async () => {
      const server = await serve({ files: { 'tiny.gguf': tiny }, publishedSha256: { 'tiny.gguf': 'a'.repeat(64) } })
      const dir = join(tempDir(), 'models')
      const result = await fetchInto(server, dir, 'tiny.gguf').outcome
      expect(result.ok).toBe(false)
      if (result.ok) return
      expect(result.reason).toBe('checksum_mismatch')
      expect(result.message).toContain(`its sha256 is ${sha(tiny)}, not ${'a'.repeat(64)}`)
      expect(existsSync(join(dir, 'tiny.gguf'))).toBe(false)
      expect(readdirSync(join(dir, STAGING_DIR))).toEqual([])
    }
  )

  it('refuses to download what cannot be verified: no sha256 given and none published', async () => {
    const server = await serve({ files: { 'tiny.gguf': tiny }, publishedSha256: { 'tiny.gguf': 'not-a-sha' } })
    const dir = join(tempDir(), 'models')
    const result = await fetchInto(server, dir, 'tiny.gguf').outcome
    expect(result).toMatchObject({ ok: false, reason: 'no_checksum' })
    expect(server.requests).toEqual([])
  })

  it('names the URL when the mirror does not have the file', { timeout: 60_000 }, async () => {
    const server = await serve({ files: {} })
    const dir = join(tempDir(), 'models')
    const result = await fetchInto(server, dir, 'gone.gguf', { sha256: 'b'.repeat(64) }).outcome
    expect(result).toMatchObject({ ok: false, reason: 'failed' })
    if (!result.ok) expect(result.message).toContain(server.url('gone.gguf'))
  })

  it('says the server could not be reached, not that it publishes no sha256, when the connection is refused', async () => {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}/tiny.gguf`
    const progress: DownloadProgress[] = []
    const result = await downloadGguf({
      url,
      modelsDir: join(tempDir(), 'models'),
      fileName: 'tiny.gguf',
      sha256: null,
      signal: new AbortController().signal,
      onProgress: (p) => progress.push(p)
    })
    expect(result).toEqual({
      ok: false,
      reason: 'unreachable',
      message: `Could not reach 127.0.0.1:${port}: connection refused. Check the network, then Retry.`
    })
    expect(progress).toEqual([])
  })

  it('says the server could not be reached when it accepts the connection but never answers', async () => {
    const sockets: Socket[] = []
    const silent = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    closers.push(async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    })
    const address = silent.address()
    if (address === null || typeof address === 'string') throw new Error('the silent server has no port')
    const result = await downloadGguf({
      url: `http://127.0.0.1:${address.port}/tiny.gguf`,
      modelsDir: join(tempDir(), 'models'),
      fileName: 'tiny.gguf',
      sha256: null,
      signal: new AbortController().signal,
      onProgress: () => undefined,
      answerTimeoutMs: 200
    })
    expect(result).toMatchObject({ ok: false, reason: 'unreachable' })
    if (!result.ok)
      expect(result.message).toBe(
        `Could not reach 127.0.0.1:${address.port}: no answer within 0.2 s. Check the network, then Retry.`
      )
  })

  it(
    'says the server could not be reached when the sha256 is known and the download itself is refused',
    { timeout: 60_000 },
    async () => {
      const port = await freePort()
      const result = await downloadGguf({
        url: `http://127.0.0.1:${port}/tiny.gguf`,
        modelsDir: join(tempDir(), 'models'),
        fileName: 'tiny.gguf',
        sha256: sha(tiny),
        signal: new AbortController().signal,
        onProgress: () => undefined
      })
      expect(result).toEqual({
        ok: false,
        reason: 'unreachable',
        message: `Could not reach 127.0.0.1:${port}: connection refused. Check the network, then Retry.`
      })
    }
  )
})
