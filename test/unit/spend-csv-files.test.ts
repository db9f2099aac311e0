/// <reference types="vite/client" />
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { readSpendCsv } from '../../shared/spend-csv'
import google from '../fixtures/spend/google-ads.csv?raw'
import meta from '../fixtures/spend/meta-ads.csv?raw'

/** The fixture exports through papaparse, as the app parses a chosen file. */
const parse = (text: string) => Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' }).data

describe('spend exports through papaparse', () => {
  it('reads the Google-Ads-like file, leaving out its title rows and total', () => {
    const result = readSpendCsv(parse(google))
    expect(result).toMatchObject({ ok: true, summaries: 1, problems: [] })
    expect(result.ok && result.campaigns.map((c) => [c.name, c.entries])).toEqual([
      ['Brand Search', [{ date: '2026-11-02', amount: 4500, currency: 'EUR' }]],
      [
        'Q4-Whitepaper',
        [
          { date: '2026-11-01', amount: 120000, currency: 'EUR' },
          { date: '2026-11-02', amount: 30050, currency: 'EUR' },
        ],
      ],
    ])
  })

  it('reads the Meta-like file with its byte-order mark, refusing the month-long row', () => {
    const result = readSpendCsv(parse(meta))
    expect(result).toMatchObject({ ok: true, currencyFrom: 'header' })
    expect(result.ok && result.campaigns.map((c) => [c.name, c.entries])).toEqual([
      ['Meta Retargeting', [{ date: '2026-11-03', amount: 1999, currency: 'EUR' }]],
      ['Q4-Whitepaper', [{ date: '2026-11-01', amount: 8025, currency: 'EUR' }]],
    ])
    expect(result.ok && result.problems.map((p) => [p.line, p.reason])).toEqual([[4, 'date_range']])
  })
})
