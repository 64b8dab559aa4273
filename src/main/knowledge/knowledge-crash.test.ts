import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import type { Db } from '../db/database'
import { useTempDirs } from '../test-support/temp-dir'
import { until } from '../tasks/testing/test-engine'
import { fineBlocksDisagree } from './test-support/fine-blocks'
import { conceptEmbedder, knowledgeKit, testDb } from './test-support/test-kit'

const REPO = resolve(__dirname, '..', '..', '..')
const JITI = join(REPO, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs')
const CHILD = join(__dirname, 'test-support', 'crash-child.ts')
const FILES = 300

// Every child started, so a failing test does not leave one running after it.
const children = new Set<ChildProcess>()

/** Starts the child; resolves once it says it is at work. `finished` waits for it to end and gives its last line. */
async function startChild(args: string[]): Promise<{ child: ChildProcess; finished: () => Promise<string> }> {
  const child = spawn(process.execPath, [JITI, CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  child.once('exit', () => children.delete(child))
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const lines: string[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line))
  const exited = new Promise<number | null>((done) => child.once('exit', done))
  await until(() => lines.includes('started') || child.exitCode !== null, 'the child to start', 60_000)
  if (!lines.includes('started')) throw new Error(`child exited with ${child.exitCode}: ${stderr}`)
  const finished = async (): Promise<string> => {
    const code = await exited
    if (code !== 0) throw new Error(`child exited with ${code}: ${stderr}`)
    return lines.at(-1) ?? ''
  }
  return { child, finished }
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done()
    child.once('exit', () => done())
    child.kill('SIGKILL')
  })
}

/** Notes with a few chunks each, every one different, so counts tell duplicates apart. */
function writeCorpus(folder: string): void {
  mkdirSync(folder, { recursive: true })
  for (let i = 0; i < FILES; i++) {
    const paragraphs = Array.from({ length: 6 }, (_, p) =>
      `Paragraph ${p} of note ${i}: the quarterly backup rotation for site ${i % 17} moves tape ${i * 7 + p} offsite. `.repeat(
        8
      )
    )
    writeFileSync(join(folder, `note-${String(i).padStart(4, '0')}.md`), `# Note ${i}\n\n${paragraphs.join('\n\n')}\n`)
  }
}

const count = (db: Db, sql: string): number => (db.prepare(sql).get() as { n: number }).n

describe('the knowledge base killed with -9', () => {
  const tempDir = useTempDirs()
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL')
  })

  it('mid-import: a second import resumes, reports what the first left undone, and duplicates nothing', async () => {
    const corpus = join(tempDir(), 'notes')
    writeCorpus(corpus)
    const clean = knowledgeKit(tempDir())
    await clean.knowledge.service.importFolder({ path: corpus })
    const cleanChunks = count(clean.db, 'SELECT count(*) AS n FROM knowledge_chunks')
    await clean.knowledge.stop?.()
    clean.db.close()

    const dir = tempDir()
    const db = testDb(dir)
    const first = await startChild([dir, 'import', corpus])
    await until(
      () => count(db, 'SELECT count(*) AS n FROM knowledge_nodes') >= FILES / 4,
      'a quarter of the files imported',
      60_000
    )
    await kill9(first.child)
    const before = count(db, 'SELECT count(*) AS n FROM knowledge_nodes')
    expect(before).toBeGreaterThan(0)
    expect(before).toBeLessThan(FILES)

    const second = await startChild([dir, 'import', corpus])
    const report = JSON.parse(await second.finished()) as {
      added: number
      updated: number
      unchanged: number
      skipped: unknown[]
    }
    expect(report).toMatchObject({ added: FILES - before, updated: 0, unchanged: before, skipped: [] })
    expect(count(db, 'SELECT count(*) AS n FROM knowledge_nodes')).toBe(FILES)
    expect(count(db, 'SELECT count(*) AS n FROM knowledge_chunks')).toBe(cleanChunks)
    expect(
      count(db, 'SELECT count(*) AS n FROM (SELECT source FROM knowledge_nodes GROUP BY source HAVING count(*) > 1)')
    ).toBe(0)
    // Every chunk is in the full-text index once: the index and the chunks agree.
    expect(() =>
      db.prepare("INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts, rank) VALUES ('integrity-check', 1)").run()
    ).not.toThrow()
    db.close()
  }, 180_000)

  it('mid-re-embed: the next start resumes the building collection and swaps it in whole, nothing duplicated', async () => {
    const corpus = join(tempDir(), 'notes')
    writeCorpus(corpus)
    const dir = tempDir()
    const kit = knowledgeKit(dir, { embedder: conceptEmbedder() })
    await kit.knowledge.service.importFolder({ path: corpus })
    await until(() => kit.knowledge.worker?.status().state === 'idle', 'the first embedding to finish', 120_000)
    await kit.knowledge.stop?.()
    const chunks = count(kit.db, 'SELECT count(*) AS n FROM knowledge_chunks')
    kit.db.close()

    const db = testDb(dir)
    const building = (): { vec_table: string } | undefined =>
      db.prepare("SELECT vec_table FROM knowledge_collections WHERE state = 'building'").get() as
        { vec_table: string } | undefined
    const first = await startChild([dir, 'reembed'])
    await until(
      () => {
        const table = building()
        return table !== undefined && count(db, `SELECT count(*) AS n FROM ${table.vec_table}`) >= chunks / 4
      },
      'a quarter of the chunks re-embedded',
      120_000
    )
    await kill9(first.child)
    const table = building()!.vec_table
    const done = count(db, `SELECT count(*) AS n FROM ${table}`)
    expect(done).toBeLessThan(chunks)
    // Search still uses the old model's whole collection meanwhile.
    expect(
      count(db, "SELECT count(*) AS n FROM knowledge_collections WHERE state = 'active' AND model_id = 'test:concepts'")
    ).toBe(1)

    const second = await startChild([dir, 'resume'])
    expect(JSON.parse(await second.finished())).toMatchObject({
      state: 'idle',
      model: { id: 'test:concepts-second', dimension: 32 }
    })
    const collections = db.prepare('SELECT model_id, state, vec_table FROM knowledge_collections').all()
    expect(collections).toEqual([{ model_id: 'test:concepts-second', state: 'active', vec_table: table }])
    expect(count(db, `SELECT count(*) AS n FROM ${table}`)).toBe(chunks)
    expect(count(db, `SELECT count(DISTINCT chunk_id) AS n FROM ${table}`)).toBe(chunks)
    // The fine codes written in the killed process's transactions describe exactly the vectors that survived.
    expect(count(db, `SELECT count(*) AS n FROM ${table}_fine`)).toBeGreaterThan(0)
    expect(fineBlocksDisagree(db, table, 32)).toBeNull()
    expect(
      count(
        db,
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name LIKE 'knowledge_vec_%' AND name NOT LIKE '%_codes' AND name NOT LIKE '%_gone' AND name NOT LIKE '%_centroids' AND name NOT LIKE '%_fine'"
      )
    ).toBe(1)
    db.close()
  }, 240_000)
})
