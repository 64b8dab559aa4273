import type { Session } from '../../../../shared/contract/app-contract'
import type { KosClient } from '../../../../shared/contract/client'
import { CALLS, isCallName, type CallName } from '../../../../shared/contract/contract'
import { WORK_STARTING_CALLS } from '../../../../shared/contract/limits'
import type { RpcError } from '../../../../shared/contract/rpc-error'

/** The element every disabled write control points its aria-describedby at (rendered once by the shell). */
export const READ_ONLY_REASON_ID = 'read-only-reason'

/** What the badge and the shared description say: what read-only means and how to get full access. */
export const READ_ONLY_EXPLANATION =
  'This window is read-only: you can look at everything, but not change anything or start work. For full access, open the full-access URL `kos serve` printed (the line "Open: …"), not the one marked "Read-only access".'

/** What each write call does, in the words a person uses, so a refusal names the thing they tried. */
const ACTIONS: Readonly<Partial<Record<CallName, string>>> = {
  'system.resume': 'running the wake-from-sleep check',
  'config.set': 'saving a setting',
  'config.setMany': 'saving settings',
  'config.reset': 'resetting a setting',
  'tasks.create': 'creating a task',
  'tasks.pause': 'pausing the worker',
  'tasks.resume': 'resuming the worker',
  'tasks.cancel': 'cancelling a task',
  'tasks.requeue': 'returning a task to the queue',
  'review.return': 'returning a task with another model or expert',
  'models.addNode': 'adding a model server',
  'models.removeNode': 'removing a model server',
  'models.setPreference': 'choosing a model',
  'models.setNodeLimit': 'changing a model server’s limits',
  'models.pull': 'downloading a model',
  'models.chat': 'testing a model',
  'supervisor.start': 'starting a model server',
  'supervisor.stop': 'stopping a model server',
  'supervisor.restart': 'restarting a model server',
  'knowledge.addText': 'adding a note to the knowledge base',
  'knowledge.importFolder': 'importing a folder',
  'knowledge.delete': 'deleting a document',
  'knowledge.reembed': 're-embedding the knowledge base',
  'knowledge.rebuildIndex': 'rebuilding the search index',
  'knowledge.clearResponseCache': 'clearing the answer cache',
  'chat.experts.update': 'changing an expert',
  'chat.experts.reset': 'resetting an expert',
  'chat.sessions.create': 'starting a conversation',
  'chat.sessions.rename': 'renaming a conversation',
  'chat.sessions.delete': 'deleting a conversation',
  'chat.send': 'sending a message',
  'chat.stop': 'stopping an answer',
  'chat.retry': 'retrying an answer',
  'chat.toTask': 'making a task from an answer',
  'board.consult': 'asking the board',
  'checklist.fix': 'applying a fix',
  'checklist.run': 'running the checks',
  'models.scan': 'scanning the model servers',
  'notify.test': 'sending a test notification',
  'workflows.run': 'running a workflow',
  'secrets.set': 'saving an API key',
  'secrets.delete': 'deleting an API key'
}

/** The words for what a call does; a call without its own words is "this change". */
export function actionWords(call: CallName): string {
  return ACTIONS[call] ?? 'this change'
}

/**
 * Why this session may not make `call`, or null when it may. The scope comes
 * from the contract, so a control is disabled for exactly the calls the core
 * would refuse. Before the session is known nothing is blocked: the core
 * still refuses, and the desktop window (always full) never flickers.
 */
export function writeBlockReason(session: Session | null, call: CallName): string | null {
  if (!session) return null
  // A read-only window starts no work, not even the read calls that do (the core still lets a dashboard token make
  // them at a quarter of the rate): a live "Run all checks" beside disabled writes reads as a bug.
  const startsWork = session.access === 'readOnly' && WORK_STARTING_CALLS.has(call)
  if (session.scopes.includes(CALLS[call].scope) && !startsWork) return null
  return `Read-only window: ${actionWords(call)} needs the full-access link.`
}

/**
 * A refusal as the person should read it. A read-only refusal names what they
 * tried and what to open instead; a rate limit says when to try again; anything
 * else keeps the core's own message, which already names the thing and the fix.
 */
export function plainRefusal(error: RpcError): string {
  const call = error.call !== undefined && isCallName(error.call) ? error.call : null
  if (error.code === 'forbidden') {
    return `This window is read-only: ${call ? actionWords(call) : 'this change'} needs the full-access link (the first URL \`kos serve\` printed).`
  }
  if (error.code === 'rate_limited' && call && WORK_STARTING_CALLS.has(call)) {
    const seconds = error.retryAfterMs !== undefined ? Math.max(1, Math.ceil(error.retryAfterMs / 1000)) : null
    return `This was asked for too often from this window${seconds ? `: try again in ${seconds} s` : ': try again in a minute'}.`
  }
  return error.message
}

const PLAIN_CODES: ReadonlySet<string> = new Set(['forbidden', 'rate_limited'])

/**
 * The client every view model gets: refusals a person can meet in a read-only
 * window (a forbidden write, a work-starting call over its rate) carry plain
 * words, whichever view shows them; everything else passes through untouched.
 */
export function withPlainRefusals(client: KosClient): KosClient {
  return {
    ...client,
    call: async (name, input) => {
      const result = await client.call(name, input)
      if (result.ok || !PLAIN_CODES.has(result.error.code)) return result
      return {
        ok: false,
        error: {
          ...result.error,
          call: result.error.call ?? name,
          message: plainRefusal({ ...result.error, call: result.error.call ?? name })
        }
      }
    }
  }
}
