import { describe, expect, it } from 'vitest'
import type { CampaignList, SpendList } from '../../../shared/campaigns'
import { admin, call, createSite, expectProblem, leadBody, postLead, scopedToken } from '../helpers'
import { putSpend } from './campaign-data'

describe('campaign and spend reads, security', () => {
  it('need a token of the site with reports:read (or site:admin)', async () => {
    const site = await createSite()
    const other = await createSite()
    const base = `/v1/admin/sites/${site.siteKey}/campaigns`
    const paths = [base, `${base}/brand/spend?from=2026-11-01&to=2026-11-30`]
    const otherAdmin = await scopedToken(other.siteKey, ['site:admin'])
    const writeOnly = await scopedToken(site.siteKey, ['campaigns:write'])
    const leadsOnly = await scopedToken(site.siteKey, ['leads:read'])
    for (const path of paths) {
      await expectProblem(await call(path), 401, 'unauthorized')
      await expectProblem(
        await call(path, { headers: { authorization: 'Bearer not-the-right-token-at-all' } }),
        401,
        'unauthorized',
      )
      await expectProblem(await admin(path, 'GET', undefined, otherAdmin), 403, 'forbidden')
      await expectProblem(await admin(path, 'GET', undefined, writeOnly), 403, 'forbidden')
      await expectProblem(await admin(path, 'GET', undefined, leadsOnly), 403, 'forbidden')
    }
    for (const scopes of [['reports:read'], ['site:admin']]) {
      const token = await scopedToken(site.siteKey, scopes)
      for (const path of paths)
        expect((await admin(path, 'GET', undefined, token)).status).toBe(200)
    }
  })

  it("shows only its own site's campaigns, spend and lead keys when two sites share a key", async () => {
    const site = await createSite()
    const other = await createSite()
    await putSpend(other, 'shared', [{ date: '2026-11-01', amount: 777, currency: 'EUR' }])
    await admin(`/v1/admin/sites/${other.siteKey}/campaigns/theirs`, 'PUT', { name: 'Theirs' })
    expect((await postLead(other, leadBody(other))).status).toBe(201)
    await putSpend(site, 'shared', [{ date: '2026-11-01', amount: 5, currency: 'EUR' }])

    const token = await scopedToken(site.siteKey, ['reports:read'])
    const list = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/campaigns`, 'GET', undefined, token)
    ).json()) as CampaignList
    expect(list.campaigns.map((c) => [c.campaignKey, c.spend])).toEqual([
      ['shared', [{ currency: 'EUR', amount: 5, days: 1 }]],
    ])
    const spend = (await (
      await admin(
        `/v1/admin/sites/${site.siteKey}/campaigns/shared/spend?from=2026-11-01&to=2026-11-01`,
        'GET',
        undefined,
        token,
      )
    ).json()) as SpendList
    expect(spend.entries.map((e) => e.amount)).toEqual([5])
  })

  it('reads a campaign key made of SQL as plain data', async () => {
    const site = await createSite()
    const key = "x' OR '1'='1"
    await putSpend(site, 'innocent', [{ date: '2026-11-01', amount: 9, currency: 'EUR' }])
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/campaigns/${encodeURIComponent(key)}/spend?from=2026-11-01&to=2026-11-01`,
      'GET',
    )
    expect(response.status).toBe(200)
    expect(((await response.json()) as SpendList).entries).toEqual([])
  })

  it('answers reads with no-store', async () => {
    const site = await createSite()
    const response = await admin(`/v1/admin/sites/${site.siteKey}/campaigns`, 'GET')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
  })
})
