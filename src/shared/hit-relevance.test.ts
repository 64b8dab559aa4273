import { describe, expect, it } from 'vitest'
import type { SearchHit } from './contract/knowledge-contract'
import { hitRelevance } from './hit-relevance'

const hit = (lexical: SearchHit['lexical'], vector: SearchHit['vector']): SearchHit => ({
  node: {
    id: 'n',
    title: 'T',
    domain: null,
    source: null,
    confidenceScore: 1,
    usageCount: 0,
    chunkCount: 1,
    chars: 10,
    createdAt: '',
    updatedAt: ''
  },
  chunkOrdinal: 0,
  score: 0.0164,
  lexical,
  vector,
  snippet: []
})

describe('a search hit’s relevance in words', () => {
  it('says how a hit matches instead of a bare fused score, keeping the figures for a tooltip', () => {
    const byWords = hitRelevance(hit({ rank: 1, bm25: 3.214 }, null))
    expect(byWords).toEqual({
      level: 'good',
      label: 'Has your words',
      detail: 'words: #1 (bm25 3.21) · meaning: not found · fused score 0.0164'
    })
    expect(byWords.label).not.toMatch(/\d/)
    expect(hitRelevance(hit({ rank: 2, bm25: 1 }, { rank: 1, similarity: 0.8 })).level).toBe('strong')
    expect(hitRelevance(hit(null, { rank: 1, similarity: 0.9 })).label).toBe('Close in meaning')
    expect(hitRelevance(hit(null, { rank: 3, similarity: 0.72 }))).toMatchObject({
      level: 'related',
      label: 'Related in meaning'
    })
  })
})
