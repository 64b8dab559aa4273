/**
 * Text as it is stored: Unicode NFC (so "й" typed two ways is one word to
 * the full-text index), Windows line ends as \n, and no control characters
 * but tab and newline (NUL and friends break FTS snippets and terminals).
 */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
}

/** A query as it is searched: control characters (NUL included) separate words rather than join them. */
export function cleanQuery(query: string): string {
  return cleanText(query.replace(/[\u0000-\u001f\u007f]/g, ' '))
}
