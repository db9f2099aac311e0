import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { MAX_SPEND_TOTAL, type CampaignReport } from '../../../shared/campaigns'
import { admin, createSite, expectProblem, rowCounts, type TestSite } from '../helpers'
import { day, putSpend } from './campaign-data'

/** The per-day maximum the schema allows. */
const DAY_MAX = 1e13

function days(count: number, amount: number, currency = 'EUR', from = 0) {
  return Array.from({ length: count }, (_, i) => ({ date: day(from - i), amount, currency }))
}

async function refused(site: TestSite, campaign: string, entries: ReturnType<typeof days>) {
  const before = await rowCounts()
  const problem = await expectProblem(
    await admin(`/v1/admin/sites/${site.siteKey}/campaigns/${campaign}/spend`, 'PUT', {
      entries,
    }),
    422,
    'validation_failed',
  )
  expect(await rowCounts(), 'a refused import writes nothing, not even the campaign').toEqual(
    before,
  )
  return problem
}

async function fullReport(site: TestSite): Promise<CampaignReport> {
  const response = await admin(
    `/v1/admin/sites/${site.siteKey}/reports/campaigns?from=${day(-1500)}&to=${day(1)}`,
    'GET',
  )
  expect(response.status).toBe(200)
  return (await response.json()) as CampaignReport
}

// docs/report.md#spend: 925 imports of 1,000 days at the per-day maximum overflowed the
// report's SUM past 2^63 and it answered 500. A site's spend per currency is bounded now, and
// the report sums with TOTAL, so it can never fail.
describe('spend imports are bounded so the report can always sum them', () => {
  it('refuses an import past 2^53 − 1 minor units per site and currency, accepts up to it, and the report sums it exactly', async () => {
    const site = await createSite()
    // One import at the schema's maximum, 1,000 days of 10^13, is past the bound alone.
    const whole = await refused(site, 'a', days(1000, DAY_MAX))
    expect(whole.errors).toEqual([
      {
        path: 'entries',
        message: `would take the site's EUR spend past ${MAX_SPEND_TOTAL} minor units`,
      },
    ])

    expect((await putSpend(site, 'a', days(900, DAY_MAX))).written).toBe(900)
    // One more day, in this campaign or another, is past it: the bound is the site's.
    await refused(site, 'a', days(1, DAY_MAX, 'EUR', -900))
    await refused(site, 'b', days(1, DAY_MAX))
    // Up to the bound exactly is accepted; one minor unit more is not.
    const rest = MAX_SPEND_TOTAL - 900 * DAY_MAX
    expect((await putSpend(site, 'b', days(1, rest))).written).toBe(1)
    await refused(site, 'b', days(1, 1, 'EUR', -1))
    // A day sent again counts at its new amount, not twice.
    expect((await putSpend(site, 'a', days(1, DAY_MAX))).written).toBe(1)
    await refused(site, 'a', days(1, DAY_MAX, 'EUR', -900))
    // Another currency has a bound of its own.
    expect((await putSpend(site, 'c', days(1, DAY_MAX, 'USD'))).written).toBe(1)

    const report = await fullReport(site)
    const totals = Object.fromEntries(report.totals.map((t) => [t.currency, t.spend]))
    expect(totals).toEqual({ EUR: MAX_SPEND_TOTAL, USD: DAY_MAX })
    const spendOf = (campaign: string) => report.rows.find((r) => r.campaign === campaign)?.spend
    expect(spendOf('a')).toBe(900 * DAY_MAX)
    expect(spendOf('b')).toBe(rest)
  })

  it('answers 200 even for spend stored past 2^63 before the bound existed', async () => {
    const site = await createSite()
    await putSpend(site, 'legacy', days(1, 1))
    // 1,000 rows of 9.3 × 10^15 sum to 9.3 × 10^18 > 2^63 − 1: what SUM could not add.
    const rows = days(1000, 9.3e15)
    await env.DB.prepare(
      `INSERT INTO campaign_spend (site_key, campaign_key, day, amount, currency, updated_at)
       SELECT ?1, 'legacy', e.value ->> 'date', e.value ->> 'amount', 'EUR', '2026-01-01T00:00:00.000Z'
       FROM json_each(?2) AS e WHERE true
       ON CONFLICT (site_key, campaign_key, day) DO UPDATE SET amount = excluded.amount`,
    )
      .bind(site.siteKey, JSON.stringify(rows))
      .run()
    const report = await fullReport(site)
    expect(report.totals.find((t) => t.currency === 'EUR')!.spend).toBeGreaterThan(2 ** 63)
  })
})
