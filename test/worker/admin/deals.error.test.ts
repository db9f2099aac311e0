import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, call, createSite, expectProblem, ROOT, rowCounts } from '../helpers'
import { leadRow, newLead, postDeal } from '../deal-data'

async function wonDeals(siteKey: string): Promise<number> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM won_deals WHERE site_key = ?1')
    .bind(siteKey)
    .first<{ n: number }>()
  return row!.n
}

describe('POST /v1/admin/sites/{siteKey}/deals, refused', () => {
  it('answers 422 per field for a body that does not fit, and writes nothing', async () => {
    const site = await createSite()
    const leadId = await newLead(site)
    const good = { dealId: 'D-1', leadId, amount: 1000, currency: 'EUR' }
    const cases: [Record<string, unknown>, string][] = [
      [{ dealId: 'D-1', amount: 1000, currency: 'EUR' }, 'leadId'],
      [{ ...good, email: 'anna@firma.de' }, 'email'],
      [{ ...good, currency: 'eur' }, 'currency'],
      [{ ...good, currency: 'EURO' }, 'currency'],
      [{ ...good, amount: -1 }, 'amount'],
      [{ ...good, amount: 10.5 }, 'amount'],
      [{ ...good, amount: 1e14 }, 'amount'],
      [{ ...good, amount: '1000' }, 'amount'],
      [{ ...good, dealId: '' }, 'dealId'],
      [{ ...good, dealId: 'x'.repeat(101) }, 'dealId'],
      [{ ...good, dealId: 'tab\there' }, 'dealId'],
      [{ ...good, dealId: ' padded ' }, 'dealId'],
      [{ ...good, leadId: 'not-a-uuid' }, 'leadId'],
      [{ ...good, wonAt: 'yesterday' }, 'wonAt'],
      [{ ...good, stage: 'customer' }, '(body)'],
    ]
    const before = await rowCounts()
    for (const [body, path] of cases) {
      const problem = await expectProblem(await postDeal(site, body), 422, 'validation_failed')
      expect(
        problem.errors?.some((e) => e.path === path),
        JSON.stringify({ body, errors: problem.errors }),
      ).toBe(true)
    }
    expect(await rowCounts()).toEqual(before)
    expect(await wonDeals(site.siteKey)).toBe(0)
  })

  it('refuses an address that is none, a wonAt in the future or before the lead was seen', async () => {
    const site = await createSite()
    const leadId = await newLead(site)
    const base = { dealId: 'D-1', amount: 1000, currency: 'EUR' }
    const email = await expectProblem(
      await postDeal(site, { ...base, email: 'not an address' }),
      422,
      'validation_failed',
    )
    expect(email.errors).toEqual([expect.objectContaining({ path: 'email', reason: 'email' })])
    const future = new Date(Date.now() + 3600_000).toISOString()
    const later = await expectProblem(
      await postDeal(site, { ...base, leadId, wonAt: future }),
      422,
      'validation_failed',
    )
    expect(later.errors).toEqual([expect.objectContaining({ path: 'wonAt' })])
    const earlier = await expectProblem(
      await postDeal(site, { ...base, leadId, wonAt: '2020-01-01T00:00:00Z' }),
      422,
      'validation_failed',
    )
    expect(earlier.errors).toEqual([
      expect.objectContaining({ path: 'wonAt', message: 'is before the lead was first seen' }),
    ])
    expect(await wonDeals(site.siteKey)).toBe(0)
    expect((await leadRow(leadId))!.stage).toBe('lead')
  })

  it('answers 404 for an unknown lead, an unknown address, an erased lead and an unknown site', async () => {
    const site = await createSite()
    const base = { dealId: 'D-1', amount: 1000, currency: 'EUR' }
    await expectProblem(
      await postDeal(site, { ...base, leadId: crypto.randomUUID() }),
      404,
      'lead_not_found',
    )
    await expectProblem(
      await postDeal(site, { ...base, email: 'nobody@firma.de' }),
      404,
      'lead_not_found',
    )
    const erased = await newLead(site, 'erased@firma.de')
    expect((await admin(`/v1/admin/sites/${site.siteKey}/leads/${erased}`, 'DELETE')).status).toBe(
      200,
    )
    await expectProblem(await postDeal(site, { ...base, leadId: erased }), 404, 'lead_not_found')
    await expectProblem(
      await postDeal(site, { ...base, email: 'erased@firma.de' }),
      404,
      'lead_not_found',
    )
    await expectProblem(
      await admin('/v1/admin/sites/no-such-site/deals', 'POST', {
        ...base,
        leadId: erased,
      }),
      404,
      'site_not_found',
    )
    expect(await wonDeals(site.siteKey)).toBe(0)
  })

  it('answers 400 problem+json for a body that is not JSON', async () => {
    const site = await createSite()
    const response = await call(`/v1/admin/sites/${site.siteKey}/deals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ROOT}`, 'content-type': 'application/json' },
      body: '{"dealId":',
    })
    await expectProblem(response, 400)
  })
})

describe('PUT /v1/admin/sites/{siteKey}/inbound/{source}, refused', () => {
  it('answers 422 for a CRM Lodestone does not read and 404 for an unknown site', async () => {
    const site = await createSite()
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/inbound/salesforce`, 'PUT'),
      422,
      'validation_failed',
    )
    await expectProblem(
      await admin('/v1/admin/sites/no-such-site/inbound/pipedrive', 'PUT'),
      404,
      'site_not_found',
    )
  })
})
