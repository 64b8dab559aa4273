export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 }

export type LogFields = Readonly<Record<string, unknown>>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  /** A logger whose lines all carry these fields, e.g. { correlation_id }. */
  child(fields: LogFields): Logger
}

export interface LogSink {
  write(line: string): void
}

export interface LoggerControl {
  readonly logger: Logger
  setLevel(level: LogLevel): void
}

/** JSON lines: one object per line, ISO-8601 UTC timestamp first, so the file greps and parses alike. */
export function createLogger(sink: LogSink, level: LogLevel, now: () => Date = () => new Date()): LoggerControl {
  let threshold = RANK[level]
  const make = (base: LogFields): Logger => {
    const emit = (lvl: LogLevel, msg: string, fields?: LogFields): void => {
      if (RANK[lvl] < threshold) return
      // Logging never throws into the code that logs: a field that cannot be serialized (a cycle) costs its fields, not the line.
      let line: string
      try {
        line = JSON.stringify({ ts: now().toISOString(), level: lvl, msg, ...base, ...fields }, replaceErrors)
      } catch (error) {
        line = JSON.stringify({
          ts: now().toISOString(),
          level: lvl,
          msg,
          ...base,
          unserializable: (error as Error).message
        })
      }
      sink.write(`${line}\n`)
    }
    return {
      debug: (msg, fields) => emit('debug', msg, fields),
      info: (msg, fields) => emit('info', msg, fields),
      warn: (msg, fields) => emit('warn', msg, fields),
      error: (msg, fields) => emit('error', msg, fields),
      child: (fields) => make({ ...base, ...fields })
    }
  }
  return { logger: make({}), setLevel: (next) => void (threshold = RANK[next]) }
}

function replaceErrors(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack }
  if (typeof value === 'bigint') return value.toString()
  return value
}
