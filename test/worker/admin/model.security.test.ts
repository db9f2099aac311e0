import { describe, expect, it } from 'vitest'
import { admin, call, expectProblem, scopedToken } from '../helpers'
import { modelSite, populate } from './model-data'

describe('the learned score, authorisation', () => {
  it('trains with site:admin only, and is read with leads:read', async () => {
    const site = await modelSite({ model: { minPositives: 10, negativeAfterDays: 90 } })
    await populate(site, 30)
    const path = `/v1/admin/sites/${site.siteKey}/model`
    const reader = await scopedToken(site.siteKey, ['leads:read'])
    const writer = await scopedToken(site.siteKey, ['leads:write', 'reports:read'])
    const owner = await scopedToken(site.siteKey, ['site:admin'])
    await expectProblem(await admin(path, 'POST', undefined, reader), 403, 'forbidden')
    await expectProblem(await admin(path, 'POST', undefined, writer), 403, 'forbidden')
    expect((await admin(path, 'POST', undefined, owner)).status).toBe(201)
    expect((await admin(path, 'GET', undefined, reader)).status).toBe(200)
    await expectProblem(await admin(path, 'GET', undefined, writer), 403, 'forbidden')
  })

  it('refuses a token of another site, and a request without one', async () => {
    const site = await modelSite()
    const other = await modelSite()
    const path = `/v1/admin/sites/${site.siteKey}/model`
    const foreign = await scopedToken(other.siteKey, ['site:admin'])
    await expectProblem(await admin(path, 'POST', undefined, foreign), 403, 'forbidden')
    await expectProblem(await admin(path, 'GET', undefined, foreign), 403, 'forbidden')
    await expectProblem(await call(path, { method: 'POST' }), 401, 'unauthorized')
    await expectProblem(await call(path), 401, 'unauthorized')
  })

  it('keeps personal values out of the stored model and the reasons', async () => {
    const site = await modelSite({ model: { minPositives: 10, negativeAfterDays: 90 } })
    await populate(site, 30)
    expect((await admin(`/v1/admin/sites/${site.siteKey}/model`, 'POST')).status).toBe(201)
    const { env } = await import('cloudflare:workers')
    const row = await env.DB.prepare('SELECT model FROM score_models WHERE site_key = ?1')
      .bind(site.siteKey)
      .first<{ model: string }>()
    expect(row?.model).toContain('answer:occupation=teacher')
    expect(row?.model).not.toMatch(/@|firma|vorname|berg|030 /i)
    const { results } = await env.DB.prepare(
      'SELECT conversion_factors FROM leads WHERE site_key = ?1',
    )
      .bind(site.siteKey)
      .all<{ conversion_factors: string }>()
    expect(results.length).toBe(30)
    for (const lead of results) expect(lead.conversion_factors).not.toMatch(/@|firma|vorname|berg/i)
  })
})
