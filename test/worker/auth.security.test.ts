import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  admin,
  call,
  createSite,
  expectProblem,
  ROOT,
  scopedToken,
  startInFreshRateWindow,
} from './helpers'
import { freshNetwork, lastMailTo, redeem, signInWithToken, withCookie } from './sessions'

describe('sessions are safe', () => {
  it('stores only the SHA-256 of a session cookie and of a mailed link', async () => {
    const site = await createSite()
    const address = `hash-${crypto.randomUUID().slice(0, 8)}@example.com`
    await admin(`/v1/admin/sites/${site.siteKey}/users/${address}`, 'PUT', { role: 'viewer' })
    const { link } = await lastMailTo(address)
    const { cookie } = await signInWithToken(ROOT)
    const secret = cookie.split('=')[1]!
    const dump = JSON.stringify([
      (await env.DB.prepare('SELECT * FROM sessions').all()).results,
      (await env.DB.prepare('SELECT * FROM sign_in_links').all()).results,
    ])
    expect(dump).not.toContain(secret)
    expect(dump).not.toContain(link)
    expect(dump).not.toContain(ROOT)
  })

  it('refuses cookie writes from another origin, or without an origin (CSRF)', async () => {
    const site = await createSite()
    const { cookie } = await signInWithToken(ROOT)
    const path = `/v1/admin/sites/${site.siteKey}/campaigns/q4`
    for (const headers of <Record<string, string>[]>[
      { origin: 'https://evil.example' },
      {},
      { origin: 'https://collector.test', 'sec-fetch-site': 'cross-site' },
    ])
      await expectProblem(
        await withCookie(path, cookie, 'PUT', { name: 'Q4' }, headers),
        403,
        'cross_site_request',
      )
    // Reads need no origin; a bearer token needs none either (no cookie rides on it).
    expect(
      (await withCookie(`/v1/admin/sites/${site.siteKey}/leads`, cookie, 'GET', undefined, {}))
        .status,
    ).toBe(200)
    expect((await admin(path, 'PUT', { name: 'Q4' })).status).toBe(201)
    // Signing out from another origin is refused too.
    await expectProblem(
      await withCookie('/v1/auth/session', cookie, 'DELETE', undefined, {
        origin: 'https://evil.example',
      }),
      403,
      'cross_site_request',
    )
  })

  it('refuses a sign-in posted from another origin (login CSRF)', async () => {
    const response = await call('/v1/auth/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ token: ROOT }),
    })
    await expectProblem(response, 403, 'cross_site_request')
    expect(response.headers.get('set-cookie')).toBeNull()
  })

  it('a site token’s sessions end when the token is revoked; a user sees only their sites', async () => {
    const site = await createSite()
    const other = await createSite()
    const token = await scopedToken(site.siteKey, ['site:admin'])
    const { cookie } = await signInWithToken(token)
    const tokens = await env.DB.prepare('SELECT id FROM tokens WHERE site_key = ?1')
      .bind(site.siteKey)
      .all<{ id: string }>()
    await admin(`/v1/admin/sites/${site.siteKey}/tokens/${tokens.results[0]!.id}`, 'DELETE')
    await expectProblem(await withCookie('/v1/auth/session', cookie), 401, 'unauthorized')

    const address = `cross-${crypto.randomUUID().slice(0, 8)}@example.com`
    await admin(`/v1/admin/sites/${site.siteKey}/users/${address}`, 'PUT', { role: 'admin' })
    const userCookie = (await redeem((await lastMailTo(address)).link)).headers
      .get('set-cookie')!
      .split(';')[0]!
    expect((await withCookie(`/v1/admin/sites/${site.siteKey}/users`, userCookie)).status).toBe(200)
    await expectProblem(
      await withCookie(`/v1/admin/sites/${other.siteKey}/leads`, userCookie),
      403,
      'forbidden',
    )
    // Only the root token creates sites; a site admin cannot invite people to other sites.
    await expectProblem(
      await withCookie(`/v1/admin/sites/${other.siteKey}/users/x@example.com`, userCookie, 'PUT', {
        role: 'admin',
      }),
      403,
      'forbidden',
    )
  })

  it('a viewer and a marketer cannot manage users', async () => {
    const site = await createSite()
    const token = await scopedToken(site.siteKey, ['reports:read', 'leads:read', 'campaigns:write'])
    await expectProblem(
      await admin(
        `/v1/admin/sites/${site.siteKey}/users/y@example.com`,
        'PUT',
        { role: 'admin' },
        token,
      ),
      403,
      'forbidden',
    )
  })

  it('limits sign-in link mails per recipient', async () => {
    await startInFreshRateWindow()
    const site = await createSite()
    const address = `limit-${crypto.randomUUID().slice(0, 8)}@example.com`
    await admin(`/v1/admin/sites/${site.siteKey}/users/${address}`, 'PUT', { role: 'viewer' })
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      const response = await call('/v1/auth/links', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': freshNetwork() },
        body: JSON.stringify({ email: address }),
      })
      statuses.push(response.status)
    }
    expect(statuses.slice(0, 3)).toEqual([202, 202, 202])
    expect(statuses.slice(3)).toEqual([429, 429])
  }, 40_000)
})
