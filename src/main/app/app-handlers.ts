import type { AppInfo, Session } from '../../shared/contract/app-contract'
import { READ_ONLY_WORK_SHARE } from '../../shared/contract/limits'
import type { CallContext } from '../rpc/handler-types'
import type { HandlersFor } from '../rpc/handler-types'
import type { SystemResume } from './system-resume'

/** Only the headless host's edge rate-limits work-starting calls; the desktop window and in-process callers go unlimited. */
const GATED_TRANSPORTS: ReadonlySet<CallContext['transport']> = new Set(['ws', 'http'])

/** The caller's session as the dispatcher saw it, so a window can show what it may do before anyone clicks. */
export function describeSession(ctx: Pick<CallContext, 'scopes' | 'transport'>, workPerMinute: number): Session {
  const full = ctx.scopes.has('write')
  return {
    access: full ? 'full' : 'readOnly',
    scopes: [...ctx.scopes].sort(),
    workPerMinute: GATED_TRANSPORTS.has(ctx.transport)
      ? full
        ? workPerMinute
        : workPerMinute * READ_ONLY_WORK_SHARE
      : null
  }
}

export function appHandlers(info: () => AppInfo, workPerMinute: () => number): HandlersFor<'app'> {
  return {
    'app.info': () => info(),
    'app.session': (_input, ctx) => describeSession(ctx, workPerMinute())
  }
}

export function systemHandlers(resume: SystemResume): HandlersFor<'system'> {
  return {
    'system.resume': () => resume.run('manual')
  }
}
