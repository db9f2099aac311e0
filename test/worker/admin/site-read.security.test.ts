import { describe, expect, it } from 'vitest'
import { admin, call, createSite, expectProblem, scopedToken } from '../helpers'
import { signInWithToken, withCookie } from '../sessions'

describe('GET /v1/admin/sites/{siteKey}, who may read it', () => {
  it('refuses no token and a wrong token with 401', async () => {
    const site = await createSite()
    await expectProblem(await call(`/v1/admin/sites/${site.siteKey}`), 401, 'unauthorized')
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}`, 'GET', undefined, 'not-a-token-of-anyone'),
      401,
      'unauthorized',
    )
  })

  it('refuses a token without site:admin, and another site’s admin, with 403', async () => {
    const site = await createSite()
    const other = await createSite()
    const everyOtherScope = await scopedToken(site.siteKey, [
      'reports:read',
      'leads:read',
      'leads:write',
      'campaigns:write',
    ])
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}`, 'GET', undefined, everyOtherScope),
      403,
      'forbidden',
    )
    const otherAdmin = await scopedToken(other.siteKey, ['site:admin'])
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}`, 'GET', undefined, otherAdmin),
      403,
      'forbidden',
    )
  })

  it('refuses a session of a token without site:admin, and reads with one that has it', async () => {
    const site = await createSite()
    const reader = await signInWithToken(await scopedToken(site.siteKey, ['leads:read']))
    await expectProblem(
      await withCookie(`/v1/admin/sites/${site.siteKey}`, reader.cookie),
      403,
      'forbidden',
    )
    const owner = await signInWithToken(await scopedToken(site.siteKey, ['site:admin']))
    expect((await withCookie(`/v1/admin/sites/${site.siteKey}`, owner.cookie)).status).toBe(200)
  })
})
