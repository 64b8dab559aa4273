/**
 * Markdown as the words a reader sees, for titles and search snippets: links and images become
 * their text (a badge `[![build](…svg)](…)` its alt text), emphasis, inline code, headings, quotes,
 * fences and HTML tags lose their marks. Only Markdown's own constructs are touched, so code
 * (`a * b`, `snake_case`, `Array<string>`) reads as it was written.
 */
export function markdownToPlain(text: string): string {
  return text
    .replace(/^[ \t]*(?:```|~~~).*$/gm, '')
    .replace(/^[ \t]*\[[^\]\n]+\]:[ \t]+\S+.*$/gm, '')
    .replace(/^(?=[^\n]*\|)(?=[^\n]*-)[ \t|:-]+$/gm, '')
    .replace(/^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$/gm, '')
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+/gm, '')
    .replace(/^[ \t]*(?:>[ \t]?)+/gm, '')
    .replace(
      /<\/?(?:a|img|p|div|span|br|hr|h[1-6]|b|i|em|strong|code|pre|sup|sub|details|summary|picture|source|table|thead|tbody|tr|td|th|ul|ol|li|kbd)\b[^<>]*>/gi,
      ' '
    )
    .replace(/!\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+"[^"\n]*")?\)/g, '$1')
    .replace(/\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+"[^"\n]*")?\)/g, '$1')
    .replace(/\[([^\]\n]+)\]\[[^\]\n]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)([^\n]*?\S)\1/g, '$2')
    .replace(/~~(?=\S)([^\n]*?\S)~~/g, '$1')
    .replace(/(?<![\p{L}\p{N}*])\*(?=\S)([^*\n]*?\S)\*(?![\p{L}\p{N}*])/gu, '$1')
    .replace(/(?<![\p{L}\p{N}_])_(?=\S)([^_\n]*?\S)_(?![\p{L}\p{N}_])/gu, '$1')
}

/**
 * A heading as a title: like markdownToPlain, but images (badges) go entirely. In running text a
 * badge's alt text is a word a reader sees; in a title, "Backups build" reads as part of the name.
 */
export function markdownTitle(text: string): string {
  const withoutImages = text.replace(/!\[[^\]\n]*\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+"[^"\n]*")?\)/g, '')
  return markdownToPlain(withoutImages).replace(/\s+/g, ' ').trim()
}
