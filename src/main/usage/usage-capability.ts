import type { BudgetPeriod } from '../../shared/contract/usage-contract'
import type { Db } from '../db/database'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import { refuse } from '../rpc/refusal'
import type { Capability } from '../rpc/handler-types'
import { dayOf } from './budget-period'
import { createUsageLedger, type UsageLedger, type UsageRecord } from './usage-ledger'
import { createUsageReport, reportStart, type UsageLabels } from './usage-report'

export interface UsageCapability extends Capability<'usage'> {
  readonly ledger: UsageLedger
  /** Counts one model call; past the period's budget it tells the owner, once per period. */
  record(record: UsageRecord): void
}

export interface UsageCapabilityDeps {
  readonly db: Db
  readonly events: Pick<EventBus, 'emit'>
  readonly log: Logger
  readonly settings: {
    readonly pricePer1k: () => number
    readonly tokenBudget: () => number
    readonly budgetPeriod: () => BudgetPeriod
  }
  readonly isRemoteNode: (node: string) => boolean
  readonly labels: UsageLabels
  readonly now?: () => Date
}

/** An open Usage view re-reads on usage.changed; a busy worker must not make it re-read for every call. */
const CHANGED_EVERY_MS = 1000

export function createUsageCapability(deps: UsageCapabilityDeps): UsageCapability {
  const now = deps.now ?? (() => new Date())
  const log = deps.log.child({ component: 'usage' })
  const ledger = createUsageLedger(deps.db, {
    pricePer1k: deps.settings.pricePer1k,
    tokenBudget: deps.settings.tokenBudget,
    budgetPeriod: deps.settings.budgetPeriod,
    isRemoteNode: deps.isRemoteNode,
    now
  })
  const report = createUsageReport(deps.db, { ledger, pricePer1k: deps.settings.pricePer1k, now })
  let changedAt = Number.NEGATIVE_INFINITY

  return {
    ledger,
    record(record) {
      let alert
      try {
        alert = ledger.record(record)
      } catch (error) {
        // Accounting must never fail the answer or the task it counts: the call is logged instead.
        log.error('model call not counted', { error, correlation_id: record.correlationId, ...record.info })
        return
      }
      const { info } = record
      // One line per answered model request, under the request's correlation id: `kos logs --correlation` shows each call of a trail.
      log.info('model call', {
        correlation_id: record.correlationId,
        source: record.source,
        purpose: record.purpose,
        ...(record.taskId ? { task_id: record.taskId } : {}),
        ...(record.messageId ? { message_id: record.messageId } : {}),
        ...(record.project ? { project: record.project } : {}),
        expert: record.expertId,
        node: info.node,
        model: info.model,
        tokens_in: info.tokensIn,
        tokens_out: info.tokensOut,
        counted: info.counted,
        duration_ms: Math.round(info.durationMs),
        fell_back: info.fellBack,
        ...(record.failed ? { failed: true } : {})
      })
      const at = now()
      if (at.getTime() - changedAt >= CHANGED_EVERY_MS) {
        changedAt = at.getTime()
        deps.events.emit('usage.changed', { at: at.toISOString() })
      }
      if (!alert) return
      log.warn('token budget exceeded', { ...alert, correlation_id: record.correlationId })
      deps.events.emit('usage.budgetExceeded', alert)
    },
    handlers: {
      'usage.report': ({ since, by }) => {
        const today = dayOf(now())
        if (since !== undefined && (Number.isNaN(Date.parse(`${since}T00:00:00.000Z`)) || since > today))
          return refuse(
            'invalid_input',
            `since "${since}" is not a day up to today (${today}). Give a day as YYYY-MM-DD, today or earlier.`,
            { issues: [{ path: 'since', message: 'a past day as YYYY-MM-DD' }] }
          )
        return report({ since: reportStart(since, now()), by }, deps.labels)
      }
    }
  }
}
