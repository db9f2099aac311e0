import { describe, expect, it } from 'vitest'
import type { TokenCreated, TokenList } from '../../../shared/site'
import { admin, createSite } from '../helpers'
import { signInWithToken } from '../sessions'

const issue = async (siteKey: string, body: unknown) =>
  (await (await admin(`/v1/admin/sites/${siteKey}/tokens`, 'POST', body)).json()) as TokenCreated

const list = async (siteKey: string, token?: string) => {
  const response = await admin(`/v1/admin/sites/${siteKey}/tokens`, 'GET', undefined, token)
  expect(response.status).toBe(200)
  return ((await response.json()) as TokenList).tokens
}

describe('GET /v1/admin/sites/{siteKey}/tokens', () => {
  it('lists the site’s tokens newest first, with name, scopes and times, revoked ones too', async () => {
    const site = await createSite()
    expect(await list(site.siteKey)).toEqual([])
    const crm = await issue(site.siteKey, { name: 'CRM-Sync', scopes: ['leads:read'] })
    await new Promise((resolve) => setTimeout(resolve, 5))
    const bi = await issue(site.siteKey, { scopes: ['reports:read', 'leads:read'] })
    const revoked = await admin(`/v1/admin/sites/${site.siteKey}/tokens/${crm.id}`, 'DELETE')
    const { revokedAt } = (await revoked.json()) as { revokedAt: string }
    expect(await list(site.siteKey)).toEqual([
      {
        id: bi.id,
        name: null,
        scopes: ['reports:read', 'leads:read'],
        createdAt: bi.createdAt,
        lastUsedAt: null,
        revokedAt: null,
      },
      {
        id: crm.id,
        name: 'CRM-Sync',
        scopes: ['leads:read'],
        createdAt: crm.createdAt,
        lastUsedAt: null,
        revokedAt,
      },
    ])
  })

  it('notes when a token was last used: a bearer request it signed, or a sign-in with it', async () => {
    const site = await createSite()
    const api = await issue(site.siteKey, { name: 'API', scopes: ['leads:read'] })
    const app = await issue(site.siteKey, { name: 'App', scopes: ['site:admin'] })
    const before = new Date().toISOString()
    expect(
      (await admin(`/v1/admin/sites/${site.siteKey}/leads`, 'GET', undefined, api.token)).status,
    ).toBe(200)
    await signInWithToken(app.token)
    const tokens = await list(site.siteKey)
    for (const id of [api.id, app.id]) {
      const used = tokens.find((token) => token.id === id)?.lastUsedAt
      expect(used! >= before).toBe(true)
    }
  })

  it('is readable with a site:admin token of the site, which then shows as used', async () => {
    const site = await createSite()
    const owner = await issue(site.siteKey, { name: 'Owner', scopes: ['site:admin'] })
    await list(site.siteKey, owner.token)
    const [listed] = await list(site.siteKey, owner.token)
    expect(listed).toMatchObject({ id: owner.id, name: 'Owner', lastUsedAt: expect.any(String) })
  })
})
