import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../../shared/leads'
import type { CampaignSeries } from '../../../shared/reports'
import { reportBinds, seriesSql, SPEND_BY_DAY_SQL } from '../../../worker/src/db/reports'
import { admin, createSite, leadBody, postLead, type TestSite } from '../helpers'
import { day, putSpend, report, setStage } from './campaign-data'

async function newLead(site: TestSite, email: string, campaign: string | null, createdDay: string) {
  const body = leadBody(site, {
    fields: { email, firstName: 'Anna', lastName: 'Berg' },
    utm: campaign === null ? undefined : { source: 'linkedin', medium: 'paid', campaign },
  })
  const response = await postLead(site, body)
  expect(response.status).toBe(201)
  const { leadId } = (await response.json()) as LeadSubmissionResult
  // Leads are created now; the series needs them spread over days, so the test dates them back.
  await env.DB.prepare('UPDATE leads SET created_at = ?1 WHERE id = ?2')
    .bind(`${createdDay}T12:00:00.000Z`, leadId)
    .run()
  return leadId
}

async function series(site: TestSite, query: string): Promise<CampaignSeries> {
  const response = await admin(
    `/v1/admin/sites/${site.siteKey}/reports/campaigns/series?${query}`,
    'GET',
  )
  expect(response.status).toBe(200)
  return (await response.json()) as CampaignSeries
}

const FROM = day(-20)
const TO = day(0)

describe('GET /v1/admin/sites/{siteKey}/reports/campaigns/series', () => {
  it('sums over its periods, by day and by week, to the report’s rows', async () => {
    const site = await createSite()
    await putSpend(site, 'q4', [
      { date: day(-15), amount: 10000, currency: 'EUR' },
      { date: day(-3), amount: 3333, currency: 'EUR' },
      { date: day(-2), amount: 7000, currency: 'USD' },
      { date: day(-40), amount: 99999, currency: 'EUR' },
    ])
    const a = await newLead(site, 'a@firma.de', 'q4', day(-15))
    await setStage(site, a, 'sql')
    const b = await newLead(site, 'b@firma.de', 'q4', day(-3))
    await setStage(site, b, 'mql')
    await newLead(site, 'c@firma.de', 'q4', day(-3))
    await newLead(site, 'd@firma.de', 'q4', day(-30))
    await newLead(site, 'e@firma.de', 'spring', day(-1))
    await newLead(site, 'f@firma.de', null, day(0))

    for (const attribution of ['first', 'last'] as const) {
      const whole = await report(site, attribution, FROM, TO)
      for (const interval of ['day', 'week'] as const) {
        const result = await series(
          site,
          `from=${FROM}&to=${TO}&interval=${interval}&attribution=${attribution}`,
        )
        expect(result).toMatchObject({ from: FROM, to: TO, interval, attribution })
        expect(result.periods[0]!.from).toBe(FROM)
        expect(result.periods.at(-1)!.to).toBe(TO)
        if (interval === 'day') expect(result.periods).toHaveLength(21)
        expect(result.series.map((s) => [s.campaign, s.currency])).toEqual(
          whole.rows.map((r) => [r.campaign, r.currency]),
        )
        for (const [i, row] of whole.rows.entries()) {
          const points = result.series[i]!.points
          expect(points).toHaveLength(result.periods.length)
          const sum = (key: 'leads' | 'mqls' | 'sqls' | 'customers') =>
            points.reduce((total, p) => total + p[key], 0)
          expect(sum('leads')).toBe(row.leads)
          expect(sum('mqls')).toBe(row.mqls)
          expect(sum('sqls')).toBe(row.sqls)
          expect(sum('customers')).toBe(row.customers)
          const spent = points.filter((p) => p.spend !== null)
          expect(spent.length === 0 ? null : spent.reduce((t, p) => t + p.spend!, 0)).toBe(
            row.spend,
          )
        }
      }
    }

    const daily = await series(site, `from=${FROM}&to=${TO}&interval=day`)
    const eur = daily.series.find((s) => s.campaign === 'q4' && s.currency === 'EUR')!
    expect(eur.points[5]).toMatchObject({
      from: day(-15),
      to: day(-15),
      spend: 10000,
      leads: 1,
      sqls: 1,
      cpl: 10000,
      costPerSql: 10000,
    })
    // 3333 over two leads: 1666.5 rounds half up; no SQL that day.
    expect(eur.points[17]).toMatchObject({ spend: 3333, leads: 2, cpl: 1667, costPerSql: null })
    // A day with leads of the campaign but spend only in the other currency.
    const usd = daily.series.find((s) => s.campaign === 'q4' && s.currency === 'USD')!
    expect(usd.points[17]).toMatchObject({ spend: null, leads: 2, cpl: null })
    expect(usd.points[18]).toMatchObject({ spend: 7000, leads: 0, cpl: null })
  })

  it('starts weeks on Monday and clips the first and last week to the range', async () => {
    const site = await createSite()
    // 2026-11-04 is a Wednesday, 2026-11-17 a Tuesday.
    const result = await series(site, 'from=2026-11-04&to=2026-11-17&interval=week')
    expect(result.periods).toEqual([
      { from: '2026-11-04', to: '2026-11-08' },
      { from: '2026-11-09', to: '2026-11-15' },
      { from: '2026-11-16', to: '2026-11-17' },
    ])
    expect(result.series).toEqual([])
  })

  it('accepts 400 daily periods and defaults to weeks and first-touch', async () => {
    const site = await createSite()
    const result = await series(site, 'from=2026-01-01&to=2027-02-04&interval=day')
    expect(result.periods).toHaveLength(400)
    const defaults = await series(site, 'from=2026-11-01&to=2026-11-30')
    expect(defaults).toMatchObject({ interval: 'week', attribution: 'first' })
  })

  it.each(['first', 'last'] as const)(
    'reads leads, stage history and spend through indexes, never the touchpoints table (%s touch)',
    async (attribution) => {
      const derived = /^SCAN (cohort|c|won|\(subquery-\d+\))$/
      const binds = reportBinds('acme', '2026-01-01', '2026-12-31')
      const plan = async (sql: string, values: readonly string[]) =>
        (
          await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
            .bind(...values)
            .all<{ detail: string }>()
        ).results.map((row) => row.detail)
      const steps = [
        ...(await plan(seriesSql(attribution), binds.rollup)),
        ...(await plan(SPEND_BY_DAY_SQL, binds.spend)),
      ]
      expect(steps.join('\n')).not.toMatch(/touchpoints/)
      expect(steps.filter((step) => step.startsWith('SCAN ') && !derived.test(step))).toEqual([])
    },
  )
})
