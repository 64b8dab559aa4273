export type CodeTokenKind = 'keyword' | 'string' | 'number' | 'comment' | 'plain'

export interface CodeToken {
  readonly kind: CodeTokenKind
  readonly text: string
}

const KEYWORDS = new Set(
  (
    'abstract as async await break case catch class const continue def default del do elif else enum except export extends false final finally fn for from func function go if impl import in interface is lambda let loop match mod mut new nil none not null of or package pass private protected pub public raise return self select static struct super switch this throw true try type typeof use var void where while with yield ' +
    'and begin by create delete desc distinct drop end group having insert into join left limit on order right set table then union update values when ' +
    'echo elif esac export fi local readonly then'
  ).split(' ')
)

const HASH_COMMENT = new Set([
  'python',
  'py',
  'sh',
  'bash',
  'shell',
  'zsh',
  'ruby',
  'rb',
  'yaml',
  'yml',
  'toml',
  'r',
  'perl'
])
const DASH_COMMENT = new Set(['sql', 'lua', 'haskell'])

/** Splits code into tokens for colouring; every character of the input is in exactly one token. */
export function highlight(code: string, language: string): CodeToken[] {
  const comment = HASH_COMMENT.has(language)
    ? '#[^\\n]*'
    : DASH_COMMENT.has(language)
      ? '--[^\\n]*'
      : '\\/\\/[^\\n]*|\\/\\*[\\s\\S]*?(?:\\*\\/|$)'
  const pattern = new RegExp(
    `(${comment})|("(?:[^"\\\\\\n]|\\\\.)*"?|'(?:[^'\\\\\\n]|\\\\.)*'?|\`(?:[^\`\\\\]|\\\\.)*\`?)|(\\b\\d[\\d_]*(?:\\.\\d+)?\\b)|([A-Za-z_][\\w]*)`,
    'g'
  )
  const tokens: CodeToken[] = []
  let last = 0
  const push = (kind: CodeTokenKind, text: string): void => {
    const previous = tokens[tokens.length - 1]
    if (previous && previous.kind === kind) tokens[tokens.length - 1] = { kind, text: previous.text + text }
    else tokens.push({ kind, text })
  }
  for (const match of code.matchAll(pattern)) {
    const index = match.index ?? 0
    if (index > last) push('plain', code.slice(last, index))
    const [text, isComment, isString, isNumber, word] = match
    if (isComment) push('comment', text)
    else if (isString) push('string', text)
    else if (isNumber) push('number', text)
    else push(word && KEYWORDS.has(language === 'sql' ? word.toLowerCase() : word) ? 'keyword' : 'plain', text)
    last = index + text.length
  }
  if (last < code.length) push('plain', code.slice(last))
  return tokens
}
