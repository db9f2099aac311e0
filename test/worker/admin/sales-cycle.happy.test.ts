import { describe, expect, it } from 'vitest'
import type { SalesCycle } from '../../../shared/campaigns'
import type { LeadSubmissionResult } from '../../../shared/leads'
import { admin, createSite, leadBody, postLead, type TestSite } from '../helpers'
import { FROM, TO, report } from './campaign-data'

async function customer(site: TestSite, email: string, campaign: string) {
  const response = await postLead(
    site,
    leadBody(site, {
      fields: { email, firstName: 'Anna', lastName: 'Berg' },
      utm: { source: 'linkedin', medium: 'paid', campaign },
    }),
  )
  expect(response.status).toBe(201)
  const { leadId } = (await response.json()) as LeadSubmissionResult
  const moved = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}/stage`, 'POST', {
    stage: 'customer',
    value: { amount: 1000, currency: 'EUR' },
  })
  expect(moved.status).toBe(200)
}

async function salesCycle(site: TestSite, extra = ''): Promise<SalesCycle> {
  const response = await admin(
    `/v1/admin/sites/${site.siteKey}/reports/sales-cycle?from=${FROM}&to=${TO}${extra}`,
    'GET',
  )
  expect(response.status).toBe(200)
  return (await response.json()) as SalesCycle
}

describe('GET /v1/admin/sites/{siteKey}/reports/sales-cycle', () => {
  it('counts the cohort’s customers in buckets, with the report’s median, overall and per campaign', async () => {
    const site = await createSite()
    await customer(site, 'a@example.com', 'alpha')
    await customer(site, 'b@example.com', 'alpha')
    await customer(site, 'c@example.com', 'beta')
    const all = await salesCycle(site)
    const json = await report(site, 'first')
    expect(all.customers).toBe(3)
    expect(all.buckets).toHaveLength(7)
    expect(all.buckets[0]).toEqual({ fromDays: 0, toDays: 7, customers: 3 })
    expect(all.buckets.at(-1)).toEqual({ fromDays: 180, toDays: null, customers: 0 })
    expect(all.medianDays).toBe(json.totals[0]!.medianSalesCycleDays)
    const alpha = await salesCycle(site, '&campaign=alpha')
    expect(alpha.customers).toBe(2)
    expect(alpha.medianDays).toBe(
      json.rows.find((row) => row.campaign === 'alpha')!.medianSalesCycleDays,
    )
    const none = await salesCycle(site, '&campaign=gamma')
    expect(none).toMatchObject({ customers: 0, medianDays: null, p90Days: null })
  })

  it('refuses a range that ends before it starts', async () => {
    const site = await createSite()
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/reports/sales-cycle?from=${TO}&to=${FROM}`,
      'GET',
    )
    expect(response.status).toBe(422)
  })
})
