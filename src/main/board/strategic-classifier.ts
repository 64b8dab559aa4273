import type { Logger } from '../log/logger'
import type { ChatCompletionInfo, ChatModel } from '../ports/chat-model'
import { describeError } from '../../shared/describe-error'
import { completeText } from '../ports/complete-text'

/** What the rules alone say: `maybe` asks the model. */
export type RuleVerdict = 'strategic' | 'maybe' | 'routine'

// Phrases that only come up when a decision with long-term consequences is asked for.
const STRONG = [
  /\bstrateg/i,
  /\bboard of directors\b/i,
  /\bshould (we|our company|the company)\b.*\b(invest|hire|expand|enter|launch|acquire|pivot|raise|partner|open|close|sell|buy|build)/i,
  /\blong[- ]term\b.*\b(plan|direction|bet|vision)/i,
  /\b(market entry|go[- ]to[- ]market|business model)\b/i,
  /стратег/i,
  /совет(у)? директоров/i,
  /стоит ли (нам|компании)\s.*(инвест|нанима|расширя|выходить|запуска|покупа|продава|открыва|закрыва|партн)/i,
  /долгосрочн/i,
  /бизнес[- ]модел/i
]

// Signals that a question might be strategic; the model decides.
const WEAK = [
  /\bshould (we|i)\b/i,
  /\b(invest|investment|budget|pricing|price|hire|hiring|market|competitor|partnership|roadmap|priorit|expand|acquisition|funding|revenue)\w*/i,
  /стоит ли/i,
  /(инвест|бюджет|цен[аоуы]|найм|нанять|рын(ок|ка)|конкурент|партн[её]р|приоритет|выручк|финансир)/i
]

export function ruleVerdict(text: string): RuleVerdict {
  if (STRONG.some((re) => re.test(text))) return 'strategic'
  if (WEAK.some((re) => re.test(text))) return 'maybe'
  return 'routine'
}

export type StrategicVerdict = {
  readonly strategic: boolean
  readonly by: 'rules' | 'model'
  readonly info?: ChatCompletionInfo
}

const CHECK_PROMPT = [
  'You sort questions sent to a company’s AI assistant.',
  'Answer with one word: STRATEGIC if the question asks for a business or organisational decision with long-term consequences',
  '(strategy, investment, hiring, markets, pricing, partnerships, priorities), otherwise ROUTINE.'
].join(' ')

/**
 * Rules first, so routine questions cost no model call; a question the rules
 * cannot settle gets one short model check. A failing check counts as
 * routine: the question is answered either way, only without the board.
 */
export async function classifyStrategic(
  text: string,
  deps: {
    readonly model: ChatModel | null
    readonly signal: AbortSignal
    readonly correlationId: string
    readonly log: Logger
  }
): Promise<StrategicVerdict> {
  const verdict = ruleVerdict(text)
  if (verdict !== 'maybe' || !deps.model) return { strategic: verdict === 'strategic', by: 'rules' }
  try {
    const { text: answer, info } = await completeText(deps.model, {
      messages: [
        { role: 'system', content: CHECK_PROMPT },
        { role: 'user', content: text }
      ],
      size: 'light',
      category: 'general',
      signal: deps.signal,
      correlationId: deps.correlationId
    })
    return { strategic: /\bstrategic\b/i.test(answer) && !/\broutine\b/i.test(answer), by: 'model', info }
  } catch (error) {
    if (deps.signal.aborted) throw error
    deps.log.warn('strategic check failed; treating the question as routine', { error: describeError(error) })
    return { strategic: false, by: 'rules' }
  }
}
