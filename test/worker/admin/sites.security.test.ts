import { describe, expect, it } from 'vitest'
import type { TokenCreated } from '../../../shared/site'
import { admin, createSite, expectProblem, scopedToken } from '../helpers'

describe('PUT /v1/admin/sites/{siteKey}', () => {
  it('lets only the root token create a site', async () => {
    const site = await createSite()
    const siteAdmin = await scopedToken(site.siteKey, ['site:admin'])
    const response = await admin(
      '/v1/admin/sites/brand-new-site',
      'PUT',
      { name: 'New', allowedOrigins: ['https://n.example'] },
      siteAdmin,
    )
    await expectProblem(response, 403)
  })
})

describe('DELETE /v1/admin/sites/{siteKey}/tokens/{tokenId}', () => {
  it('revokes a token at once', async () => {
    const site = await createSite()
    const created = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/tokens`, 'POST', { scopes: ['leads:read'] })
    ).json()) as TokenCreated
    expect(
      (await admin(`/v1/admin/sites/${site.siteKey}/leads`, 'GET', undefined, created.token))
        .status,
    ).toBe(200)
    expect(
      (await admin(`/v1/admin/sites/${site.siteKey}/tokens/${created.id}`, 'DELETE')).status,
    ).toBe(200)
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/leads`, 'GET', undefined, created.token),
      401,
    )
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/tokens/${created.id}`, 'DELETE'),
      404,
    )
  })
})
