// Where bench:router's time goes besides the code under test, per request: how long the bench's
// thread and the fake server's thread were ready to run but waited for a CPU (the run queue), and
// how much CPU time the bench's own thread spent.
//
// Measured (session 7, 2 cores shared with other benches): every request whose first token took
// over 3 ms had more than 0.5 ms of run-queue wait inside its first-token window, in the bench, the
// fake server or both; with both processes at a real-time priority the waits (and the A/A floor's
// tail) mostly went away. A wall-clock difference of two requests therefore carries the machine's
// scheduling; the CPU time a thread spends does not, so the bench reports both. The main thread's
// own time, not the process's: the collector's background threads would add their work wherever it
// happens to run (a concurrent marking put 4 ms into the A/A floor's p99).
import { closeSync, openSync, readSync } from 'node:fs'

export interface ThreadTimes {
  /** Run-queue wait so far, summed over the watched threads, ms. */
  readonly waitedMs: number
  /** CPU time so far of the first watched thread (the bench's main thread), ms. */
  readonly cpuMs: number
}

export interface ThreadClock {
  /** Whether the kernel exposes per-thread scheduler statistics (Linux with schedstats). */
  readonly available: boolean
  read(): ThreadTimes
  close(): void
}

/** Watches the main thread of each process (its thread id is its pid), the bench's own first. */
export function watchThreads(pids: readonly number[]): ThreadClock {
  const fds: number[] = []
  try {
    for (const pid of pids) fds.push(openSync(`/proc/${pid}/task/${pid}/schedstat`, 'r'))
  } catch {
    fds.forEach((fd) => closeSync(fd))
    // Without them: no waits, and the whole process's CPU time (every thread's).
    return {
      available: false,
      read: () => ({ waitedMs: 0, cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000 }),
      close: () => undefined
    }
  }
  const buffer = Buffer.alloc(128)
  // "<ns on a CPU> <ns waiting on a run queue> <time slices>"; read again from offset 0 the kernel
  // writes it afresh, so one open file per thread serves the whole run.
  const fields = (fd: number): string[] =>
    buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, 0)).split(' ')
  return {
    available: true,
    read() {
      let waitedNs = 0
      let cpuNs = NaN
      for (const fd of fds) {
        const [onCpu = 'NaN', waiting = 'NaN'] = fields(fd)
        if (Number.isNaN(cpuNs)) cpuNs = Number(onCpu)
        waitedNs += Number(waiting)
      }
      return { waitedMs: waitedNs / 1e6, cpuMs: cpuNs / 1e6 }
    },
    close: () => fds.splice(0).forEach((fd) => closeSync(fd))
  }
}
