import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { builtinWorkflowFiles } from './builtin-workflows'
import { loadDefinitions, parseDefinition } from './definition-loader'

const tempDir = useTempDirs()
const builtins = builtinWorkflowFiles()

describe('workflow definitions', () => {
  it('ships three built-ins that pass their schema', () => {
    const loaded = loadDefinitions(builtins, join(tempDir(), 'none'))
    expect(loaded.problems).toEqual([])
    expect(
      loaded.workflows.map((w) => `${w.definition.id}: ${w.definition.steps.map((s) => s.name).join(' → ')}`)
    ).toEqual([
      'code-review: coder → librarian → reviewer',
      'draft-board: draft → board',
      'research-summary: research → summary → review'
    ])
    const review = loaded.workflows[0]?.definition.steps[2]
    expect(review?.review).toEqual({ verdictField: 'Verdict', reasonsField: 'Reasons', sendBackTo: 'coder' })
  })

  it('loads a person’s own file and lists each broken one with file, field, value and what to do', () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'workflows'))
    const own = JSON.parse(builtins['builtin:research-summary.json']!) as Record<string, unknown>
    writeFileSync(join(dir, 'workflows', 'mine.json'), JSON.stringify({ ...own, id: 'my-research' }))
    writeFileSync(join(dir, 'workflows', 'clash.json'), JSON.stringify(own))
    writeFileSync(join(dir, 'workflows', 'syntax.json'), '{ "id": "x", }')
    writeFileSync(
      join(dir, 'workflows', 'wrong.json'),
      JSON.stringify({
        id: 'wrong',
        title: 'Wrong one',
        description: 'Steps that read the future.',
        colour: 'blue',
        steps: [
          { name: 'a', role: 'writer', prompt: 'Write about {{input}} now.', inputs: ['b'] },
          {
            name: 'b',
            role: 'reviewer',
            prompt: 'Review it all, please.',
            package: { fields: [] },
            review: { sendBackTo: 'a' }
          }
        ]
      })
    )
    writeFileSync(join(dir, 'workflows', 'notes.txt'), 'not a workflow')
    const loaded = loadDefinitions(builtins, join(dir, 'workflows'))
    expect(loaded.workflows.filter((w) => w.origin === 'user').map((w) => w.definition.id)).toEqual(['my-research'])
    const byFile = Object.fromEntries(loaded.problems.map((p) => [p.file.split('/').at(-1), p.problems]))
    expect(byFile['clash.json']).toEqual([
      'id: "research-summary" — already used by builtin:research-summary.json. Give this workflow another id.'
    ])
    expect(byFile['syntax.json']?.[0]).toMatch(/^Not valid JSON \(.+\)\. Fix the syntax/)
    expect(byFile['wrong.json']).toEqual([
      '(the whole file): colour — Unrecognized key: "colour". Remove these fields or check their spelling.',
      'steps[0].inputs[0]: "b" — Step "a" reads "b", which is not an earlier step; list only steps above it. Change the value.',
      'steps[1].package.fields: [] — A review step needs a "Verdict" field with oneOf including "accept" and "send_back". Change the value.'
    ])
  })

  it('says which field is missing and which value is out of range', () => {
    const parsed = parseDefinition(
      JSON.stringify({
        id: 'x',
        title: 'Ok title',
        description: 'A description.',
        maxRounds: 99,
        steps: [{ name: 's', prompt: 'Do the thing well.' }]
      })
    )
    expect(parsed).toEqual({
      ok: false,
      problems: [
        'maxRounds: 99 — Too big: expected number to be <=10. Change the value.',
        'steps[0].role: nothing — Invalid input: expected string, received undefined. Add this field.'
      ]
    })
  })
})
