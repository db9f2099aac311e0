import { describe, expect, it } from 'vitest'
import { call, createSite, scopedToken } from '../helpers'

describe('GET /v1/admin/sites/{siteKey}/reports/dashboard is for readers of the site’s reports', () => {
  it('refuses no token, a wrong one, another site’s and one without reports:read', async () => {
    const site = await createSite()
    const other = await createSite()
    const path = `/v1/admin/sites/${site.siteKey}/reports/dashboard?from=2026-11-01&to=2026-11-10`
    const get = (token?: string) =>
      call(path, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    expect((await get()).status).toBe(401)
    expect((await get('not-a-token-at-all-0123456789')).status).toBe(401)
    expect((await get(await scopedToken(other.siteKey, ['reports:read']))).status).toBe(403)
    expect((await get(await scopedToken(site.siteKey, ['leads:read']))).status).toBe(403)
    expect((await get(await scopedToken(site.siteKey, ['reports:read']))).status).toBe(200)
  })
})
