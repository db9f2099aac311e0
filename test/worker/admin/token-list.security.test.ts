import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { TokenCreated, TokenList } from '../../../shared/site'
import { admin, call, createSite, expectProblem, scopedToken } from '../helpers'
import { sha256Hex } from '../../../worker/src/lib/crypto'

describe('GET /v1/admin/sites/{siteKey}/tokens, secrets and who may read it', () => {
  it('never answers a token’s value nor its hash', async () => {
    const site = await createSite()
    const created = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/tokens`, 'POST', { scopes: ['leads:read'] })
    ).json()) as TokenCreated
    const response = await admin(`/v1/admin/sites/${site.siteKey}/tokens`, 'GET')
    const text = await response.text()
    const hash = await sha256Hex(created.token)
    const stored = await env.DB.prepare('SELECT token_hash FROM tokens WHERE id = ?1')
      .bind(created.id)
      .first<{ token_hash: string }>()
    expect(stored?.token_hash).toBe(hash)
    expect(text).not.toContain(created.token)
    expect(text).not.toContain(created.token.slice(4, 24))
    expect(text).not.toContain(hash)
    const [listed] = (JSON.parse(text) as TokenList).tokens
    expect(Object.keys(listed!).sort()).toEqual(
      ['createdAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'scopes'].sort(),
    )
  })

  it('refuses no token with 401, a token without site:admin and another site’s admin with 403', async () => {
    const site = await createSite()
    const other = await createSite()
    await expectProblem(await call(`/v1/admin/sites/${site.siteKey}/tokens`), 401, 'unauthorized')
    const reader = await scopedToken(site.siteKey, ['reports:read', 'leads:read', 'leads:write'])
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/tokens`, 'GET', undefined, reader),
      403,
      'forbidden',
    )
    const otherAdmin = await scopedToken(other.siteKey, ['site:admin'])
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/tokens`, 'GET', undefined, otherAdmin),
      403,
      'forbidden',
    )
  })

  it('lists only the site’s own tokens', async () => {
    const site = await createSite()
    const other = await createSite()
    const theirs = await scopedToken(other.siteKey, ['leads:read'])
    await scopedToken(site.siteKey, ['leads:read'])
    const response = await admin(`/v1/admin/sites/${site.siteKey}/tokens`, 'GET')
    const { tokens } = (await response.json()) as TokenList
    expect(tokens).toHaveLength(1)
    expect(JSON.stringify(tokens)).not.toContain(theirs)
  })

  it('does not count a refused request as a use of the token', async () => {
    const site = await createSite()
    const reader = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/tokens`, 'POST', { scopes: ['reports:read'] })
    ).json()) as TokenCreated
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/leads`, 'GET', undefined, reader.token),
      403,
      'forbidden',
    )
    const { tokens } = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/tokens`, 'GET')
    ).json()) as TokenList
    expect(tokens[0]).toMatchObject({ id: reader.id, lastUsedAt: null })
  })
})
