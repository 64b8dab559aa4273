import { basename } from 'node:path'

/** The built-in definitions' text by file name (`builtin:code-review.json`), bundled at build time and checked like a person's own. */
export function builtinWorkflowFiles(): Record<string, string> {
  // Inside the function so a process started without Vite (jiti, the crash test's child) can import this module and pass its own.
  const files = import.meta.glob<string>('../../../resources/workflows/*.json', {
    eager: true,
    query: '?raw',
    import: 'default'
  })
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [`builtin:${basename(path)}`, text]))
}
