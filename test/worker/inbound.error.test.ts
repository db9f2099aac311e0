import { describe, expect, it } from 'vitest'
import { call, createSite, expectProblem } from './helpers'
import { inboundKey, leadRow, linkLead, newLead, pipedriveV1, postInbound } from './deal-data'

describe('POST /v1/inbound/{siteKey}/{source}, refused', () => {
  it('answers 404 for a CRM Lodestone does not read', async () => {
    const site = await createSite()
    const { key } = await inboundKey(site, 'pipedrive')
    await expectProblem(
      await postInbound(
        `https://collector.test/v1/inbound/${site.siteKey}/salesforce?key=${key}`,
        pipedriveV1({ id: 1 }),
      ),
      404,
      'not_found',
    )
  })

  it('answers 422 per field for a won deal whose value, currency or id cannot be read', async () => {
    const site = await createSite()
    const leadId = await newLead(site)
    await linkLead(site, leadId, 'pipedrive', '77')
    const { url } = await inboundKey(site, 'pipedrive')
    const cases: [Record<string, unknown>, string][] = [
      [{ id: 1, person_id: 77, value: 'a lot' }, 'current.value'],
      [{ id: 1, person_id: 77, value: -5 }, 'current.value'],
      [{ id: 1, person_id: 77, value: 1e20 }, 'current.value'],
      [{ id: 1, person_id: 77, currency: 'Euro' }, 'current.currency'],
      [{ id: 1, person_id: 77, currency: null }, 'current.currency'],
      [{ id: 'x'.repeat(101), person_id: 77 }, 'current.id'],
      [{ id: null, person_id: 77 }, 'current.id'],
    ]
    for (const [deal, path] of cases) {
      const body = pipedriveV1(deal)
      if (deal.id === null) body.meta.id = undefined
      const problem = await expectProblem(await postInbound(url, body), 422, 'validation_failed')
      expect(
        problem.errors?.map((e) => e.path),
        JSON.stringify(deal),
      ).toContain(path)
    }
    const hubspot = (await inboundKey(site, 'hubspot')).url
    const problem = await expectProblem(
      await postInbound(hubspot, {
        dealId: '1',
        email: 'a@firma.de',
        amount: '1.500,00',
        currency: 'EUR',
      }),
      422,
      'validation_failed',
    )
    expect(problem.errors?.map((e) => e.path)).toEqual(['amount'])
    expect((await leadRow(leadId))!.stage).toBe('lead')
  })

  it('answers 400 or 422 problem+json for a body that is not a JSON object', async () => {
    const site = await createSite()
    const { url } = await inboundKey(site, 'pipedrive')
    await expectProblem(await postInbound(url, '{"current":'), 400)
    await expectProblem(await postInbound(url, '[1, 2]'), 422, 'validation_failed')
    const path = url.replace('https://collector.test', '')
    const text = await call(path, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'won',
    })
    expect(text.status).toBeGreaterThanOrEqual(400)
    expect(text.status).toBeLessThan(500)
    expect(text.headers.get('content-type')).toContain('application/problem+json')
  })
})
