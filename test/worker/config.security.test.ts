import { describe, expect, it } from 'vitest'
import { call, createSite, expectProblem } from './helpers'

describe('CORS', () => {
  it('answers a preflight from an allowed origin and refuses an unknown one', async () => {
    const site = await createSite()
    const ok = await call('/v1/leads', {
      method: 'OPTIONS',
      headers: {
        origin: site.origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(ok.status).toBe(204)
    expect(ok.headers.get('access-control-allow-origin')).toBe(site.origin)
    expect(ok.headers.get('access-control-allow-headers')).toContain('content-type')
    const evil = await call('/v1/leads', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    })
    await expectProblem(evil, 403, 'origin_not_allowed')
  })

  it('lets the refused page read why: the requesting origin alone, no credentials, nothing else', async () => {
    const site = await createSite()
    const page = 'https://www.forgotten.example'
    const refused = await call(`/v1/sites/${site.siteKey}/config`, { headers: { origin: page } })
    expect(refused.headers.get('access-control-allow-origin')).toBe(page)
    expect(refused.headers.get('vary')).toContain('Origin')
    for (const header of [
      'access-control-allow-credentials',
      'access-control-allow-methods',
      'access-control-allow-headers',
      'access-control-expose-headers',
    ])
      expect(refused.headers.get(header)).toBeNull()
    const problem = await expectProblem(refused, 403, 'origin_not_allowed')
    // The one line the widget logs (widget/README.md#setup-mistakes) names the origin to add and the site.
    expect(problem.detail).toBe(
      `This page's origin ${page} is not in the allowed origins of site "${site.siteKey}"; add it to the site's allowedOrigins (PUT /v1/admin/sites/${site.siteKey}).`,
    )

    const unknown = await call('/v1/sites/no-such-site/config', { headers: { origin: page } })
    expect(unknown.headers.get('access-control-allow-origin')).toBe(page)
    expect((await expectProblem(unknown, 404, 'site_not_found')).detail).toContain('data-site')

    // Without an Origin there is no page to answer: no CORS header at all.
    const bare = await call(`/v1/sites/${site.siteKey}/config`)
    expect(bare.headers.get('access-control-allow-origin')).toBeNull()
    await expectProblem(bare, 403, 'origin_not_allowed')
  })

  it("refuses a site's config to an origin of another site", async () => {
    const site = await createSite()
    const other = await createSite()
    await expectProblem(
      await call(`/v1/sites/${site.siteKey}/config`, { headers: { origin: other.origin } }),
      403,
    )
  })
})
