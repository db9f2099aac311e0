import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem, rowCounts, scopedToken } from '../helpers'

/** Who may call the routes is one table in authorisation.security.test.ts; these are about what a call may reach. */
describe('campaign and spend writes, security', () => {
  async function storedCampaign(siteKey: string, campaignKey: string) {
    const campaign = await env.DB.prepare(
      'SELECT name, channel FROM campaigns WHERE site_key = ?1 AND campaign_key = ?2',
    )
      .bind(siteKey, campaignKey)
      .first<{ name: string | null; channel: string | null }>()
    const { results: spend } = await env.DB.prepare(
      'SELECT day, amount, currency FROM campaign_spend WHERE site_key = ?1 AND campaign_key = ?2 ORDER BY day',
    )
      .bind(siteKey, campaignKey)
      .all()
    return { campaign, spend }
  }

  it("writes only its own site's campaign and spend when two sites use the same campaign key", async () => {
    const site = await createSite()
    const other = await createSite()
    const otherBase = `/v1/admin/sites/${other.siteKey}/campaigns/q4`
    expect((await admin(otherBase, 'PUT', { name: 'Theirs', channel: 'email' })).status).toBe(201)
    const theirs = { entries: [{ date: '2026-11-01', amount: 500, currency: 'EUR' }] }
    expect((await admin(`${otherBase}/spend`, 'PUT', theirs)).status).toBe(200)
    const otherBefore = await storedCampaign(other.siteKey, 'q4')

    const token = await scopedToken(site.siteKey, ['site:admin'])
    const base = `/v1/admin/sites/${site.siteKey}/campaigns/Q4`
    expect((await admin(base, 'PUT', { name: 'Ours' }, token)).status).toBe(201)
    const ours = {
      entries: [
        { date: '2026-11-01', amount: 99999, currency: 'USD' },
        { date: '2026-11-02', amount: 1, currency: 'USD' },
      ],
    }
    expect((await admin(`${base}/spend`, 'PUT', ours, token)).status).toBe(200)

    expect(await storedCampaign(other.siteKey, 'q4')).toEqual(otherBefore)
    expect(await storedCampaign(site.siteKey, 'q4')).toEqual({
      campaign: { name: 'Ours', channel: null },
      spend: [
        { day: '2026-11-01', amount: 99999, currency: 'USD' },
        { day: '2026-11-02', amount: 1, currency: 'USD' },
      ],
    })
  })

  it('stores a campaign key made of SQL as plain data, normalised like any key', async () => {
    const site = await createSite()
    const key = "x'); DELETE FROM campaigns; --"
    const before = await rowCounts()
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/campaigns/${encodeURIComponent(key)}`,
      'PUT',
      { name: 'Injected?' },
    )
    expect(response.status).toBe(201)
    expect(((await response.json()) as { campaignKey: string }).campaignKey).toBe(key.toLowerCase())
    expect(await rowCounts()).toEqual({ ...before, campaigns: before.campaigns! + 1 })
  })

  it('answers writes and refusals with no-store', async () => {
    const site = await createSite()
    const base = `/v1/admin/sites/${site.siteKey}/campaigns/q4`
    const created = await admin(base, 'PUT', { name: 'Q4' })
    expect(created.status).toBe(201)
    expect(created.headers.get('cache-control')).toBe('no-store')
    const spend = await admin(`${base}/spend`, 'PUT', {
      entries: [{ date: '2026-11-01', amount: 1, currency: 'EUR' }],
    })
    expect(spend.status).toBe(200)
    expect(spend.headers.get('cache-control')).toBe('no-store')
    const refused = await admin(`/v1/admin/sites/no-such-site/campaigns/q4`, 'PUT', { name: 'Q4' })
    await expectProblem(refused, 404, 'site_not_found')
    expect(refused.headers.get('cache-control')).toBe('no-store')
  })
})
