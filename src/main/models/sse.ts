/** Splits a server-sent-events byte stream into the `data:` payload of each event. */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder()
  let buffer = ''
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      buffer += decoder.decode(value, { stream: true })
      for (let end = eventEnd(buffer); end; end = eventEnd(buffer)) {
        const data = dataOf(buffer.slice(0, end.at))
        buffer = buffer.slice(end.at + end.length)
        if (data !== null) yield data
      }
    }
    buffer += decoder.decode()
    const data = dataOf(buffer)
    if (data !== null) yield data
  } finally {
    reader.releaseLock()
  }
}

function eventEnd(buffer: string): { at: number; length: number } | null {
  const m = /\r?\n\r?\n/.exec(buffer)
  return m ? { at: m.index, length: m[0].length } : null
}

function dataOf(event: string): string | null {
  const lines = event.split(/\r?\n/).filter((l) => l.startsWith('data:'))
  if (lines.length === 0) return null
  return lines.map((l) => l.slice(5).replace(/^ /, '')).join('\n')
}
