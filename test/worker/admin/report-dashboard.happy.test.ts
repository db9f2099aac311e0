import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../../shared/leads'
import type { Dashboard } from '../../../shared/reports'
import { admin, createSite, leadBody, postLead, type TestSite } from '../helpers'
import { day, putSpend, setStage } from './campaign-data'

/**
 * `GET .../reports/dashboard` answers, part by part, exactly what each report's own endpoint
 * answers; its report is summed from the series' days (docs/app.md#dashboard), so the sums,
 * medians and rows must come out the same for every attribution and interval.
 */
async function newLead(
  site: TestSite,
  email: string,
  campaigns: { first: string | null; last?: string },
  createdDaysAgo: number,
  firstSeenDaysAgo = createdDaysAgo,
) {
  const body = leadBody(site, {
    fields: { email, firstName: 'Anna', lastName: 'Berg' },
    utm:
      campaigns.first === null
        ? undefined
        : { source: 'linkedin', medium: 'paid', campaign: campaigns.first },
  })
  const response = await postLead(site, body)
  expect(response.status).toBe(201)
  const { leadId } = (await response.json()) as LeadSubmissionResult
  // Created now; the dashboard needs them over days, with sales cycles of some length.
  const at = (ago: number) => new Date(Date.now() - ago * 86_400_000 - 3_600_000).toISOString()
  await env.DB.prepare(
    'UPDATE leads SET created_at = ?1, first_seen_at = ?2, last_campaign = COALESCE(?3, last_campaign) WHERE id = ?4',
  )
    .bind(at(createdDaysAgo), at(firstSeenDaysAgo), campaigns.last ?? null, leadId)
    .run()
  return leadId
}

async function get<T>(site: TestSite, path: string): Promise<T> {
  const response = await admin(`/v1/admin/sites/${site.siteKey}${path}`, 'GET')
  expect(response.status).toBe(200)
  return (await response.json()) as T
}

describe('GET /v1/admin/sites/{siteKey}/reports/dashboard', () => {
  it('answers each part exactly as its own endpoint does, for both touches and intervals', async () => {
    const site = await createSite()
    await putSpend(site, 'q4', [
      { date: day(-15), amount: 10_001, currency: 'EUR' },
      { date: day(-3), amount: 3_333, currency: 'EUR' },
      { date: day(-2), amount: 7_000, currency: 'USD' },
      { date: day(-25), amount: 4_000, currency: 'EUR' },
    ])
    await putSpend(site, 'brand', [{ date: day(-1), amount: 999, currency: 'EUR' }])
    // Customers with sales cycles of different lengths, an even and an odd number per campaign,
    // deals in two currencies, a lead moved back after it became an SQL, and a last touch.
    const a = await newLead(site, 'a@firma.de', { first: 'q4' }, 15, 40)
    await setStage(site, a, 'customer', { amount: 120_000, currency: 'EUR' })
    const b = await newLead(site, 'b@firma.de', { first: 'q4', last: 'retarget' }, 3, 10)
    await setStage(site, b, 'customer', { amount: 5_000, currency: 'USD' })
    const c = await newLead(site, 'c@firma.de', { first: 'q4' }, 3, 3)
    await setStage(site, c, 'sql')
    await setStage(site, c, 'disqualified')
    const d = await newLead(site, 'd@firma.de', { first: 'brand' }, 1, 20)
    await setStage(site, d, 'customer', { amount: 7_777, currency: 'EUR' })
    await newLead(site, 'e@firma.de', { first: 'brand', last: 'retarget' }, 0)
    await newLead(site, 'f@firma.de', { first: null }, 2)
    // The previous period (21 to 41 days ago for a period of 21 days).
    const g = await newLead(site, 'g@firma.de', { first: 'q4' }, 25, 30)
    await setStage(site, g, 'customer', { amount: 1_000, currency: 'EUR' })

    const [from, to] = [day(-20), day(0)]
    for (const attribution of ['first', 'last'] as const)
      for (const interval of ['day', 'week'] as const) {
        const query = `from=${from}&to=${to}&attribution=${attribution}`
        const dashboard = await get<Dashboard>(
          site,
          `/reports/dashboard?${query}&interval=${interval}`,
        )
        expect(dashboard.report).toEqual(await get(site, `/reports/campaigns?${query}`))
        expect(dashboard.previous).toEqual(
          await get(
            site,
            `/reports/campaigns?from=${day(-41)}&to=${day(-21)}&attribution=${attribution}`,
          ),
        )
        expect(dashboard.series).toEqual(
          await get(site, `/reports/campaigns/series?${query}&interval=${interval}`),
        )
        expect(dashboard.salesCycle).toEqual(await get(site, `/reports/sales-cycle?${query}`))
        expect(dashboard.forms).toEqual(await get(site, `/reports/forms?from=${from}&to=${to}`))
        expect(dashboard.campaigns).toEqual(await get(site, `/campaigns?from=${from}&to=${to}`))
        // The seed reaches what could differ: medians of two middles, revenue in two currencies.
        expect(dashboard.report.totals.map((t) => t.currency)).toEqual(['EUR', 'USD'])
        expect(dashboard.salesCycle.customers).toBe(3)
        expect(dashboard.previous.totals[0]).toMatchObject({ leads: 1, customers: 1 })
      }
  })
})
