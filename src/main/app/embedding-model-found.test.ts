import { afterEach, describe, expect, it } from 'vitest'
import type { HealthSnapshot } from '../../shared/contract/models-contract'
import { startFakeOllama, type FakeOllama } from '../models/testing/fake-ollama-server'
import { FULL_SCOPES } from '../rpc/in-process-client'
import { OFFLINE_ENV } from '../test-support/offline-env'
import { useTempDirs } from '../test-support/temp-dir'
import { startCore, type Core } from './start-core'

const tempDir = useTempDirs()
const open: { core?: Core; fake?: FakeOllama } = {}
afterEach(async () => {
  await open.core?.close()
  await open.fake?.close()
})

const knowledgeReasons = (snapshot: HealthSnapshot): string[] =>
  snapshot.components.find((c) => c.component === 'knowledge')?.reasons ?? []

/** Resolves with the first health the core pushes (or already has) that passes the test. */
function pushedHealth(core: Core, test: (snapshot: HealthSnapshot) => boolean): Promise<HealthSnapshot> {
  return new Promise((resolve) => {
    const stop = core.events.subscribe((frame) => {
      if (frame.name !== 'health.changed' || !test(frame.payload as HealthSnapshot)) return
      stop()
      resolve(frame.payload as HealthSnapshot)
    })
    void core
      .client({ scopes: FULL_SCOPES })
      .call('health.get', {})
      .then((r) => {
        if (r.ok && test(r.value)) {
          stop()
          resolve(r.value)
        }
      })
  })
}

describe('an embedding model that appears on a node', () => {
  it('clears "no reachable node has the embedding model" as soon as a scan lists it as name:latest, without waiting for the retry', async () => {
    const fake = (open.fake = await startFakeOllama({ models: [{ name: 'llama3.2:3b', sizeBytes: 2_019_393_189 }] }))
    const started = startCore({
      hostKind: 'headless',
      dataDirFlag: tempDir(),
      cliSettings: new Map(),
      platform: { platform: 'linux', env: { ...OFFLINE_ENV, KOS_OLLAMA_API_URL: fake.url }, home: tempDir() },
      appVersion: '0.0.0-test'
    })
    if (!started.ok) throw new Error(started.error.message)
    const core = (open.core = started.core)
    const missing = await pushedHealth(core, (s) =>
      knowledgeReasons(s).some((r) => r.includes('embedding model nomic-embed-text'))
    )
    expect(knowledgeReasons(missing)).toHaveLength(1)

    fake.setModels([
      { name: 'llama3.2:3b', sizeBytes: 2_019_393_189 },
      { name: 'nomic-embed-text:latest', sizeBytes: 274_302_450 }
    ])
    const scan = await core.client({ scopes: FULL_SCOPES }).call('models.scan', {})
    expect(scan.ok && scan.value.nodes.some((n) => n.models.some((m) => m.name === 'nomic-embed-text:latest'))).toBe(
      true
    )
    const found = await pushedHealth(core, (s) => knowledgeReasons(s).length === 0)
    expect(found.components.find((c) => c.component === 'knowledge')?.level).toBe('ok')
  })
})
