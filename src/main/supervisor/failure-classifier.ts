/** Failures of a model server recognised from its log lines. */
export type KnownFailure = 'metal_oom' | 'runner_terminated' | 'context_alloc_failed' | 'metal_assertion'

const PATTERNS: readonly [KnownFailure, RegExp][] = [
  [
    'metal_oom',
    /kIOGPUCommandBufferCallbackErrorOutOfMemory|Insufficient Memory|out of memory|failed to allocate buffer/i
  ],
  [
    'context_alloc_failed',
    /failed to (allocate|create) (the )?context|llama_new_context_with_model: failed|failed to allocate compute/i
  ],
  ['runner_terminated', /llama runner process has terminated|llama runner process no longer running/i],
  ['metal_assertion', /GGML_ASSERT|ggml_metal.*assert|-\[MTL\w+ .*\]: failed assertion|Assertion failed/i]
]

export function classifyLine(line: string): KnownFailure | null {
  for (const [failure, pattern] of PATTERNS) if (pattern.test(line)) return failure
  return null
}

/** Failures that mean the backend had too much loaded: lower concurrency, do not restart in a loop. */
export function isMemoryFailure(failure: KnownFailure): boolean {
  return failure === 'metal_oom' || failure === 'context_alloc_failed'
}

export function describeFailure(failure: KnownFailure): string {
  switch (failure) {
    case 'metal_oom':
      return 'ran out of GPU (Metal) memory; fewer models or requests at once will fit'
    case 'context_alloc_failed':
      return 'could not allocate the model context; lower the context size or run fewer models at once'
    case 'runner_terminated':
      return 'its llama runner process terminated'
    case 'metal_assertion':
      return 'hit a Metal/GGML assertion'
  }
}
