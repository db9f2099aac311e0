import { describe, expect, it } from 'vitest'
import type { FormsReport } from '../../../shared/reports'
import {
  admin,
  call,
  createSite,
  expectProblem,
  pageView,
  postEvents,
  rowCounts,
  scopedToken,
} from '../helpers'

describe('form funnel authorisation', () => {
  it("refuses the form funnel without a token, with a wrong token, another site's token, or the wrong scope", async () => {
    const site = await createSite()
    const other = await createSite()
    const otherReports = await scopedToken(other.siteKey, ['reports:read'])
    const salesOnly = await scopedToken(site.siteKey, ['leads:read', 'leads:write'])
    const path = `/v1/admin/sites/${site.siteKey}/reports/forms?from=2026-01-01&to=2026-12-31`
    const get = (authorization?: string) =>
      call(path, { method: 'GET', headers: authorization ? { authorization } : {} })
    const before = await rowCounts()
    await expectProblem(await get(), 401, 'unauthorized')
    await expectProblem(await get('Bearer not-the-right-token-at-all'), 401, 'unauthorized')
    await expectProblem(await get(`Bearer ${otherReports}`), 403, 'forbidden')
    await expectProblem(await get(`Bearer ${salesOnly}`), 403, 'forbidden')
    expect(await rowCounts()).toEqual(before)
  })

  it("counts only its own site's events, for a reports:read token of that site", async () => {
    const site = await createSite()
    const other = await createSite()
    // The other site has a form with the same id and sends views for it.
    const views = (origin: string, siteKey: string, n: number) =>
      postEvents(origin, {
        siteKey,
        visitorId: crypto.randomUUID(),
        events: Array.from({ length: n }, () =>
          pageView(`${origin}/`, { type: 'form_view', formId: 'wp' }),
        ),
      })
    expect((await views(site.origin, site.siteKey, 1)).status).toBeLessThan(300)
    expect((await views(other.origin, other.siteKey, 3)).status).toBeLessThan(300)
    const reader = await scopedToken(site.siteKey, ['reports:read'])
    const today = new Date().toISOString().slice(0, 10)
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/reports/forms?from=${today}&to=${today}`,
      'GET',
      undefined,
      reader,
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const report = (await response.json()) as FormsReport
    expect(report.forms).toEqual([expect.objectContaining({ formId: 'wp', views: 1 })])
  })
})
