import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'
import { TaskSchema } from './tasks-contract'

/**
 * Calls of manual review (`review.*`): what the app would try for a task it
 * could not finish, from what the core knows (the team's domains, the
 * nodes and models that answer now, the circuits that are open).
 */

export const ReviewSuggestionSchema = z.strictObject({
  taskId: z.string(),
  /** The expert of the task's domain, or the lead agent when no expert has it. */
  expert: z.strictObject({ id: z.string(), name: z.string(), why: z.string() }).nullable(),
  /** A chat model that answers now, other than the one that failed; null when none does. */
  model: z.strictObject({ node: z.string(), nodeLabel: z.string(), model: z.string(), why: z.string() }).nullable(),
  /** Why there is no model to suggest; null when there is one. */
  noModel: z.string().nullable()
})
export type ReviewSuggestion = z.infer<typeof ReviewSuggestionSchema>

/** The most tasks one call suggests for: a screen of the review list and more. */
export const REVIEW_SUGGEST_MAX = 200

/** A task in review sent back to autoprocessing with another model, expert, or both (the suggestion's, or the person's choice). */
export const ReviewReturnInputSchema = z.strictObject({
  id: z.string().min(1).max(100),
  /** A chat model a node has (models.list); its preference replaces the task's. */
  model: z.string().trim().min(1).max(200).optional(),
  /** The node to run `model` on; any node that has it when absent. */
  node: z.string().trim().min(1).max(100).optional(),
  /** An expert's id or name (chat.experts.list); the task's assignee becomes that expert. */
  expert: z.string().trim().min(1).max(100).optional()
})
export type ReviewReturnInput = z.infer<typeof ReviewReturnInputSchema>

/** What a task in review can be returned with: every chat model a node has, and the team. */
export const ReviewChoicesSchema = z.strictObject({
  models: z.array(z.strictObject({ node: z.string(), nodeLabel: z.string(), model: z.string(), up: z.boolean() })),
  experts: z.array(z.strictObject({ id: z.string(), name: z.string(), role: z.string() }))
})
export type ReviewChoices = z.infer<typeof ReviewChoicesSchema>

export const REVIEW_CALLS = {
  'review.suggest': call({
    scope: 'read',
    summary:
      'For tasks in manual review: the expert of each task’s domain and a chat model that answers now, other than the one that failed.',
    input: z.strictObject({ ids: z.array(z.string().min(1).max(100)).min(1).max(REVIEW_SUGGEST_MAX) }),
    output: z.array(ReviewSuggestionSchema)
  }),
  'review.choices': call({
    scope: 'read',
    summary:
      'What a task in review can be returned with (review.return): the chat models of every node, whether the node is up, and the experts.',
    input: EmptyInputSchema,
    output: ReviewChoicesSchema
  }),
  'review.return': call({
    scope: 'write',
    summary:
      'Returns one task in manual review to autoprocessing with another model and/or expert (e.g. the suggested ones), in the same write as the return; an unknown model, node or expert is refused by name.',
    input: ReviewReturnInputSchema,
    output: TaskSchema
  })
} as const
