import { describe, expect, it } from 'vitest'
import { negotiateLocale, primaryLocale } from '../../worker/src/lib/locale'

describe('negotiateLocale', () => {
  it.each([
    [undefined, 'en', 'en'],
    ['', 'de', 'de'],
    ['de', 'en', 'de'],
    ['de-AT', 'en', 'de'],
    ['en-US,en;q=0.9', 'de', 'en'],
    ['fr-FR,fr;q=0.9,de;q=0.8,en;q=0.7', 'en', 'de'],
    ['en;q=0.2, DE;q=0.8', 'en', 'de'],
    ['fr, it', 'de', 'de'],
    ['*', 'de', 'de'],
    ['de;q=0, en;q=0.1', 'de', 'en'],
    ['de;q=abc', 'en', 'en'],
  ] as const)('reads %j with fallback %s as %s', (header, fallback, locale) => {
    expect(negotiateLocale(header, fallback)).toBe(locale)
  })
})

describe('primaryLocale', () => {
  it.each([
    ['de-CH', 'de'],
    ['en_GB', 'en'],
    [' EN ', 'en'],
    ['deu', undefined],
    ['', undefined],
    [undefined, undefined],
  ] as const)('reads the page language %j as %s', (tag, locale) => {
    expect(primaryLocale(tag)).toBe(locale)
  })
})
