import { describe, expect, it } from 'vitest'
import {
  matchCampaigns,
  parseDay,
  planImport,
  readSpendCsv,
  toMinorUnits,
} from '../../shared/spend-csv'

describe('readSpendCsv', () => {
  it('reads a Google Ads campaign report: title rows, Currency code, Cost, total rows left out', () => {
    const result = readSpendCsv([
      ['Campaign report'],
      ['November 1, 2026 - November 2, 2026'],
      ['Campaign status', 'Campaign', 'Day', 'Currency code', 'Cost', 'Clicks'],
      ['Enabled', 'Q4-Whitepaper', '2026-11-01', 'EUR', '1,234.56', '40'],
      ['Enabled', 'Q4-Whitepaper', '2026-11-01', 'EUR', '0.44', '1'],
      ['Enabled', 'Q4-Whitepaper', '2026-11-02', 'EUR', '10.00', '3'],
      ['Total: Account', '--', '--', 'EUR', '1,245.00', '44'],
      ['Total: Campaigns', '', '', 'EUR', '1,245.00', '44'],
    ])
    expect(result).toMatchObject({
      ok: true,
      currencyFrom: 'column',
      summaries: 2,
      problems: [],
      campaigns: [
        {
          name: 'Q4-Whitepaper',
          rows: 3,
          entries: [
            { date: '2026-11-01', amount: 123500, currency: 'EUR' },
            { date: '2026-11-02', amount: 1000, currency: 'EUR' },
          ],
        },
      ],
    })
  })

  it('reads a German Meta export: Berichtsbeginn, the currency from "(EUR)", decimal commas', () => {
    const result = readSpendCsv([
      ['Berichtsbeginn', 'Berichtsende', 'Name der Kampagne', 'Ausgegebener Betrag (EUR)'],
      ['2026-11-01', '2026-11-01', 'Herbst', '1.234,5'],
      ['2026-11-02', '2026-11-02', 'Herbst', '12,34'],
      ['2026-11-01', '2026-11-30', 'Herbst', '99,00'],
    ])
    expect(result).toMatchObject({
      ok: true,
      currencyFrom: 'header',
      campaigns: [
        {
          name: 'Herbst',
          entries: [
            { date: '2026-11-01', amount: 123450, currency: 'EUR' },
            { date: '2026-11-02', amount: 1234, currency: 'EUR' },
          ],
        },
      ],
      problems: [{ line: 4, reason: 'date_range' }],
    })
  })

  it('reads a LinkedIn export: US dates, Total Spent, the chosen currency where none is named', () => {
    const result = readSpendCsv(
      [
        ['Campaign Performance Report'],
        ['Report Start: 11/1/2026'],
        [],
        ['Start Date (in UTC)', 'Campaign Group Name', 'Campaign Name', 'Total Spent'],
        ['11/01/2026', 'Group', 'ABM', '250'],
        ['11/31/2026', 'Group', 'ABM', '1'],
        ['11/02/2026', 'Group', '', '5'],
        ['11/03/2026', 'Group', 'ABM', '-5.00'],
        ['11/04/2026', 'Group', 'ABM', 'n/a'],
        ['11/05/2026', 'Group', 'ABM', 'abc'],
      ],
      { currency: 'USD' },
    )
    expect(result).toMatchObject({
      ok: true,
      currencyFrom: 'choice',
      campaigns: [
        { name: 'ABM', entries: [{ date: '2026-11-01', amount: 25000, currency: 'USD' }] },
      ],
    })
    expect(result.ok && result.problems.map((p) => [p.line, p.reason])).toEqual([
      [6, 'bad_date'],
      [7, 'no_campaign'],
      [8, 'negative_amount'],
      [9, 'no_amount'],
      [10, 'bad_amount'],
    ])
  })

  it('says which columns it could not find', () => {
    expect(
      readSpendCsv([
        ['Campaign', 'Clicks'],
        ['a', '1'],
      ]),
    ).toEqual({
      ok: false,
      reason: 'no_header',
      missing: ['date', 'cost'],
    })
    expect(readSpendCsv([])).toMatchObject({ ok: false, reason: 'empty' })
  })

  it('refuses a day of one campaign in two currencies', () => {
    const result = readSpendCsv([
      ['Day', 'Campaign', 'Currency', 'Cost'],
      ['2026-11-01', 'x', 'EUR', '1'],
      ['2026-11-01', 'x', 'USD', '1'],
    ])
    expect(result.ok && result.problems).toEqual([
      { line: 3, reason: 'currency_conflict', value: 'USD / EUR' },
    ])
  })
})

describe('parseDay and toMinorUnits', () => {
  it.each([
    ['2026-11-01', '2026-11-01'],
    ['2026/11/01', '2026-11-01'],
    ['11/01/2026', '2026-11-01'],
    ['1.11.2026', '2026-11-01'],
    ['2026-02-30', null],
    ['13/01/2026', null],
    ['yesterday', null],
  ])('reads %s as %s', (cell, day) => expect(parseDay(cell)).toBe(day))

  it.each<[string, '.' | ',', number, number | null]>([
    ['1,234.56', '.', 2, 123456],
    ['1.234,56', ',', 2, 123456],
    ['0.005', '.', 2, 1],
    ['0.004', '.', 2, 0],
    ['1234', '.', 0, 1234],
    ['12,34,5', '.', 2, null],
    ['1,2.3', '.', 2, null],
  ])('reads %s (mark %s, %d digits) as %s', (text, mark, digits, minor) =>
    expect(toMinorUnits(text, mark, digits)).toBe(minor),
  )
})

describe('matchCampaigns and planImport', () => {
  it('matches by key, then by name without case, and sums names mapped to one key', () => {
    const site = [
      { campaignKey: 'q4-whitepaper', name: 'Q4 Whitepaper' },
      { campaignKey: 'brand', name: null },
    ]
    const map = matchCampaigns(['Q4-WHITEPAPER', 'q4 whitepaper', 'Brand', 'New one'], site)
    expect([...map]).toEqual([
      ['Q4-WHITEPAPER', 'q4-whitepaper'],
      ['q4 whitepaper', 'q4-whitepaper'],
      ['Brand', 'brand'],
      ['New one', null],
    ])
    const plan = planImport(
      [
        {
          name: 'Q4-WHITEPAPER',
          rows: 1,
          entries: [{ date: '2026-11-01', amount: 5, currency: 'EUR' }],
        },
        {
          name: 'q4 whitepaper',
          rows: 1,
          entries: [{ date: '2026-11-01', amount: 7, currency: 'EUR' }],
        },
        { name: 'New one', rows: 1, entries: [{ date: '2026-11-01', amount: 1, currency: 'EUR' }] },
      ],
      (name) => map.get(name) ?? null,
    )
    expect([...plan.byKey]).toEqual([
      ['q4-whitepaper', [{ date: '2026-11-01', amount: 12, currency: 'EUR' }]],
    ])
    expect(plan.conflicts).toEqual([])
  })
})
