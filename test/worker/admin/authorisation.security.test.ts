import { describe, expect, it } from 'vitest'
import {
  admin,
  call,
  createSite,
  expectProblem,
  leadBody,
  postLead,
  rowCounts,
  WHITEPAPER_FORM,
  scopedToken,
} from '../helpers'

describe('admin authorisation', () => {
  it("refuses every admin route without a token, with a wrong token, another site's token, or the wrong scope", async () => {
    const site = await createSite()
    const other = await createSite()
    const lead = (await (await postLead(site, leadBody(site))).json()) as { leadId: string }
    const otherAdmin = await scopedToken(other.siteKey, ['site:admin'])
    const reportsOnly = await scopedToken(site.siteKey, ['reports:read'])
    const leadsOnly = await scopedToken(site.siteKey, ['leads:read'])
    const base = `/v1/admin/sites/${site.siteKey}`
    const routes: [string, string, unknown, string | null][] = [
      ['PUT', base, { name: 'X', allowedOrigins: [site.origin] }, leadsOnly],
      ['GET', base, undefined, leadsOnly],
      ['POST', `${base}/tokens`, { scopes: ['leads:read'] }, leadsOnly],
      ['PUT', `${base}/forms/wp`, WHITEPAPER_FORM, leadsOnly],
      ['GET', `${base}/forms`, undefined, leadsOnly],
      ['GET', `${base}/forms/wp`, undefined, leadsOnly],
      ['POST', `${base}/forms/wp/preview`, WHITEPAPER_FORM, leadsOnly],
      ['GET', `${base}/leads`, undefined, reportsOnly],
      ['GET', `${base}/leads/${lead.leadId}`, undefined, reportsOnly],
      ['POST', `${base}/leads/${lead.leadId}/stage`, { stage: 'opportunity' }, leadsOnly],
      ['DELETE', `${base}/leads/${lead.leadId}`, undefined, leadsOnly],
      ['GET', `${base}/leads/${lead.leadId}/export`, undefined, reportsOnly],
      ['POST', `${base}/leads/${lead.leadId}/consent-link`, undefined, leadsOnly],
      ['GET', `${base}/spam`, undefined, reportsOnly],
      ['POST', `${base}/spam/1/release`, undefined, leadsOnly],
      ['DELETE', `${base}/spam/1`, undefined, leadsOnly],
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
})
