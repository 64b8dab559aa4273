/**
 * A port for a fake model server whose URL the host must know before the test starts, so it cannot be the
 * port 0 a listener is given. Below 32768 it lies outside the ports Linux (32768–60999) and macOS
 * (49152–65535) hand out to outgoing connections and to listeners on port 0: drawn inside them, the
 * app's own connections or another test's host could hold it first (CI failed with EADDRINUSE so).
 * Each parallel worker draws from a thousand of its own, so two spec files running at once never meet.
 */
export function fakeServerPort(): number {
  const worker = Number(process.env.TEST_PARALLEL_INDEX ?? 0) % 12
  return 20_000 + worker * 1_000 + Math.floor(Math.random() * 1_000)
}
