import { describe, expect, it } from 'vitest'
import type { SiteDetail } from '../../../shared/site'
import { admin, createSite, leadBody, postLead, scopedToken } from '../helpers'

describe('GET /v1/admin/sites/{siteKey}', () => {
  it('answers the site as PUT stored it, with the defaults it filled in', async () => {
    const site = await createSite({
      country: 'AT',
      stageModel: 'b2c',
      rules: { mqlThreshold: 40, halfLifeDays: 14 },
      accentColor: '#C2410C',
    })
    const response = await admin(`/v1/admin/sites/${site.siteKey}`, 'GET')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as SiteDetail
    expect(body).toEqual({
      siteKey: site.siteKey,
      name: 'Acme GmbH',
      allowedOrigins: [site.origin],
      locale: 'de',
      country: 'AT',
      stageModel: 'b2c',
      requiredFields: ['email', 'firstName', 'lastName'],
      rules: { mqlThreshold: 40, halfLifeDays: 14 },
      retentionDays: 396,
      turnstile: false,
      accentColor: '#c2410c',
      theme: {},
      model: { minPositives: 50, negativeAfterDays: 90 },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      stageModelLocked: false,
    })
  })

  it('says the stage model is locked once the site has a lead', async () => {
    const site = await createSite()
    expect(
      ((await (await admin(`/v1/admin/sites/${site.siteKey}`, 'GET')).json()) as SiteDetail)
        .stageModelLocked,
    ).toBe(false)
    expect((await postLead(site, leadBody(site))).status).toBe(201)
    expect(
      ((await (await admin(`/v1/admin/sites/${site.siteKey}`, 'GET')).json()) as SiteDetail)
        .stageModelLocked,
    ).toBe(true)
  })

  it('answers what a GET gives back to PUT unchanged, so an edit round-trips', async () => {
    const site = await createSite()
    const read = (await (
      await admin(`/v1/admin/sites/${site.siteKey}`, 'GET')
    ).json()) as SiteDetail
    const { siteKey, createdAt, updatedAt, stageModelLocked, ...input } = read
    const saved = await admin(`/v1/admin/sites/${siteKey}`, 'PUT', {
      ...input,
      accentColor: input.accentColor ?? undefined,
    })
    expect(saved.status).toBe(200)
    expect({ ...((await saved.json()) as SiteDetail), updatedAt }).toEqual({
      ...input,
      siteKey,
      createdAt,
      updatedAt,
    })
    expect(stageModelLocked).toBe(false)
  })

  it('is open to a site:admin token of the site', async () => {
    const site = await createSite()
    const token = await scopedToken(site.siteKey, ['site:admin'])
    const response = await admin(`/v1/admin/sites/${site.siteKey}`, 'GET', undefined, token)
    expect(response.status).toBe(200)
    expect(((await response.json()) as SiteDetail).siteKey).toBe(site.siteKey)
  })
})
