import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { TokenCreated } from '../../shared/site'
import {
  admin,
  call,
  createSite,
  expectProblem,
  leadBody,
  pageView,
  postEvents,
  postLead,
  rowCounts,
  TABLES,
  WHITEPAPER_FORM,
} from './helpers'

async function token(siteKey: string, scopes: string[]): Promise<string> {
  const response = await admin(`/v1/admin/sites/${siteKey}/tokens`, 'POST', { scopes })
  return ((await response.json()) as TokenCreated).token
}

describe('admin authorisation', () => {
  it("refuses every admin route without a token, with a wrong token, another site's token, or the wrong scope", async () => {
    const site = await createSite()
    const other = await createSite()
    const lead = (await (await postLead(site, leadBody(site))).json()) as { leadId: string }
    const otherAdmin = await token(other.siteKey, ['site:admin'])
    const reportsOnly = await token(site.siteKey, ['reports:read'])
    const leadsOnly = await token(site.siteKey, ['leads:read'])
    const base = `/v1/admin/sites/${site.siteKey}`
    const routes: [string, string, unknown, string | null][] = [
      ['PUT', base, { name: 'X', allowedOrigins: [site.origin] }, leadsOnly],
      ['POST', `${base}/tokens`, { scopes: ['leads:read'] }, leadsOnly],
      ['PUT', `${base}/forms/wp`, WHITEPAPER_FORM, leadsOnly],
      ['GET', `${base}/leads`, undefined, reportsOnly],
      ['GET', `${base}/leads/${lead.leadId}`, undefined, reportsOnly],
      ['POST', `${base}/leads/${lead.leadId}/stage`, { stage: 'opportunity' }, leadsOnly],
      ['DELETE', `${base}/leads/${lead.leadId}`, undefined, leadsOnly],
      ['GET', `${base}/leads/${lead.leadId}/export`, undefined, reportsOnly],
      ['POST', `${base}/leads/${lead.leadId}/consent-link`, undefined, leadsOnly],
      ['GET', `${base}/spam`, undefined, reportsOnly],
      ['DELETE', `${base}/tokens/tok_doesnotmatter`, undefined, leadsOnly],
      ['PUT', `${base}/campaigns/spring`, { name: 'Spring' }, leadsOnly],
      [
        'PUT',
        `${base}/campaigns/spring/spend`,
        { entries: [{ date: '2026-11-01', amount: 100, currency: 'EUR' }] },
        leadsOnly,
      ],
      ['GET', `${base}/reports/campaigns?from=2026-11-01&to=2026-11-30`, undefined, leadsOnly],
    ]
    const before = await rowCounts()
    for (const [method, path, body, wrongScope] of routes) {
      const init = (authorization?: string): RequestInit => ({
        method,
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      await expectProblem(await call(path, init()), 401, 'unauthorized')
      await expectProblem(
        await call(path, init('Bearer not-the-right-token-at-all')),
        401,
        'unauthorized',
      )
      await expectProblem(await call(path, init(`Basic ${btoa('a:b')}`)), 401, 'unauthorized')
      await expectProblem(await call(path, init(`Bearer ${otherAdmin}`)), 403, 'forbidden')
      if (wrongScope)
        await expectProblem(await call(path, init(`Bearer ${wrongScope}`)), 403, 'forbidden')
    }
    expect(await rowCounts()).toEqual(before)
  })

  it('lets only the root token create a site', async () => {
    const site = await createSite()
    const siteAdmin = await token(site.siteKey, ['site:admin'])
    const response = await admin(
      '/v1/admin/sites/brand-new-site',
      'PUT',
      { name: 'New', allowedOrigins: ['https://n.example'] },
      siteAdmin,
    )
    await expectProblem(response, 403)
  })

  it('does not find a lead of another site', async () => {
    const site = await createSite()
    const other = await createSite()
    const lead = (await (await postLead(site, leadBody(site))).json()) as { leadId: string }
    await expectProblem(
      await admin(`/v1/admin/sites/${other.siteKey}/leads/${lead.leadId}`, 'GET'),
      404,
      'lead_not_found',
    )
  })

  it('refuses malformed and invalid admin bodies with problem+json and writes nothing', async () => {
    const site = await createSite()
    const before = await rowCounts()
    const malformed = await call(`/v1/admin/sites/${site.siteKey}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${env.LODESTONE_ROOT_TOKEN}`,
        'content-type': 'application/json',
      },
      body: '{"name":',
    })
    await expectProblem(malformed, 400)
    const badOrigin = await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
      name: 'X',
      allowedOrigins: ['https://a.example/path'],
    })
    const problem = await expectProblem(badOrigin, 422, 'validation_failed')
    expect(problem.errors?.[0]?.path).toBe('allowedOrigins.0')
    const noEmail = await admin(`/v1/admin/sites/${site.siteKey}/forms/x`, 'PUT', {
      ...WHITEPAPER_FORM,
      fields: [{ name: 'firstName', label: 'Name' }],
    })
    await expectProblem(noEmail, 422)
    expect(await rowCounts()).toEqual(before)
  })
})

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

describe('data minimisation', () => {
  it('stores no raw network address in any table', async () => {
    const site = await createSite()
    await postLead(site, leadBody(site), { ip: '203.0.113.77' })
    await postEvents(
      site.origin,
      { siteKey: site.siteKey, events: [pageView(site.origin)] },
      { ip: '203.0.113.77' },
    )
    await postEvents(
      site.origin,
      { siteKey: site.siteKey, visitorId: crypto.randomUUID(), events: [pageView(site.origin)] },
      { ip: '2001:db8:85a3:8d3:1319:8a2e:370:7348' },
    )
    await postLead(site, leadBody(site, { fields: { email: 'v6@firma.de' } }), {
      ip: '2001:db8:85a3:8d3:1319:8a2e:370:7348',
    })
    for (const table of TABLES) {
      const dump = JSON.stringify((await env.DB.prepare(`SELECT * FROM ${table}`).all()).results)
      expect(dump, table).not.toContain('203.0.113.77')
      expect(dump, table).not.toMatch(/2001:db8:85a3:8d3:1319/i)
    }
    const { results } = await env.DB.prepare(
      'SELECT network FROM consent_ledger WHERE site_key = ?1 ORDER BY id',
    )
      .bind(site.siteKey)
      .all<{ network: string }>()
    expect(results.map((r) => r.network)).toEqual(['203.0.113.0/24', '2001:db8:85a3::/48'])
  })
})
