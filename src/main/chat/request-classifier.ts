import type { Expert } from '../../shared/contract/chat-contract'

/**
 * simple: one step, answered by the fast model; execution: something to
 * produce ("write", "implement", "напиши" …), answered by an expert;
 * complex: several steps or high priority, decomposed into tasks.
 */
export type RequestKind = 'simple' | 'execution' | 'complex'

export interface RequestAnalysis {
  readonly kind: RequestKind
  readonly domain: string
  /** Why, for the log and the progress line. */
  readonly reason: string
}

const EXECUTION_VERB = new RegExp(
  [
    '\\b(write|make|create|implement|build|generate|develop|fix|refactor|draft|compose|translate|design|code|program|calculate|compute|analy[sz]e|compare|research|prepare|set up|optimi[sz]e|rewrite|edit|summari[sz]e|plan)\\b',
    '(напиш|написа|сдела|реализу|реализова|созда|разработа|исправ|перевед|перевест|состав|подготов|проанализир|сравн|посчита|рассчита|придума|оптимизир|настро|перепиш|отредактир|спланир)'
  ].join('|'),
  'i'
)

const MULTI_STEP = [
  /\b(and then|after that|step by step|end[- ]to[- ]end|from scratch|full (app|application|project|system)|whole (app|project|system))\b/i,
  /(а затем|после этого|потом|пошагово|с нуля|целиком|полностью|весь проект|всё приложение|всю систему)/i
]

const DOMAIN_WORDS: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'coding',
    /\b(code|function|class|method|bug|script|python|typescript|javascript|rust|go|java|sql|api|regex|unit test|compile|refactor|endpoint|docker|git|css|html|react)\b|(код|функци|класс|скрипт|баг|программ|тест|эндпоинт|регуляр)/gi
  ],
  [
    'analysis',
    /\b(analy[sz]\w*|data|dataset|statistic\w*|metric\w*|average|median|chart|trend|forecast|calculat\w*|percent\w*|kpi)\b|(анализ|данны|статистик|метрик|средн|график|тренд|прогноз|посчита|рассчита|процент)/gi
  ],
  [
    'writing',
    /\b(letter|email|e-mail|article|post|essay|text|story|blog|proofread|translat\w*|announcement|copy|press release|documentation)\b|(письм|стать|текст|пост|эсс|рассказ|перевед|перевод|объявлени|документаци)/gi
  ],
  [
    'strategy',
    /\b(strateg\w*|business plan|pricing|roadmap|market|competitor\w*|growth|budget)\b|(стратег|бизнес|рынок|рынк|конкурент|рост|бюджет|ценообраз)/gi
  ],
  [
    'research',
    /\b(research|compare|comparison|review|overview|sources|literature|alternatives|pros and cons)\b|(исследу|исследован|сравн|обзор|источник|альтернатив|плюсы и минусы)/gi
  ]
]

/** The domain whose words occur most often; `general` when none does. */
export function detectDomain(text: string): string {
  let best = 'general'
  let bestCount = 0
  for (const [domain, words] of DOMAIN_WORDS) {
    const count = text.match(words)?.length ?? 0
    if (count > bestCount) {
      best = domain
      bestCount = count
    }
  }
  return best
}

export function classifyRequest(text: string, priority: 'normal' | 'high'): RequestAnalysis {
  const domain = detectDomain(text)
  const execution = EXECUTION_VERB.test(text)
  if (!execution) return { kind: 'simple', domain, reason: 'a question answered in one step' }
  const listItems = text.split('\n').filter((line) => /^\s*(?:\d+[.)]|[-*•])\s+\S/.test(line)).length
  if (priority === 'high') return { kind: 'complex', domain, reason: 'a high-priority request' }
  if (listItems >= 3) return { kind: 'complex', domain, reason: `a request of ${listItems} listed parts` }
  if (MULTI_STEP.some((re) => re.test(text))) return { kind: 'complex', domain, reason: 'a request of several steps' }
  return { kind: 'execution', domain, reason: 'a request to produce something' }
}

/** The expert for a domain: one who lists it, else one whose model category is it; null leaves it to the lead agent. */
export function bestExpertFor(domain: string, experts: readonly Expert[]): Expert | null {
  const team = experts.filter((e) => !e.lead)
  return team.find((e) => e.domains.includes(domain)) ?? team.find((e) => e.modelCategory === domain) ?? null
}
