import { describe, expect, it } from 'vitest'
import { createBoardStore } from '../board/board-store'
import { createChatStore } from '../chat/chat-store'
import { createKnowledgeStore } from '../knowledge/knowledge-store'
import { migratedDb } from '../tasks/testing/test-engine'
import { useTempDirs } from '../test-support/temp-dir'

/** A clock that stays on each millisecond for a while, so rows share times and the tie-break decides their order. */
function steppingClock() {
  let calls = 0
  const start = Date.parse('2026-03-01T00:00:00Z')
  return { now: () => new Date(start + Math.floor(calls++ / 3)) }
}

interface Pager {
  add(n: number): string
  page(cursor: string | undefined): { ids: string[]; nextCursor: string | null }
}

/** Walks every page of 2 while rows are added after each page: the walk returns the rows there at its start, once each, in the order of a one-page read. */
function walkWhileAdding(pager: Pager, all: () => string[]): void {
  for (let i = 0; i < 7; i++) pager.add(i)
  const before = all()
  const seen: string[] = []
  let cursor: string | undefined
  let added = 100
  for (;;) {
    const { ids, nextCursor } = pager.page(cursor)
    seen.push(...ids)
    pager.add(added++)
    if (nextCursor === null) break
    cursor = nextCursor
  }
  expect(seen).toEqual(before)
  expect(before).toHaveLength(7)
}

describe('paged lists of knowledge documents, chat sessions and board decisions', () => {
  const tempDir = useTempDirs()

  it('pages knowledge documents, most recently changed first', () => {
    const store = createKnowledgeStore(migratedDb(tempDir()), steppingClock())
    walkWhileAdding(
      {
        add: (n) =>
          store.insert({ title: `doc ${n}`, content: `content ${n}`, domain: null, source: null }, [
            { text: `content ${n}`, tokens: 2 }
          ]).id,
        page: (cursor) => {
          const { nodes, nextCursor } = store.list({ limit: 2, ...(cursor ? { cursor } : {}) })
          return { ids: nodes.map((n) => n.id), nextCursor }
        }
      },
      () => store.list({ limit: 1000 }).nodes.map((n) => n.id)
    )
  })

  it('pages chat sessions, most recently active first', () => {
    const store = createChatStore(migratedDb(tempDir()), steppingClock().now)
    walkWhileAdding(
      {
        add: (n) => store.createSession(`session ${n}`).id,
        page: (cursor) => {
          const { sessions, nextCursor } = store.listSessions({ limit: 2, ...(cursor ? { cursor } : {}) })
          return { ids: sessions.map((s) => s.id), nextCursor }
        }
      },
      () => store.listSessions({ limit: 1000 }).sessions.map((s) => s.id)
    )
  })

  it('pages board decisions, newest first', () => {
    const store = createBoardStore(migratedDb(tempDir()), steppingClock().now)
    walkWhileAdding(
      {
        add: (n) =>
          store.insert({
            question: `Question ${n}?`,
            decision: 'Go ahead.',
            outcome: 'approved',
            source: 'manual',
            sessionId: null,
            messageId: null,
            taskId: null,
            rationale: 'Because.',
            risks: [],
            positions: [],
            chairName: 'Chair',
            userId: 'tester',
            correlationId: `c${n}`
          }).id,
        page: (cursor) => {
          const { decisions, nextCursor } = store.list({ limit: 2, ...(cursor ? { cursor } : {}) })
          return { ids: decisions.map((d) => d.id), nextCursor }
        }
      },
      () => store.list({ limit: 1000 }).decisions.map((d) => d.id)
    )
  })
})
