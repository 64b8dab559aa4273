import type { InstanceOwner } from '../db/instance-lock'

/** Why the core could not start, each with a message a person can act on. */
export type StartupError =
  | { readonly kind: 'data_dir_unusable'; readonly message: string }
  | { readonly kind: 'instance_locked'; readonly message: string; readonly owner: InstanceOwner | null }
  | { readonly kind: 'config_invalid'; readonly message: string; readonly problems: readonly string[] }
  | { readonly kind: 'db_too_new'; readonly message: string }
  | { readonly kind: 'db_unusable'; readonly message: string }

/** Exit codes of the CLI and the headless host for each reason. */
export const STARTUP_EXIT_CODE: Readonly<Record<StartupError['kind'], number>> = {
  data_dir_unusable: 73,
  instance_locked: 75,
  config_invalid: 78,
  db_too_new: 65,
  db_unusable: 74
}
