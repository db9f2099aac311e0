import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  call,
  createSite,
  expectProblem,
  leadBody,
  pageView,
  postEvents,
  postLead,
  rowCounts,
  scopedToken,
  uniqueSiteKey,
} from '../helpers'
import { fetchConfig, readInstall, refusalRows, refusalsRecorded, settle } from './install-data'

describe('installation check, security', () => {
  it('answers both routes only to site:admin of that site (401 without a token, 403 otherwise)', async () => {
    const site = await createSite()
    const other = await createSite()
    const base = `/v1/admin/sites/${site.siteKey}`
    const wrong = [
      await scopedToken(site.siteKey, ['leads:read', 'leads:write', 'reports:read']),
      await scopedToken(site.siteKey, ['campaigns:write']),
      await scopedToken(other.siteKey, ['site:admin']),
    ]
    const routes: [string, string, unknown][] = [
      ['GET', `${base}/install`, undefined],
      ['POST', `${base}/origins`, { origin: 'https://intruder.example' }],
    ]
    const before = await rowCounts()
    for (const [method, path, body] of routes) {
      const init = (authorization?: string): RequestInit => ({
        method,
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      await expectProblem(await call(path, init()), 401, 'unauthorized')
      for (const token of wrong)
        await expectProblem(await call(path, init(`Bearer ${token}`)), 403, 'forbidden')
    }
    expect(await rowCounts()).toEqual(before)
    expect((await readInstall(site.siteKey)).origins.map((entry) => entry.origin)).toEqual([
      site.origin,
    ])
  })

  it('records nothing for an allowed origin, an unknown site, or an Origin that is no origin', async () => {
    const site = await createSite()
    expect((await fetchConfig(site.siteKey, site.origin)).status).toBe(200)
    expect((await postLead(site, leadBody(site))).status).toBe(201)
    const unknown = uniqueSiteKey()
    await expectProblem(await fetchConfig(unknown, 'https://x.example'), 404, 'site_not_found')
    for (const origin of ['null', 'https://x.example/path', 'javascript:alert(1)', 'x'.repeat(300)])
      await expectProblem(await fetchConfig(site.siteKey, origin), 403, 'origin_not_allowed')
    // Without an Origin header (not a browser page) the refusal names no origin to remember.
    await expectProblem(await call(`/v1/sites/${site.siteKey}/config`), 403, 'origin_not_allowed')
    await settle()
    expect(await refusalRows(site.siteKey)).toEqual([])
    expect(await refusalRows(unknown)).toEqual([])
    const { n } = (await env.DB.prepare(
      'SELECT count(*) AS n FROM origin_refusals WHERE site_key = ?1',
    )
      .bind(unknown)
      .first()) as { n: number }
    expect(n).toBe(0)
  })

  it("keeps no address, visitor id or header of a refused page, and shows no one else's refusals", async () => {
    const site = await createSite()
    const other = await createSite()
    const page = 'https://private.forgotten.example'
    await postEvents(
      page,
      {
        siteKey: site.siteKey,
        visitorId: '64b42d45-e9b8-446e-9b69-83523fe24127',
        events: [pageView(`${page}/?email=anna@firma.de`)],
      },
      { ip: '198.51.100.23', userAgent: 'Mozilla/5.0 secret-agent' },
    )
    const [row] = await refusalsRecorded(site.siteKey, 1)
    const stored = JSON.stringify(row)
    for (const secret of ['198.51.100', '64b42d45', 'secret-agent', 'anna'])
      expect(stored).not.toContain(secret)
    expect(Object.keys(row!).sort()).toEqual(
      ['count', 'first_at', 'last_at', 'last_path', 'last_request', 'origin', 'site_key'].sort(),
    )
    expect((await readInstall(other.siteKey)).refused).toEqual([])
  })

  it('shows the last events without visitor ids, hashes, queries or properties', async () => {
    const site = await createSite()
    const visitorId = 'a6c8a1b2-0d3e-4f5a-8b7c-9d0e1f2a3b4c'
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [
        pageView(`${site.origin}/offer?email=anna@firma.de`, { props: { plan: 'secret-plan' } }),
      ],
    })
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      events: [pageView(`${site.origin}/anon`)],
    })
    const install = await readInstall(site.siteKey)
    const shown = JSON.stringify(install.lastEvents)
    for (const secret of [visitorId, 'anna', 'secret-plan', '203.0.113'])
      expect(shown).not.toContain(secret)
    const { hash } = (await env.DB.prepare(
      'SELECT daily_hash AS hash FROM touchpoints WHERE site_key = ?1 AND path = ?2',
    )
      .bind(site.siteKey, '/anon')
      .first()) as { hash: string }
    expect(hash).toBeTruthy()
    expect(shown).not.toContain(hash)
    for (const event of install.lastEvents)
      expect(Object.keys(event).sort()).toEqual(['formId', 'origin', 'path', 'receivedAt', 'type'])
  })

  it("never lists another site's activity or events", async () => {
    const site = await createSite()
    const neighbour = await createSite()
    await postEvents(neighbour.origin, {
      siteKey: neighbour.siteKey,
      events: [pageView(`${neighbour.origin}/`)],
    })
    const install = await readInstall(site.siteKey)
    expect(install.lastEvents).toEqual([])
    expect(install.origins).toEqual([
      { origin: site.origin, firstPageViewAt: null, lastEventAt: null },
    ])
  })
})
