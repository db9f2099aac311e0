import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSite, expectProblem, rowCounts } from './helpers'
import { inboundKey, leadRow, linkLead, newLead, pipedriveV1, postInbound } from './deal-data'

describe('POST /v1/inbound/{siteKey}/{source}, the key', () => {
  afterEach(() => vi.restoreAllMocks())

  it('answers 401 for no key, a wrong key, another CRM’s key, another site’s key and an old key', async () => {
    const site = await createSite()
    const other = await createSite()
    const leadId = await newLead(site)
    await linkLead(site, leadId, 'pipedrive', '1234')
    const first = await inboundKey(site, 'pipedrive')
    const rotated = await inboundKey(site, 'pipedrive')
    const hubspot = await inboundKey(site, 'hubspot')
    const elsewhere = await inboundKey(other, 'pipedrive')
    const base = `https://collector.test/v1/inbound/${site.siteKey}/pipedrive`
    const body = pipedriveV1({ id: 4711, person_id: 1234 })
    const before = await rowCounts()
    for (const url of [
      base,
      `${base}?key=`,
      `${base}?key=lsi_${'A'.repeat(43)}`,
      `${base}?key=${hubspot.key}`,
      `${base}?key=${elsewhere.key}`,
      first.url,
      `https://collector.test/v1/inbound/no-such-site/pipedrive?key=${rotated.key}`,
    ]) {
      await expectProblem(await postInbound(url, body), 401, 'unauthorized')
    }
    await expectProblem(
      await postInbound(base, body, { authorization: `Basic ${btoa('x:wrong-key-0123456789')}` }),
      401,
      'unauthorized',
    )
    // Checked before the body is read: a bad key with a bad body is still 401.
    await expectProblem(await postInbound(first.url, '{not json'), 401, 'unauthorized')
    expect(await rowCounts()).toEqual(before)
    expect((await leadRow(leadId))!.stage).toBe('lead')
    expect((await postInbound(rotated.url, body)).status).toBe(201)
  })

  it('logs nothing about the person of a deal it cannot match, and answers nothing about it', async () => {
    const site = await createSite()
    const { url } = await inboundKey(site, 'hubspot')
    const logged: unknown[] = []
    for (const method of ['log', 'info', 'warn', 'error'] as const)
      vi.spyOn(console, method).mockImplementation((...args) => void logged.push(...args))
    const response = await postInbound(url, {
      dealId: '1',
      email: 'secret.person@firma.de',
      amount: 10,
      currency: 'EUR',
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const text = await response.text()
    expect(text).toBe(JSON.stringify({ ignored: true, reason: 'no such lead' }))
    expect(JSON.stringify(logged)).not.toContain('secret.person')
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM won_deals WHERE site_key = ?1')
      .bind(site.siteKey)
      .first<{ n: number }>()
    expect(stored!.n).toBe(0)
  })

  it('does not move a lead of another site linked under the same CRM id', async () => {
    const site = await createSite()
    const other = await createSite()
    const theirs = await newLead(other)
    await linkLead(other, theirs, 'pipedrive', '1234')
    const { url } = await inboundKey(site, 'pipedrive')
    const response = await postInbound(url, pipedriveV1({ id: 9, person_id: 1234 }))
    expect(await response.json()).toEqual({ ignored: true, reason: 'no such lead' })
    expect((await leadRow(theirs))!.stage).toBe('lead')
  })
})
