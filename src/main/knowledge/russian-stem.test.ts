import { describe, expect, it } from 'vitest'
import { russianStem, russianStems } from './russian-stem'

describe('Russian Snowball stems', () => {
  it('brings the forms of a word together and keeps words that only share letters apart', () => {
    for (const form of ['база', 'базы', 'базой', 'базе', 'базу']) expect(russianStem(form)).toBe('баз')
    expect(russianStem('базар')).toBe('базар')
    expect(russianStem('мостом')).toBe(russianStem('мост'))
    expect(russianStem('москва')).not.toBe(russianStem('мост'))
    expect(russianStem('водитель')).not.toBe(russianStem('вода'))
  })

  it('folds ё and case as the index does', () => {
    expect(russianStem('Ёлки')).toBe(russianStem('елки'))
  })

  it('stems only the Cyrillic words of a text, in order', () => {
    expect(russianStems('Backup базы данных, 2026: копии!')).toBe('баз дан коп')
    expect(russianStems('no Russian here')).toBe('')
  })
})
