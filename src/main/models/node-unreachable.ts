/**
 * Why a node is down, said once: a connection error already names the server and its address ("Ollama at
 * http://… is unreachable (ECONNREFUSED)"), so only what follows the address is kept after the node's own name.
 */
export function unreachable(label: string, url: string, error: string | null): string {
  const at = error?.indexOf(url) ?? -1
  if (error === null || at < 0) return `${label} (${url}) is unreachable: ${error ?? 'no answer'}`
  const rest = error
    .slice(at + url.length)
    .replace(/^[\s:]+/, '')
    .trim()
  if (rest === '') return `${label} (${url}) is unreachable`
  return rest.startsWith('is unreachable') ? `${label} (${url}) ${rest}` : `${label} (${url}) is unreachable: ${rest}`
}
