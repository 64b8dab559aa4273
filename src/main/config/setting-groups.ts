import type { SettingGroup } from '../../shared/contract/config-contract'

/**
 * The Settings view's groups, in the order people need them: what the
 * corporation runs on first (model servers, models, knowledge, budget), the
 * fine tuning after, the operator's knobs last. A category a setting file
 * names but this list does not still shows, after these, in name order.
 */
export const SETTING_GROUPS: readonly SettingGroup[] = [
  {
    name: 'Model servers',
    summary:
      'Where your models run: the Ollama and MLX servers, whether the app starts them, and how much each runs at once.',
    essential: true
  },
  {
    name: 'Models',
    summary: 'How requests reach the models: timeouts, fallbacks, and when a failing model is rested.',
    essential: true
  },
  {
    name: 'Knowledge',
    summary: 'How documents are cut, searched and quoted to the models.',
    essential: true
  },
  {
    name: 'Budget',
    summary:
      'How many tokens every model call may use per day, week or month before an alert, and what remote tokens cost.',
    essential: true
  },
  { name: 'Worker', summary: 'The task queue: how many tasks run at once, retries and timeouts.', essential: false },
  {
    name: 'Validation',
    summary: 'How results are judged before they count, and how often the board is asked before a person.',
    essential: false
  },
  {
    name: 'Chat',
    summary: 'How the lead agent answers: experts, memory and the board of directors.',
    essential: false
  },
  {
    name: 'Autopilot',
    summary: 'What the corporation does on its own when the queue stalls or knowledge is missing.',
    essential: false
  },
  { name: 'Notifications', summary: 'Where alerts and the morning digest are sent.', essential: false },
  { name: 'Checklist', summary: 'How often the health checklist runs by itself.', essential: false },
  {
    name: 'Disk and files',
    summary: 'When low disk space pauses work, and how old logs and backups are kept.',
    essential: false
  },
  { name: 'General', summary: 'The profile, logging, updates and starting at login.', essential: false },
  {
    name: 'Headless host',
    summary: 'The browser access to this app: address, port, rate limits, /metrics.',
    essential: false
  },
  {
    name: 'Soak gate',
    summary: 'Limits of the `kos soak` release test; only release engineers need them.',
    essential: false
  }
]

/** The groups in display order for the categories present: known ones as listed, any other after them by name. */
export function groupsFor(categories: readonly string[]): SettingGroup[] {
  const present = new Set(categories)
  const known = SETTING_GROUPS.filter((g) => present.has(g.name))
  const listed = new Set(SETTING_GROUPS.map((g) => g.name))
  const others = [...present]
    .filter((c) => !listed.has(c))
    .sort()
    .map((name): SettingGroup => ({ name, summary: '', essential: false }))
  return [...known, ...others]
}
