import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeOllama, type FakeOllama } from '../../models/testing/fake-ollama-server'
import type { SoakReport } from '../../soak/soak-report'
import { runKosInProcess } from '../../test-support/run-kos-in-process'
import { useTempDirs } from '../../test-support/temp-dir'

const tempDir = useTempDirs()

describe('kos soak', () => {
  let fake: FakeOllama | null = null
  afterEach(async () => {
    await fake?.close()
    fake = null
  })

  it('smoke profile: drives synthetic tasks through the router and a fake Ollama, writes the report with its SHA-256 and exits by verdict', async () => {
    fake = await startFakeOllama({
      loaded: ['llama3.2:3b'],
      rules: [
        {
          whenPromptContains: '',
          behaviour: {
            kind: 'reply',
            text: 'A steady answer in three sentences about the topic at hand.',
            tokenDelayMs: 2
          }
        }
      ]
    })
    const out = tempDir()
    const run = await runKosInProcess(
      ['soak', '--minutes', '0.1', '--rate', '120', '--out', out, '--set', 'llm.requestTimeoutSec=15'],
      { env: { KOS_OLLAMA_API_URL: fake.url } }
    )
    expect(run.err).toEqual([])
    const json = readFileSync(join(out, 'soak-report.json'), 'utf8')
    const report = JSON.parse(json) as SoakReport
    const sha = createHash('sha256').update(json).digest('hex')
    expect(readFileSync(join(out, 'soak-report.json.sha256'), 'utf8')).toBe(`${sha}  soak-report.json\n`)
    expect(run.out.at(-1)).toContain(sha)
    expect(report.counts).toMatchObject({ submitted: 12, completed: 12, manualReview: 0, unfinished: 0 })
    expect(report.nodes).toEqual(['ollama-local'])
    expect(report.kpis.errorShare).toBe(0)
    expect(report.kpis.p95LatencyMs).toBeGreaterThan(0)
    expect(fake.requests.filter((r) => r.startsWith('POST /api/chat')).length).toBeGreaterThanOrEqual(12)
    expect(run.code).toBe(report.verdict === 'pass' ? 0 : report.verdict === 'warn' ? 2 : 1)
    expect(report.verdict).not.toBe('fail')
  }, 30_000)

  it('fails the gate with exit 1 when the model server answers 500 to every generation', async () => {
    fake = await startFakeOllama({
      loaded: ['llama3.2:3b'],
      rules: [
        {
          whenPromptContains: '',
          behaviour: { kind: 'error', status: 500, message: 'llama runner process has terminated' }
        }
      ]
    })
    const out = tempDir()
    const run = await runKosInProcess(
      ['soak', '--minutes', '0.05', '--rate', '60', '--out', out, '--json', '--set', 'llm.requestTimeoutSec=10'],
      { env: { KOS_OLLAMA_API_URL: fake.url } }
    )
    const report = JSON.parse(readFileSync(join(out, 'soak-report.json'), 'utf8')) as SoakReport
    expect(report.verdict).toBe('fail')
    expect(report.counts.completed).toBe(0)
    expect(run.code).toBe(1)
    expect(JSON.parse(run.out[0] as string)).toMatchObject({ verdict: 'fail' })
  }, 30_000)

  it('refuses a missing or bad --minutes, naming the flag and the value', async () => {
    const missing = await runKosInProcess(['soak'])
    expect(missing.code).toBe(64)
    expect(missing.err.join('\n')).toBe(
      '--minutes is required: a number above 0 and at most 1440. E.g. kos soak --minutes 30 --rate 20.'
    )
    expect((await runKosInProcess(['soak', '--minutes', '0'])).err.join('\n')).toContain(
      '--minutes takes a number above 0 and at most 1440; got "0"'
    )
    const bad = await runKosInProcess(['soak', '--minutes', '10', '--rate', 'fast'])
    expect(bad.code).toBe(64)
    expect(bad.err.join('\n')).toContain('got "fast"')
  })
})
