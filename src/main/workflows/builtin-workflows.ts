import { basename } from 'node:path'

// Bundled at build time: the built-in workflows are read-only resources, checked like a person's own.
const files = import.meta.glob<string>('../../../resources/workflows/*.json', {
  eager: true,
  query: '?raw',
  import: 'default'
})

/** The built-in definitions' text by file name (`code-review.json`). */
export function builtinWorkflowFiles(): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [`builtin:${basename(path)}`, text]))
}
