import { dirname } from 'node:path'
import { valueOrNull, type KosClient } from '../../shared/contract/client'
import type { ProcessStatus } from '../../shared/contract/models-contract'
import { createChecklistCapability } from '../checklist/checklist-capability'
import { capabilityChecks } from '../checklist/checks/capability-checks'
import { predictiveCheck } from '../checklist/checks/predictive-check'
import { storageChecks } from '../checklist/checks/storage-checks'
import { loadConfig } from '../config/load-config'
import { inspectInstanceLock } from '../db/instance-lock'
import type { DiskSpaceMonitor, DiskThresholds } from '../health/disk-space-monitor'
import { checkFullTextIndex } from '../knowledge/full-text-index'
import { checklistFixBlocked, checklistFixes } from './checklist-fixes'
import type { Infrastructure } from './composition-types'

/**
 * The checklist reads every other capability as the UI does (through the
 * read-only client) and fixes through the full one, so it is built last.
 */
export function composeChecklist(parts: {
  readonly infra: Infrastructure
  readonly reader: KosClient
  readonly actor: KosClient
  readonly predictive: Parameters<typeof predictiveCheck>[0]
  readonly disk: Pick<DiskSpaceMonitor, 'sample'>
  readonly diskThresholds: () => DiskThresholds
  readonly supervisor: { statuses(): ProcessStatus[] }
}) {
  const { infra, reader, actor, predictive, disk, diskThresholds, supervisor } = parts
  const { db, events, log, config } = infra
  return createChecklistCapability({
    db,
    events,
    log,
    databaseFile: infra.databaseFile,
    logFile: infra.logFile,
    migrations: infra.migrations,
    app: {
      dataDir: infra.dataDir.path,
      instanceOwner: () => {
        const found = inspectInstanceLock(infra.dataDir.path, infra.nativeBinding)
        return { heldByUs: found.held && found.owner?.pid === process.pid, ownerPid: found.owner?.pid ?? null }
      },
      revalidateConfig: () => {
        const again = loadConfig({ dataDir: infra.dataDir, cli: infra.cliSettings, env: infra.platform.env })
        return again.ok ? [] : again.messages
      },
      settingSources: () => countBy(config.snapshot().settings.map((s) => s.source.kind)),
      fileFolders: [dirname(infra.logFile), infra.exportsDir],
      filesBoundBytes: () => config.get('files.warnMb') * 1024 * 1024,
      timeouts: () => ({
        llmRequestSec: config.get('llm.requestTimeoutSec'),
        heartbeatSec: config.get('worker.heartbeatSec'),
        stuckMinutes: config.get('worker.stuckMinutes')
      })
    },
    capabilityChecks: [
      ...capabilityChecks({
        client: reader,
        stuckMinutes: () => config.get('worker.stuckMinutes'),
        now: () => new Date(),
        generationThreshold: () => ({
          failurePercent: config.get('models.circuitFailurePercent'),
          minGenerations: config.get('models.circuitMinRequests')
        })
      }),
      predictiveCheck(predictive),
      ...storageChecks({
        dataDir: infra.dataDir.path,
        freeBytes: async () => (await disk.sample()).freeBytes,
        thresholds: diskThresholds,
        checkFullTextIndex: (signal) => checkFullTextIndex(db, { signal })
      })
    ],
    errorTypes: async () => valueOrNull(await reader.call('tasks.counters', {}))?.deferredByErrorType ?? {},
    fixes: checklistFixes(actor, config),
    fixBlocked: checklistFixBlocked(() => supervisor.statuses().find((s) => s.id === 'ollama')),
    intervalMinutes: () => config.get('checklist.intervalMin'),
    background: false
  })
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1
  return counts
}
