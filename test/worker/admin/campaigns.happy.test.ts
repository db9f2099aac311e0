import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Campaign } from '../../../shared/campaigns'
import { admin, createSite } from '../helpers'
import { day, FROM, putSpend, report } from './campaign-data'

describe('PUT /v1/admin/sites/{siteKey}/campaigns/{campaignKey}', () => {
  it('creates a campaign under its normalised key, then replaces its fields', async () => {
    const site = await createSite()
    const path = `/v1/admin/sites/${site.siteKey}/campaigns/${encodeURIComponent(' Q4-Whitepaper ')}`
    const created = await admin(path, 'PUT', {
      name: 'Q4 Whitepaper',
      channel: 'paid_social',
      source: 'linkedin',
      medium: 'paid',
    })
    expect(created.status).toBe(201)
    expect(await created.json()).toMatchObject({
      campaignKey: 'q4-whitepaper',
      name: 'Q4 Whitepaper',
      channel: 'paid_social',
    })
    const updated = await admin(`/v1/admin/sites/${site.siteKey}/campaigns/q4-whitepaper`, 'PUT', {
      name: 'Q4 WP',
    })
    expect(updated.status).toBe(200)
    const campaign = (await updated.json()) as Campaign
    expect(campaign).toMatchObject({
      campaignKey: 'q4-whitepaper',
      name: 'Q4 WP',
      channel: null,
      source: null,
      medium: null,
    })
  })
})

describe('PUT /v1/admin/sites/{siteKey}/campaigns/{campaignKey}/spend', () => {
  it('replaces a re-imported day instead of counting it twice, and creates the campaign', async () => {
    const site = await createSite()
    const first = await putSpend(site, 'Q4-Whitepaper', [
      { date: day(-3), amount: 10000, currency: 'EUR' },
      { date: day(-2), amount: 20000, currency: 'EUR' },
      { date: day(-1), amount: 3333, currency: 'EUR' },
    ])
    expect(first).toEqual({ campaignKey: 'q4-whitepaper', written: 3 })
    const again = await putSpend(site, 'q4-whitepaper', [
      { date: day(-2), amount: 20000, currency: 'EUR' },
      { date: day(-1), amount: 5001, currency: 'EUR' },
    ])
    expect(again.written).toBe(2)
    const stored = await env.DB.prepare(
      'SELECT day, amount FROM campaign_spend WHERE site_key = ?1 AND campaign_key = ?2 ORDER BY day',
    )
      .bind(site.siteKey, 'q4-whitepaper')
      .all<{ day: string; amount: number }>()
    expect(stored.results).toEqual([
      { day: day(-3), amount: 10000 },
      { day: day(-2), amount: 20000 },
      { day: day(-1), amount: 5001 },
    ])
    const campaign = await env.DB.prepare(
      'SELECT name FROM campaigns WHERE site_key = ?1 AND campaign_key = ?2',
    )
      .bind(site.siteKey, 'q4-whitepaper')
      .first<{ name: string | null }>()
    expect(campaign).toEqual({ name: null })
    const { rows } = await report(site, 'first')
    expect(rows).toEqual([
      expect.objectContaining({
        campaign: 'q4-whitepaper',
        currency: 'EUR',
        spend: 35001,
        leads: 0,
      }),
    ])
  })
})
