import { describe, expect, it } from 'vitest'
import { periodCount, periodIndex, periodsOf } from '../../shared/reports'
import { buildSeries } from '../../worker/src/domain/report'

describe('periods of a range', () => {
  it('cuts weeks at Mondays (UTC) and clips the first and last week to the range', () => {
    // 2026-11-04 is a Wednesday, 2026-11-17 a Tuesday.
    expect(periodsOf('2026-11-04', '2026-11-17', 'week')).toEqual([
      { from: '2026-11-04', to: '2026-11-08' },
      { from: '2026-11-09', to: '2026-11-15' },
      { from: '2026-11-16', to: '2026-11-17' },
    ])
    expect(periodCount('2026-11-04', '2026-11-17', 'week')).toBe(3)
    expect(periodIndex('2026-11-04', '2026-11-08', 'week')).toBe(0)
    expect(periodIndex('2026-11-04', '2026-11-09', 'week')).toBe(1)
  })

  it('has one period per day, across a month and a year end', () => {
    const days = periodsOf('2026-12-30', '2027-01-02', 'day')
    expect(days.map((p) => p.from)).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ])
    expect(days.every((p) => p.from === p.to)).toBe(true)
    expect(periodCount('2026-12-30', '2027-01-02', 'day')).toBe(4)
  })

  it('gives a one-day range one period of either kind', () => {
    expect(periodsOf('2026-11-09', '2026-11-09', 'week')).toEqual([
      { from: '2026-11-09', to: '2026-11-09' },
    ])
    expect(periodCount('2026-11-09', '2026-11-09', 'week')).toBe(1)
  })

  it('counts the weeks of a long range the way it builds them', () => {
    for (const [from, to] of [
      ['2020-01-01', '2026-12-31'],
      ['2026-11-08', '2026-11-09'],
      ['2026-11-09', '2026-11-15'],
    ] as const) {
      expect(periodCount(from, to, 'week')).toBe(periodsOf(from, to, 'week').length)
      expect(periodCount(from, to, 'day')).toBe(periodsOf(from, to, 'day').length)
    }
  })
})

describe('buildSeries', () => {
  const query = {
    from: '2026-11-04',
    to: '2026-11-17',
    interval: 'week',
    attribution: 'first',
  } as const

  it('puts counts and spend into their periods with the report’s rounding and nulls', () => {
    const series = buildSeries(query, {
      funnel: [
        {
          campaign: 'q4',
          day: '2026-11-04',
          leads: 2,
          mqls: 1,
          sqls: 1,
          opportunities: 0,
          customers: 0,
        },
        {
          campaign: 'q4',
          day: '2026-11-08',
          leads: 1,
          mqls: 1,
          sqls: 0,
          opportunities: 0,
          customers: 0,
        },
        {
          campaign: 'q4',
          day: '2026-11-16',
          leads: 1,
          mqls: 0,
          sqls: 0,
          opportunities: 0,
          customers: 0,
        },
        {
          campaign: '(none)',
          day: '2026-11-10',
          leads: 5,
          mqls: 0,
          sqls: 0,
          opportunities: 0,
          customers: 0,
        },
      ],
      spend: [
        { campaign: 'q4', day: '2026-11-05', currency: 'EUR', amount: 500 },
        { campaign: 'q4', day: '2026-11-06', currency: 'EUR', amount: 500 },
        { campaign: 'q4', day: '2026-11-10', currency: 'EUR', amount: 301 },
      ],
      revenue: [],
    })
    expect(series.periods).toHaveLength(3)
    expect(series.series.map((s) => [s.campaign, s.currency])).toEqual([
      ['q4', 'EUR'],
      ['(none)', null],
    ])
    const [w1, w2, w3] = series.series[0]!.points
    // 1000 / 3 = 333.33 → 333; 1000 / 1 SQL.
    expect(w1).toMatchObject({
      spend: 1000,
      leads: 3,
      mqls: 2,
      sqls: 1,
      cpl: 333,
      costPerSql: 1000,
    })
    // Spend without leads: no divisor, null costs.
    expect(w2).toMatchObject({ spend: 301, leads: 0, cpl: null, costPerSql: null })
    // Leads without spend: spend and costs null.
    expect(w3).toMatchObject({ spend: null, leads: 1, cpl: null, costPerSql: null })
    expect(series.series[1]!.points.map((p) => p.leads)).toEqual([0, 5, 0])
  })

  it('rounds costs half up', () => {
    const series = buildSeries(
      { ...query, interval: 'day', to: '2026-11-04' },
      {
        funnel: [
          {
            campaign: 'a',
            day: '2026-11-04',
            leads: 2,
            mqls: 0,
            sqls: 0,
            opportunities: 0,
            customers: 0,
          },
        ],
        spend: [{ campaign: 'a', day: '2026-11-04', currency: 'EUR', amount: 5 }],
        revenue: [],
      },
    )
    expect(series.series[0]!.points[0]).toMatchObject({ cpl: 3, costPerSql: null })
  })
})
