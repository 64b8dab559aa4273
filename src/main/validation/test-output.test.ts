import { describe, expect, it } from 'vitest'
import { splitCommand } from './command-line'
import { parseCoverage, parseJunit, parseSummaryLine, parseTap, parseTests } from './test-output'

describe('reading a test tool’s output', () => {
  it('counts JUnit testcases with failures and errors, or the suite totals', () => {
    const xml = `<testsuite tests="4"><testcase name="a"/><testcase name="b"><failure message="x"/></testcase>
      <testcase name="c"><error/></testcase><testcase name="d"><skipped/></testcase></testsuite>`
    expect(parseJunit(xml)).toEqual({ format: 'junit', passed: 1, failed: 2 })
    expect(parseJunit('<testsuites tests="10" failures="2" errors="1" skipped="1"></testsuites>')).toEqual({
      format: 'junit',
      passed: 6,
      failed: 3
    })
    expect(parseJunit('no xml here')).toBeNull()
  })

  it('reads TAP totals, or its ok and not ok lines', () => {
    expect(parseTap('TAP version 13\nok 1 - a\nnot ok 2 - b\n1..2\n# pass 1\n# fail 1\n')).toEqual({
      format: 'tap',
      passed: 1,
      failed: 1
    })
    expect(parseTap('1..3\nok 1\nok 2 # SKIP later\nnot ok 3\n')).toEqual({ format: 'tap', passed: 1, failed: 1 })
  })

  it('reads the summary lines of pytest, jest, vitest and mocha', () => {
    expect(parseSummaryLine('==== 1 failed, 3 passed in 0.12s ====')).toEqual({
      format: 'summary_line',
      passed: 3,
      failed: 1
    })
    expect(parseSummaryLine('Tests:       2 failed, 5 passed, 7 total')).toMatchObject({ passed: 5, failed: 2 })
    expect(parseSummaryLine('      Tests  1 failed | 9 passed (10)')).toMatchObject({ passed: 9, failed: 1 })
    expect(parseSummaryLine('  12 passing (30ms)\n  1 failing')).toMatchObject({ passed: 12, failed: 1 })
    expect(parseTests('compiled fine, nothing else')).toEqual({ format: 'exit_code', passed: null, failed: null })
  })

  it('reads line coverage from istanbul, coverage.py, go and lcov summaries', () => {
    expect(parseCoverage('All files |   91.5 |    80 |   100 |   88.25 |')).toBe(88.25)
    expect(parseCoverage('Name  Stmts  Miss  Cover\nTOTAL   120     18    85%')).toBe(85)
    expect(parseCoverage('ok  pkg  0.01s  coverage: 72.4% of statements')).toBe(72.4)
    expect(parseCoverage('  lines......: 64.1% (100 of 156 lines)')).toBe(64.1)
    expect(parseCoverage('no coverage')).toBeNull()
  })

  it('splits a command like a shell without a shell’s expansions', () => {
    expect(splitCommand(`pytest -q -k "not slow" 'a b'`)).toEqual({
      ok: true,
      argv: ['pytest', '-q', '-k', 'not slow', 'a b']
    })
    expect(splitCommand('npm test | tee out')).toMatchObject({ ok: false })
    expect(splitCommand('echo $HOME')).toMatchObject({ ok: false })
    expect(splitCommand('pytest "unclosed')).toEqual({
      ok: false,
      message: 'The test command "pytest "unclosed" has an unclosed " quote.'
    })
    expect(splitCommand('   ')).toMatchObject({ ok: false })
  })
})
