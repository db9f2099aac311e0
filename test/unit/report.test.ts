import { describe, expect, it } from 'vitest'
import type { ReportRow } from '../../shared/campaigns'
import {
  buildReport,
  conversionOf,
  costPer,
  csvField,
  dayAfter,
  divideHalfUp,
  medianOfMiddles,
  rate,
  reportToCsv,
  type ReportInput,
} from '../../worker/src/domain/report'

describe('divideHalfUp', () => {
  it.each([
    [10, 4, 3], // 2.5 rounds up
    [9, 4, 2], // 2.25 rounds down
    [35001, 2, 17501], // 17500.5 rounds up
    [35001, 4, 8750], // 8750.25 rounds down
    [35000, 3, 11667], // 11666.67 rounds up
    [0, 7, 0],
    [7, 0, null], // zero divisor
    [0, 0, null],
    [2 ** 52, 3, 1501199875790165], // exact for large safe integers
  ])('%d / %d is %s', (numerator, denominator, expected) => {
    expect(divideHalfUp(numerator, denominator)).toBe(expected)
  })
})

describe('costPer', () => {
  it.each([
    [120000, 40, 3000],
    [120000, 12, 10000],
    [120000, 5, 24000],
    [120000, 2, 60000],
    [120000, 0, null], // nobody to divide by
    [null, 40, null], // no spend known
    [0, 40, 0], // spend recorded as zero is a cost of zero
  ])('spend %s over %d is %s', (spend, count, expected) => {
    expect(costPer(spend, count)).toBe(expected)
  })
})

describe('rate', () => {
  it.each([
    [12, 40, 0.3],
    [5, 12, 0.4167],
    [3, 5, 0.6],
    [2, 3, 0.6667],
    [1, 3, 0.3333],
    [3, 7, 0.4286],
    [1, 8, 0.125],
    [1, 16, 0.0625],
    [1, 20000, 0.0001], // 0.00005 rounds up at four decimals
    [1, 20001, 0],
    [0, 0, null],
    [4, 4, 1],
  ])('%d of %d is %s', (part, whole, expected) => {
    expect(rate(part, whole)).toBe(expected)
  })
})

describe('conversionOf', () => {
  it('divides each stage by the one before, null where the one before is empty', () => {
    expect(conversionOf({ leads: 40, mqls: 12, sqls: 5, opportunities: 3, customers: 2 })).toEqual({
      leadToMql: 0.3,
      mqlToSql: 0.4167,
      sqlToOpportunity: 0.6,
      opportunityToCustomer: 0.6667,
    })
    expect(conversionOf({ leads: 3, mqls: 0, sqls: 0, opportunities: 0, customers: 0 })).toEqual({
      leadToMql: 0,
      mqlToSql: null,
      sqlToOpportunity: null,
      opportunityToCustomer: null,
    })
  })
})

describe('medianOfMiddles', () => {
  it.each([
    [[], null],
    [[41], 41],
    [[40, 41], 40.5],
    [[10.000001], 10],
    [[3.04, 3.06], 3.1], // 3.05 rounds up to one decimal
    [[0.25], 0.3],
    [[0.24], 0.2],
  ])('the median of the middles %j is %s', (middles, expected) => {
    expect(medianOfMiddles(middles)).toBe(expected)
  })
})

describe('dayAfter', () => {
  it.each([
    ['2026-11-22', '2026-11-23'],
    ['2026-02-28', '2026-03-01'],
    ['2028-02-28', '2028-02-29'],
    ['2026-12-31', '2027-01-01'],
  ])('the day after %s is %s', (day, expected) => {
    expect(dayAfter(day)).toBe(expected)
  })
})

const BASE: ReportInput = {
  from: '2026-11-01',
  to: '2026-11-30',
  attribution: 'first',
  funnel: [],
  spend: [],
  revenue: [],
  middles: [],
}

function row(
  report: { rows: ReportRow[] },
  campaign: string,
  currency: string | null,
): ReportRow | undefined {
  return report.rows.find((r) => r.campaign === campaign && r.currency === currency)
}

describe('buildReport', () => {
  it('reproduces the example row of docs/report.md', () => {
    const report = buildReport({
      ...BASE,
      funnel: [
        { campaign: 'q4-whitepaper', leads: 40, mqls: 12, sqls: 5, opportunities: 3, customers: 2 },
      ],
      spend: [{ campaign: 'q4-whitepaper', currency: 'EUR', amount: 120000 }],
      revenue: [{ campaign: 'q4-whitepaper', currency: 'EUR', amount: 1800000 }],
      middles: [
        { campaign: 'q4-whitepaper', days: 40.6 },
        { campaign: 'q4-whitepaper', days: 41.4 },
        { campaign: null, days: 41 },
      ],
    })
    expect(report.rows).toEqual([
      {
        campaign: 'q4-whitepaper',
        currency: 'EUR',
        spend: 120000,
        leads: 40,
        mqls: 12,
        sqls: 5,
        opportunities: 3,
        customers: 2,
        revenue: 1800000,
        cpl: 3000,
        costPerMql: 10000,
        costPerSql: 24000,
        costPerOrder: 60000,
        conversion: {
          leadToMql: 0.3,
          mqlToSql: 0.4167,
          sqlToOpportunity: 0.6,
          opportunityToCustomer: 0.6667,
        },
        medianSalesCycleDays: 41,
      },
    ])
    expect(report.totals).toEqual([{ ...report.rows[0], campaign: '(total)' }])
  })

  it('gives a campaign with spend in two currencies one row per currency, never a sum', () => {
    const report = buildReport({
      ...BASE,
      funnel: [{ campaign: 'spring', leads: 4, mqls: 2, sqls: 0, opportunities: 0, customers: 0 }],
      spend: [
        { campaign: 'spring', currency: 'EUR', amount: 1000 },
        { campaign: 'spring', currency: 'USD', amount: 3000 },
      ],
    })
    expect(report.rows.map((r) => [r.currency, r.spend, r.leads, r.cpl, r.costPerSql])).toEqual([
      ['EUR', 1000, 4, 250, null],
      ['USD', 3000, 4, 750, null],
    ])
    expect(report.totals.map((t) => [t.currency, t.spend, t.leads])).toEqual([
      ['EUR', 1000, 4],
      ['USD', 3000, 4],
    ])
  })

  it('shows a campaign without spend with null spend, currency and costs, and (none) last', () => {
    const report = buildReport({
      ...BASE,
      funnel: [
        { campaign: '(none)', leads: 2, mqls: 1, sqls: 0, opportunities: 0, customers: 0 },
        { campaign: 'organic', leads: 3, mqls: 0, sqls: 0, opportunities: 0, customers: 0 },
      ],
    })
    expect(report.rows.map((r) => r.campaign)).toEqual(['organic', '(none)'])
    expect(row(report, 'organic', null)).toMatchObject({
      spend: null,
      revenue: null,
      cpl: null,
      costPerOrder: null,
    })
    expect(report.totals).toEqual([
      expect.objectContaining({
        campaign: '(total)',
        currency: null,
        spend: null,
        leads: 5,
        mqls: 1,
      }),
    ])
  })

  it('puts revenue in a currency without spend on its own row with null spend', () => {
    const report = buildReport({
      ...BASE,
      funnel: [{ campaign: 'fair', leads: 2, mqls: 2, sqls: 2, opportunities: 2, customers: 2 }],
      spend: [{ campaign: 'fair', currency: 'EUR', amount: 5000 }],
      revenue: [
        { campaign: 'fair', currency: 'EUR', amount: 100 },
        { campaign: 'fair', currency: 'CHF', amount: 900 },
      ],
    })
    expect(row(report, 'fair', 'CHF')).toMatchObject({
      spend: null,
      revenue: 900,
      costPerOrder: null,
      customers: 2,
    })
    expect(row(report, 'fair', 'EUR')).toMatchObject({
      spend: 5000,
      revenue: 100,
      costPerOrder: 2500,
    })
    expect(report.totals.map((t) => [t.currency, t.spend, t.revenue])).toEqual([
      ['CHF', null, 900],
      ['EUR', 5000, 100],
    ])
  })

  it('shows spend of a campaign that brought no lead, with null costs and rates', () => {
    const report = buildReport({
      ...BASE,
      spend: [{ campaign: 'display', currency: 'EUR', amount: 999 }],
    })
    expect(report.rows).toEqual([
      expect.objectContaining({
        campaign: 'display',
        spend: 999,
        leads: 0,
        revenue: 0,
        cpl: null,
        conversion: {
          leadToMql: null,
          mqlToSql: null,
          sqlToOpportunity: null,
          opportunityToCustomer: null,
        },
      }),
    ])
  })

  it('blends the totals over the whole cohort, each lead once', () => {
    const report = buildReport({
      ...BASE,
      funnel: [
        { campaign: 'a', leads: 4, mqls: 3, sqls: 2, opportunities: 2, customers: 1 },
        { campaign: 'b', leads: 3, mqls: 0, sqls: 0, opportunities: 0, customers: 0 },
      ],
      spend: [{ campaign: 'a', currency: 'EUR', amount: 41000 }],
      middles: [{ campaign: null, days: 10 }],
    })
    expect(report.totals).toEqual([
      expect.objectContaining({
        currency: 'EUR',
        leads: 7,
        cpl: 5857,
        costPerMql: 13667,
        costPerSql: 20500,
        costPerOrder: 41000,
        conversion: {
          leadToMql: 0.4286,
          mqlToSql: 0.6667,
          sqlToOpportunity: 1,
          opportunityToCustomer: 0.5,
        },
        medianSalesCycleDays: 10,
      }),
    ])
  })
})

describe('csvField', () => {
  it.each<[string | number | null, string]>([
    ['q4-whitepaper', '"q4-whitepaper"'],
    ['say "hi"', '"say ""hi"""'],
    ['a,b', '"a,b"'],
    ['line\r\nbreak', '"line\r\nbreak"'],
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['+1', `"'+1"`],
    ['-2', `"'-2"`],
    ['@sum', `"'@sum"`],
    ['\tcmd', `"'\tcmd"`],
    ['\rcmd', `"'\rcmd"`],
    [null, '""'],
    [0.4167, '"0.4167"'],
    [-3, '"-3"'], // our own numbers stay numbers
  ])('%j is written as %s', (value, expected) => {
    expect(csvField(value)).toBe(expected)
  })
})

describe('reportToCsv', () => {
  it('writes a header, the rows and the totals, each record ended by CRLF', () => {
    const csv = reportToCsv(
      buildReport({
        ...BASE,
        funnel: [{ campaign: '=cmd', leads: 1, mqls: 0, sqls: 0, opportunities: 0, customers: 0 }],
      }),
    )
    const records = csv.split('\r\n')
    expect(records).toHaveLength(4)
    expect(records[3]).toBe('')
    expect(records[0]).toBe(
      '"kind","campaign","currency","spend","leads","mqls","sqls","opportunities","customers","revenue","cpl","costPerMql","costPerSql","costPerOrder","leadToMql","mqlToSql","sqlToOpportunity","opportunityToCustomer","medianSalesCycleDays"',
    )
    expect(records[1]).toBe(
      '"campaign","\'=cmd","","","1","0","0","0","0","","","","","","0","","","",""',
    )
    expect(records[2]).toBe(
      '"total","(total)","","","1","0","0","0","0","","","","","","0","","","",""',
    )
  })
})
