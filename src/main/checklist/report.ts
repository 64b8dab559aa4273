import { createHash } from 'node:crypto'
import type { ChecklistRun } from '../../shared/contract/checklist-contract'
import { canonicalJson } from '../platform/canonical-json'

const STATUS_MARK = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', error: '❓ error' } as const

/** The run as a Markdown document a person can paste into an issue or a chat. */
export function markdownReport(run: ChecklistRun): string {
  const lines = [
    `# Knowledge OS checklist — ${run.verdict}`,
    '',
    `Run ${run.id} (${run.trigger}), ${run.startedAt} – ${run.finishedAt}.`,
    ''
  ]
  const areas = [...new Set(run.results.map((r) => r.area))]
  for (const area of areas) {
    lines.push(`## ${area}`, '', '| check | severity | status | evidence | remedy |', '|---|---|---|---|---|')
    for (const r of run.results.filter((x) => x.area === area)) {
      lines.push(
        `| ${cell(r.title)} (\`${r.id}\`) | ${r.severity} | ${STATUS_MARK[r.status]} | ${cell(r.evidence)} | ${r.status === 'pass' ? '' : cell(r.remedy)} |`
      )
    }
    lines.push('')
  }
  if (run.playbook.length > 0) {
    lines.push('## Known failures recognised', '')
    for (const m of run.playbook) {
      lines.push(
        `### ${m.title}`,
        '',
        `**Cause:** ${m.cause}`,
        '',
        `**Remedy:** ${m.remedy}`,
        '',
        'Evidence:',
        ...m.evidence.map((e) => `- \`${e.replaceAll('`', "'")}\``),
        ''
      )
    }
  }
  return `${lines.join('\n').trimEnd()}\n`
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ')

export function jsonReport(run: ChecklistRun): { json: string; sha256: string } {
  const json = canonicalJson(run)
  return { json, sha256: createHash('sha256').update(json, 'utf8').digest('hex') }
}
