import { valueOrNull, type KosClient } from '../../shared/contract/client'
import { createGapSource } from '../autopilot/learning-gaps'
import { createLearningGenerator } from '../autopilot/learning-generator'
import { createLearningResults } from '../autopilot/learning-results'
import type { ConfigService } from '../config/config-service'
import type { Db } from '../db/database'
import type { Logger } from '../log/logger'
import type { TasksEngine } from '../tasks/tasks-engine'
import { learnedNotesThrough, researchFiler } from './adapters/research-filer'

/**
 * The experts' learning: gaps become research tasks while a model server can
 * take them, and a completed one is filed as a knowledge note so its gap
 * closes. Returns the generator and the unsubscribe of the note filer.
 */
export function composeLearning(parts: {
  readonly db: Db
  readonly reader: KosClient
  readonly actor: KosClient
  readonly config: ConfigService
  readonly log: Logger
  readonly engine: Pick<TasksEngine, 'onEvents'>
}) {
  const { reader, actor, config } = parts
  const log = parts.log.child({ capability: 'autopilot' })
  const learnedNotes = createLearningResults({
    ...learnedNotesThrough(actor),
    minAnswerChars: () => config.get('worker.minAnswerChars'),
    log
  })
  const stop = parts.engine.onEvents((batch) => learnedNotes.taskEvents(batch))
  const learning = createLearningGenerator({
    gaps: createGapSource(parts.db),
    experts: async () => valueOrNull(await reader.call('chat.experts.list', {}))?.experts ?? [],
    modelsDown: async () => {
      const overview = valueOrNull(await reader.call('models.list', {}))
      if (!overview) return 'the model servers could not be read'
      if (overview.nodes.some((n) => n.state === 'up' && n.models.length > 0)) return null
      const down = overview.nodes
        .filter((n) => n.state !== 'not_configured')
        .map((n) => `${n.label}: ${n.state === 'up' ? 'no models' : (n.error ?? n.state)}`)
      return down.length > 0 ? down.join('; ') : 'no model server is configured'
    },
    file: researchFiler(actor, (id) => learnedNotes.watch(id)),
    fileLearned: (id) => learnedNotes.completed(id),
    settings: () => ({
      enabled: config.get('autopilot.learningEnabled'),
      perExpertPerDay: config.get('autopilot.learningPerExpertPerDay')
    }),
    now: Date.now,
    log
  })
  return { learning, stop }
}
