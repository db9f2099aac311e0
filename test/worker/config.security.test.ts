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

  it("refuses a site's config to an origin of another site", async () => {
    const site = await createSite()
    const other = await createSite()
    await expectProblem(
      await call(`/v1/sites/${site.siteKey}/config`, { headers: { origin: other.origin } }),
      403,
    )
  })
})
