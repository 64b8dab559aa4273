/**
 * A declared test command split into its program and arguments as a shell
 * would split words (spaces; single and double quotes; backslash escapes),
 * with none of a shell's expansions: no variables, globs, pipes or `;`.
 */
export type SplitCommand = { ok: true; argv: string[] } | { ok: false; message: string }

const SHELL_ONLY = /[|&;<>`$(){}*?]/

export function splitCommand(command: string): SplitCommand {
  const argv: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | null = null
  for (let i = 0; i < command.length; i++) {
    const ch = command[i] as string
    if (quote) {
      if (ch === quote) quote = null
      else if (ch === '\\' && quote === '"' && i + 1 < command.length) word += command[++i]
      else word += ch
      continue
    }
    if (ch === '"' || ch === "'") {
      quote = ch
      inWord = true
    } else if (ch === '\\' && i + 1 < command.length) {
      word += command[++i]
      inWord = true
    } else if (/\s/.test(ch)) {
      if (inWord) argv.push(word)
      word = ''
      inWord = false
    } else if (SHELL_ONLY.test(ch)) {
      return {
        ok: false,
        message: `The test command "${command}" uses "${ch}", which needs a shell; commands run without one. Put the steps in a script (e.g. "npm test") and declare that.`
      }
    } else {
      word += ch
      inWord = true
    }
  }
  if (quote) return { ok: false, message: `The test command "${command}" has an unclosed ${quote} quote.` }
  if (inWord) argv.push(word)
  if (argv.length === 0) return { ok: false, message: 'The test command is empty: declare one, e.g. "npm test".' }
  return { ok: true, argv }
}
