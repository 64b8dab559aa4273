import { describe, expect, it } from 'vitest'
import { RpcFailure } from '../../shared/contract/rpc-error'
import { Refusal } from '../rpc/refusal'
import { builtInExperts, parseExpertFile } from './expert-file'
import { chatHarness } from './testing/chat-harness'

describe('chat sessions', () => {
  it('creates, lists, searches, renames, exports and deletes sessions', async () => {
    const h = chatHarness({ script: () => ({ tokens: ['Use ', '`git rebase`.'] }) })
    const empty = await h.handlers['chat.sessions.create']({}, h.ctx('c'))
    expect(empty).toMatchObject({ title: 'New conversation', messageCount: 0, preview: '' })
    const { session } = await h.handlers['chat.send'](
      { text: 'How do I squash commits?', priority: 'normal' },
      h.ctx('c')
    )
    await h.chat.pipeline.idle()
    expect(session.title).toBe('How do I squash commits?')

    const listed = await h.handlers['chat.sessions.list']({ limit: 200 }, h.ctx('c'))
    expect(listed.sessions.map((s) => s.id)).toEqual([session.id, empty.id])
    expect(listed.sessions[0]).toMatchObject({ messageCount: 2, preview: 'Use `git rebase`.' })
    expect(
      (await h.handlers['chat.sessions.list']({ query: 'rebase', limit: 200 }, h.ctx('c'))).sessions.map((s) => s.id)
    ).toEqual([session.id])
    expect((await h.handlers['chat.sessions.list']({ query: '100%', limit: 200 }, h.ctx('c'))).sessions).toEqual([])

    const renamed = await h.handlers['chat.sessions.rename']({ id: session.id, title: 'Git help' }, h.ctx('c'))
    expect(renamed.title).toBe('Git help')
    const exported = await h.handlers['chat.sessions.export']({ id: session.id }, h.ctx('c'))
    expect(exported.fileName).toMatch(/^git-help-\d{4}-\d{2}-\d{2}\.md$/)
    expect(exported.markdown).toContain('# Git help')
    expect(exported.markdown).toContain('## You ·')
    expect(exported.markdown).toMatch(/## Victoria · .* · scripted:7b on ollama-local, \d+\.\d s, \d+ → \d+ tokens/)

    await h.handlers['chat.sessions.delete']({ id: session.id }, h.ctx('c'))
    expect((await h.handlers['chat.sessions.list']({ limit: 200 }, h.ctx('c'))).sessions.map((s) => s.id)).toEqual([
      empty.id
    ])
    await expect(h.handlers['chat.sessions.get']({ id: session.id }, h.ctx('c'))).rejects.toThrow(/no chat session/)
    const usage = await h.handlers['chat.usage']({ days: 1 }, h.ctx('c'))
    expect(usage.bySession[0]).toMatchObject({ key: session.id, label: 'Deleted session', requests: 1 })
  })

  it('titles a session started with "New conversation" after its first question, but keeps a title chosen before it', async () => {
    const h = chatHarness({ script: () => ({ tokens: ['Sure.'] }) })
    const untitled = await h.handlers['chat.sessions.create']({}, h.ctx('c'))
    const sent = await h.handlers['chat.send'](
      {
        sessionId: untitled.id,
        text: 'How do I   rotate\nthe nightly backups on the NAS without losing the last week of copies?',
        priority: 'normal'
      },
      h.ctx('c')
    )
    await h.chat.pipeline.idle()
    expect(sent.session.title).toBe('How do I rotate the nightly backups on the NAS without…')
    await h.handlers['chat.send']({ sessionId: untitled.id, text: 'And weekly ones?', priority: 'normal' }, h.ctx('c'))
    await h.chat.pipeline.idle()
    expect((await h.handlers['chat.sessions.get']({ id: untitled.id }, h.ctx('c'))).session.title).toBe(
      sent.session.title
    )

    const named = await h.handlers['chat.sessions.create']({}, h.ctx('c'))
    await h.handlers['chat.sessions.rename']({ id: named.id, title: 'Backups' }, h.ctx('c'))
    const kept = await h.handlers['chat.send'](
      { sessionId: named.id, text: 'Where are they?', priority: 'normal' },
      h.ctx('c')
    )
    expect(kept.session.title).toBe('Backups')
    await h.chat.pipeline.idle()
  })

  it('refuses to make a task without a task engine, and to rename a session that does not exist', async () => {
    const h = chatHarness()
    const { userMessage } = await h.handlers['chat.send']({ text: 'Write a report', priority: 'normal' }, h.ctx('c'))
    await h.chat.pipeline.idle()
    await expect(h.handlers['chat.toTask']({ messageId: userMessage.id }, h.ctx('c'))).rejects.toThrow(
      /task engine is not connected/
    )
    await expect(h.handlers['chat.sessions.rename']({ id: 'nope', title: 'x' }, h.ctx('c'))).rejects.toThrow(RpcFailure)
  })
})

describe('experts', () => {
  it('loads the built-in team with Victoria as the only lead', () => {
    const team = builtInExperts()
    expect(team[0]).toMatchObject({ id: 'victoria', name: 'Victoria', lead: true })
    expect(team.filter((e) => e.lead)).toHaveLength(1)
    for (const domain of ['coding', 'analysis', 'writing', 'strategy', 'research'])
      expect(team.some((e) => !e.lead && e.domains.includes(domain))).toBe(true)
  })

  it('refuses a broken expert file with the file and field named', () => {
    expect(() => parseExpertFile('bad.md', '---\nid: x\nname: X\n---\nPrompt')).toThrow(
      'Expert file bad.md: the header needs "role: …"'
    )
    expect(() => parseExpertFile('bad.md', 'no header')).toThrow(/expected a header/)
  })

  it('keeps edits in the database and resets them to the built-in file', async () => {
    const h = chatHarness()
    const edited = await h.handlers['chat.experts.update'](
      { id: 'victoria', name: 'Vika', domains: ['general'] },
      h.ctx('c')
    )
    expect(edited).toMatchObject({
      id: 'victoria',
      name: 'Vika',
      domains: ['general'],
      edited: true,
      role: 'Lead agent'
    })
    expect((await h.handlers['chat.status']({}, h.ctx('c'))).leadName).toBe('Vika')
    const reset = await h.handlers['chat.experts.reset']({ id: 'victoria' }, h.ctx('c'))
    expect(reset).toMatchObject({ name: 'Victoria', edited: false })
    const back = await h.handlers['chat.experts.update']({ id: 'igor', role: 'Software engineer' }, h.ctx('c'))
    expect(back.edited).toBe(false)
    await expect(h.handlers['chat.experts.update']({ id: 'ghost', name: 'G' }, h.ctx('c'))).rejects.toThrow(
      'There is no expert "ghost"'
    )
  })
})

describe('usage, budget and fallback health', () => {
  it('alerts once when the day’s tokens pass the budget', async () => {
    const h = chatHarness({
      settings: { 'usage.tokenBudget': 10 },
      script: () => ({ tokens: ['x'], info: { tokensIn: 8, tokensOut: 4 } })
    })
    const first = await h.handlers['chat.send']({ text: 'Hi', priority: 'normal' }, h.ctx('c'))
    await h.chat.pipeline.idle()
    await h.handlers['chat.send']({ sessionId: first.session.id, text: 'Again', priority: 'normal' }, h.ctx('c'))
    await h.chat.pipeline.idle()
    const today = new Date().toISOString().slice(0, 10)
    expect(h.named('usage.budgetExceeded')).toEqual([{ period: 'day', start: today, tokens: 12, budget: 10 }])
    const usage = await h.handlers['chat.usage']({ days: 3 }, h.ctx('c'))
    expect(usage.budget).toMatchObject({ period: 'day', start: today, exceeded: true, budget: 10, used: 24 })
    expect(usage.byDay.map((d) => d.tokensIn + d.tokensOut)).toEqual([0, 0, 24])
  })

  it('turns degraded when more than 30% of answers over 24 h fell back', async () => {
    let n = 0
    const h = chatHarness({ script: () => ({ tokens: ['ok'], info: { fellBack: n++ % 2 === 0 } }) })
    expect(await h.chat.health.report()).toEqual({ component: 'chat', level: 'ok', reasons: [] })
    for (const text of ['Write a function', 'Write a letter', 'Write a test']) {
      await h.handlers['chat.send']({ text, priority: 'normal' }, h.ctx('c'))
      await h.chat.pipeline.idle()
    }
    const usage = await h.handlers['chat.usage']({ days: 1 }, h.ctx('c'))
    expect(usage.counters).toMatchObject({ expertAnswers: 1, fallbacks: 2, threshold: 0.3 })
    expect(usage.counters.fallbackRatio24h).toBeCloseTo(2 / 3)
    const report = await h.chat.health.report()
    expect(report.level).toBe('degraded')
    expect(report.reasons[0]).toContain('67% of chat answers in the last 24 h fell back')
  })

  it('counts the lead’s quick answers in the fallback ratio, not only the experts’', async () => {
    const h = chatHarness({ settings: { 'chat.preferExpertsFirst': false } })
    for (const text of ['Hi', 'Thanks', 'What time is it?']) {
      await h.handlers['chat.send']({ text, priority: 'normal' }, h.ctx('c'))
      await h.chat.pipeline.idle()
    }
    const usage = await h.handlers['chat.usage']({ days: 1 }, h.ctx('c'))
    expect(usage.counters).toMatchObject({ expertAnswers: 0, fallbacks: 0, answers24h: 3, fallbackRatio24h: 0 })
  })
})

describe('deleting a session while an answer is written', () => {
  it('stops the answer and deletes everything without a stored-answer error', async () => {
    const h = chatHarness({ script: () => ({ tokens: ['…'], hang: true }) })
    const { session } = await h.handlers['chat.send']({ text: 'Tell me a long story', priority: 'normal' }, h.ctx('c'))
    await h.model?.hanging()
    await h.handlers['chat.sessions.delete']({ id: session.id }, h.ctx('c'))
    // Sent before the stopped answer has wound down: the deleted session's answer must not get in the way.
    const other = await h.handlers['chat.send']({ text: 'Another question', priority: 'normal' }, h.ctx('c3'))
    expect(other.session.id).not.toBe(session.id)
    await h.model?.hanging()
    h.handlers['chat.stop']({ messageId: other.assistantMessage.id }, h.ctx('c3'))
    await h.chat.pipeline.idle()
    expect(h.chat.pipeline.active()).toEqual([])
    expect(h.lines().filter((l) => l.level === 'error')).toEqual([])
    expect(h.lines().some((l) => l.msg === 'chat answer ended after its session was deleted')).toBe(true)
    expect(
      h
        .named<{ message: { sessionId: string; status: string } }>('chat.finished')
        .map((f) => [f.message.sessionId, f.message.status])
    ).toEqual([
      [session.id, 'stopped'],
      [other.session.id, 'stopped']
    ])
  })
})

describe('refusals as typed outcomes', () => {
  it('returns a Refusal naming the thing and what to do, never throws, for a missing session, message or expert and a busy session', async () => {
    const h = chatHarness({ script: () => ({ tokens: ['…'], hang: true }) })
    const raw = h.chat.handlers
    const refusal = async (value: unknown) => {
      const settled = await value
      expect(settled).toBeInstanceOf(Refusal)
      return (settled as Refusal).error
    }
    expect(await refusal(raw['chat.sessions.get']({ id: 'gone' }, h.ctx('c')))).toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('There is no chat session "gone"') as unknown
    })
    expect((await refusal(raw['chat.retry']({ messageId: 'gone' }, h.ctx('c')))).code).toBe('not_found')
    expect((await refusal(raw['chat.experts.reset']({ id: 'ghost' }, h.ctx('c')))).message).toMatch(
      /^There is no expert "ghost"\. Known experts: /
    )
    const sent = await h.handlers['chat.send']({ text: 'Tell me a long story', priority: 'normal' }, h.ctx('c'))
    await h.model?.hanging()
    expect(
      await refusal(
        raw['chat.send']({ sessionId: sent.session.id, text: 'And another', priority: 'normal' }, h.ctx('c'))
      )
    ).toMatchObject({ code: 'conflict', message: expect.stringContaining('press Stop') as unknown })
    h.handlers['chat.stop']({ messageId: sent.assistantMessage.id }, h.ctx('c'))
    await h.chat.pipeline.idle()
  })
})
