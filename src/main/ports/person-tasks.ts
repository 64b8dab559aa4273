/**
 * Assignees that name a person's role, not an expert a model answers as.
 * The worker never claims their tasks: the predictive monitor's SRE task is
 * evidence for the owner about the queue itself, and a model "answering" it
 * marked it Completed while the queue was still at risk. Such a task stays
 * pending until a person or the monitor that filed it closes it.
 */
/** The on-call role the predictive monitor's task goes to. */
export const SRE_ROLE = 'SRE'
export const PERSON_ROLES = [SRE_ROLE] as const

export function isForPerson(assignee: string | null): boolean {
  return assignee !== null && (PERSON_ROLES as readonly string[]).includes(assignee)
}

/** The SQL condition on a `tasks` row for work a model may take: in the claim's own query, so a person's task never takes a model's place in the candidates read. */
export const FOR_MODEL_SQL = `(assignee_expert IS NULL OR assignee_expert NOT IN (${PERSON_ROLES.map((role) => `'${role}'`).join(', ')}))`
