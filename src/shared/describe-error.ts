/** An error's message without its closing period, for quoting inside a sentence of our own (people and log lines). */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error)
  return text.replace(/\.+$/, '')
}
