import { describe, expect, it } from 'vitest'
import type { CampaignSeries } from '../../../shared/reports'
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

const QUERY = 'from=2026-01-01&to=2026-12-31&interval=week'

describe('campaign series authorisation', () => {
  it("refuses the series without a token, with a wrong token, another site's token, or the wrong scope", async () => {
    const site = await createSite()
    const other = await createSite()
    const otherReports = await scopedToken(other.siteKey, ['reports:read'])
    const salesOnly = await scopedToken(site.siteKey, ['leads:read', 'leads:write'])
    const path = `/v1/admin/sites/${site.siteKey}/reports/campaigns/series?${QUERY}`
    const get = (authorization?: string) =>
      call(path, { method: 'GET', headers: authorization ? { authorization } : {} })
    const before = await rowCounts()
    await expectProblem(await get(), 401, 'unauthorized')
    await expectProblem(await get('Bearer not-the-right-token-at-all'), 401, 'unauthorized')
    await expectProblem(await get(`Bearer ${otherReports}`), 403, 'forbidden')
    await expectProblem(await get(`Bearer ${salesOnly}`), 403, 'forbidden')
    expect(await rowCounts()).toEqual(before)
  })

  it("lets a reports:read token read its own site's series, and only its own site's leads", async () => {
    const site = await createSite()
    const other = await createSite()
    const utm = { source: 'linkedin', medium: 'paid', campaign: 'shared-name' }
    await postLead(site, leadBody(site, { utm }))
    await postLead(other, leadBody(other, { utm }))
    await postLead(other, leadBody(other, { utm, fields: { email: 'two@firma.de' } }))
    const reader = await scopedToken(site.siteKey, ['reports:read'])
    const today = new Date().toISOString().slice(0, 10)
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/reports/campaigns/series?from=${today}&to=${today}&interval=day`,
      'GET',
      undefined,
      reader,
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const series = (await response.json()) as CampaignSeries
    expect(series.series).toEqual([
      expect.objectContaining({
        campaign: 'shared-name',
        points: [expect.objectContaining({ leads: 1 })],
      }),
    ])
  })
})
