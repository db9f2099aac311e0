import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { CampaignReport } from '../../../shared/campaigns'
import {
  admin,
  call,
  createSite,
  expectProblem,
  leadBody,
  postLead,
  rowCounts,
  scopedToken,
} from '../helpers'

const QUERY = 'from=2026-01-01&to=2026-12-31'

describe('campaign and report authorisation', () => {
  it("refuses every campaign and report route without a token, with a wrong token, another site's token, or the wrong scope", async () => {
    const site = await createSite()
    const other = await createSite()
    const otherAdmin = await scopedToken(other.siteKey, ['site:admin'])
    const otherReports = await scopedToken(other.siteKey, ['reports:read'])
    const reportsOnly = await scopedToken(site.siteKey, ['reports:read'])
    const salesOnly = await scopedToken(site.siteKey, ['leads:read', 'leads:write'])
    const base = `/v1/admin/sites/${site.siteKey}`
    const spend = { entries: [{ date: '2026-11-01', amount: 100, currency: 'EUR' }] }
    const routes: [string, string, unknown, string[]][] = [
      ['PUT', `${base}/campaigns/q4`, { name: 'Q4' }, [reportsOnly, salesOnly]],
      ['PUT', `${base}/campaigns/q4/spend`, spend, [reportsOnly, salesOnly]],
      ['GET', `${base}/reports/campaigns?${QUERY}`, undefined, [salesOnly]],
      ['GET', `${base}/reports/campaigns?${QUERY}&format=csv`, undefined, [salesOnly]],
    ]
    const before = await rowCounts()
    for (const [method, path, body, wrongScopes] of routes) {
      const init = (authorization?: string): RequestInit => ({
        method,
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const missing = await expectProblem(await call(path, init()), 401, 'unauthorized')
      expect(missing.detail).toBe('Send a bearer token, or sign in to the app.')
      await expectProblem(
        await call(path, init('Bearer not-the-right-token-at-all')),
        401,
        'unauthorized',
      )
      await expectProblem(await call(path, init(`Basic ${btoa('a:b')}`)), 401, 'unauthorized')
      await expectProblem(await call(path, init(`Bearer ${otherAdmin}`)), 403, 'forbidden')
      await expectProblem(await call(path, init(`Bearer ${otherReports}`)), 403, 'forbidden')
      for (const wrongScope of wrongScopes) {
        await expectProblem(await call(path, init(`Bearer ${wrongScope}`)), 403, 'forbidden')
      }
    }
    expect(await rowCounts()).toEqual(before)
  })

  it("lets a reports:read token read its own site's report and a site:admin token write campaigns and spend", async () => {
    const site = await createSite()
    await postLead(site, leadBody(site))
    const reader = await scopedToken(site.siteKey, ['reports:read'])
    const siteAdmin = await scopedToken(site.siteKey, ['site:admin'])
    const base = `/v1/admin/sites/${site.siteKey}`
    expect(
      (await admin(`${base}/campaigns/q4-whitepaper`, 'PUT', { name: 'Q4' }, siteAdmin)).status,
    ).toBe(201)
    const today = new Date().toISOString().slice(0, 10)
    const spend = { entries: [{ date: today, amount: 100, currency: 'EUR' }] }
    expect(
      (await admin(`${base}/campaigns/q4-whitepaper/spend`, 'PUT', spend, siteAdmin)).status,
    ).toBe(200)
    const response = await admin(
      `${base}/reports/campaigns?from=${today}&to=${today}`,
      'GET',
      undefined,
      reader,
    )
    expect(response.status).toBe(200)
    const report = (await response.json()) as CampaignReport
    expect(report.rows).toEqual([
      expect.objectContaining({ campaign: 'q4-whitepaper', spend: 100, leads: 1, cpl: 100 }),
    ])
  })

  it('keeps the report and CSV out of caches, and binds the campaign key instead of splicing it into SQL', async () => {
    const site = await createSite()
    await postLead(site, leadBody(site))
    const key = "x'); DROP TABLE leads; --"
    const written = await admin(
      `/v1/admin/sites/${site.siteKey}/campaigns/${encodeURIComponent(key)}`,
      'PUT',
      { name: 'Q4' },
    )
    expect(written.status).toBe(201)
    expect(await written.json()).toMatchObject({ campaignKey: "x'); drop table leads; --" })
    const csv = await admin(
      `/v1/admin/sites/${site.siteKey}/reports/campaigns?${QUERY}&format=csv`,
      'GET',
    )
    expect(csv.status).toBe(200)
    expect(csv.headers.get('cache-control')).toBe('no-store')
    expect(csv.headers.get('x-content-type-options')).toBe('nosniff')
    const stored = await env.DB.prepare('SELECT campaign_key FROM campaigns WHERE site_key = ?1')
      .bind(site.siteKey)
      .all()
    expect(stored.results).toEqual([{ campaign_key: "x'); drop table leads; --" }])
    expect((await rowCounts()).leads).toBeGreaterThan(0)
  })
})
