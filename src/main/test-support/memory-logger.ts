import { createLogger, type Logger } from '../log/logger'

export interface LogRecord {
  readonly level: string
  readonly msg: string
  readonly [field: string]: unknown
}

/** A real logger writing parsed JSON lines into an array, for asserting what was logged. */
export function memoryLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = []
  const { logger } = createLogger({ write: (line) => records.push(JSON.parse(line) as LogRecord) }, 'debug')
  return { logger, records }
}
