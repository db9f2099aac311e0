import { describe, expect, it } from 'vitest'
import type { CampaignList, SpendList } from '../../../shared/campaigns'
import { admin, createSite, leadBody, postLead } from '../helpers'
import { putSpend } from './campaign-data'

async function list(siteKey: string, query = ''): Promise<CampaignList> {
  const response = await admin(`/v1/admin/sites/${siteKey}/campaigns${query}`, 'GET')
  expect(response.status).toBe(200)
  return (await response.json()) as CampaignList
}

describe('GET /v1/admin/sites/{siteKey}/campaigns', () => {
  it('lists named, spend-only and lead-only campaigns by key with their spend in the period', async () => {
    const site = await createSite()
    const base = `/v1/admin/sites/${site.siteKey}/campaigns`
    expect(
      (await admin(`${base}/brand`, 'PUT', { name: 'Brand', channel: 'search', source: 'google' }))
        .status,
    ).toBe(201)
    await putSpend(site, 'brand', [
      { date: '2026-10-31', amount: 999, currency: 'EUR' },
      { date: '2026-11-01', amount: 1000, currency: 'EUR' },
      { date: '2026-11-02', amount: 2500, currency: 'EUR' },
      { date: '2026-11-03', amount: 700, currency: 'USD' },
    ])
    await putSpend(site, 'Autumn', [{ date: '2026-11-05', amount: 300, currency: 'EUR' }])
    // A lead whose first and last campaign touch is q4-whitepaper (leadBody's UTM).
    expect((await postLead(site, leadBody(site))).status).toBe(201)

    const answer = await list(site.siteKey, '?from=2026-11-01&to=2026-11-30')
    expect(answer.from).toBe('2026-11-01')
    expect(answer.truncated).toBe(false)
    expect(answer.campaigns.map((c) => [c.campaignKey, c.stored, c.name])).toEqual([
      ['autumn', true, null],
      ['brand', true, 'Brand'],
      ['q4-whitepaper', false, null],
    ])
    const brand = answer.campaigns.find((c) => c.campaignKey === 'brand')!
    expect(brand).toMatchObject({ channel: 'search', source: 'google', medium: null })
    expect(brand.spend).toEqual([
      { currency: 'EUR', amount: 3500, days: 2 },
      { currency: 'USD', amount: 700, days: 1 },
    ])
    const lead = answer.campaigns.find((c) => c.campaignKey === 'q4-whitepaper')!
    expect(lead).toMatchObject({ createdAt: null, updatedAt: null, spend: [] })
  })

  it('counts spend over every day without a period, and from one side only', async () => {
    const site = await createSite()
    await putSpend(site, 'brand', [
      { date: '2025-01-01', amount: 1, currency: 'EUR' },
      { date: '2026-11-01', amount: 10, currency: 'EUR' },
    ])
    const all = await list(site.siteKey)
    expect(all).toMatchObject({ from: null, to: null })
    expect(all.campaigns[0]!.spend).toEqual([{ currency: 'EUR', amount: 11, days: 2 }])
    const since = await list(site.siteKey, '?from=2026-01-01')
    expect(since.campaigns[0]!.spend).toEqual([{ currency: 'EUR', amount: 10, days: 1 }])
    const until = await list(site.siteKey, '?to=2025-12-31')
    expect(until.campaigns[0]!.spend).toEqual([{ currency: 'EUR', amount: 1, days: 1 }])
  })

  it('answers an empty list for a site without campaigns', async () => {
    const site = await createSite()
    expect(await list(site.siteKey)).toEqual({
      from: null,
      to: null,
      campaigns: [],
      truncated: false,
    })
  })
})

describe('GET /v1/admin/sites/{siteKey}/campaigns/{campaignKey}/spend', () => {
  it('answers the stored days in the range by day, with a re-imported day at its latest amount', async () => {
    const site = await createSite()
    await putSpend(site, 'brand', [
      { date: '2026-11-03', amount: 300, currency: 'EUR' },
      { date: '2026-11-01', amount: 100, currency: 'EUR' },
      { date: '2026-12-01', amount: 5, currency: 'EUR' },
    ])
    await putSpend(site, 'brand', [{ date: '2026-11-01', amount: 150, currency: 'EUR' }])
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/campaigns/Brand/spend?from=2026-11-01&to=2026-11-30`,
      'GET',
    )
    expect(response.status).toBe(200)
    const answer = (await response.json()) as SpendList
    expect(answer).toMatchObject({ campaignKey: 'brand', from: '2026-11-01', to: '2026-11-30' })
    expect(answer.entries.map(({ date, amount, currency }) => [date, amount, currency])).toEqual([
      ['2026-11-01', 150, 'EUR'],
      ['2026-11-03', 300, 'EUR'],
    ])
    expect(answer.entries[0]!.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)
  })

  it('answers no entries for a campaign never written', async () => {
    const site = await createSite()
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/campaigns/nothing-yet/spend?from=2026-11-01&to=2026-11-01`,
      'GET',
    )
    expect(response.status).toBe(200)
    expect(((await response.json()) as SpendList).entries).toEqual([])
  })
})
