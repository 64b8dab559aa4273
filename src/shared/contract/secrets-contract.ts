import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'

export const SecretNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._:-]{0,99}$/i, 'A key name is 1–100 letters, digits and . _ : - (e.g. "node:lan-vllm").')

export const SecretsStateSchema = z.strictObject({
  /** Where keys are kept, e.g. "macOS Keychain"; null when this host cannot keep keys safely. */
  store: z.string().nullable(),
  /** Why keys cannot be stored here, when they cannot. */
  unavailableReason: z.string().nullable(),
  /** Names only: a stored key never travels back to a window. */
  names: z.array(z.strictObject({ name: z.string(), updatedAt: z.iso.datetime() }))
})

export const SECRETS_CALLS = {
  'secrets.list': call({
    scope: 'read',
    summary: 'The names of the stored API keys and where they are kept; never the keys.',
    input: EmptyInputSchema,
    output: SecretsStateSchema
  }),
  'secrets.set': call({
    scope: 'write',
    summary: 'Store an API key, encrypted by the OS keychain.',
    input: z.strictObject({ name: SecretNameSchema, value: z.string().min(1, 'The key is empty.').max(8192) }),
    output: SecretsStateSchema
  }),
  'secrets.delete': call({
    scope: 'write',
    summary: 'Forget an API key.',
    input: z.strictObject({ name: SecretNameSchema }),
    output: SecretsStateSchema
  })
} as const
