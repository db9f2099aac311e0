import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { EventBatchResult } from '../../shared/events'
import { call, createSite, pageView, postEvents } from './helpers'

describe('POST /v1/events', () => {
  it('stores an event sent twice once, answering 202 with accepted and duplicates', async () => {
    const site = await createSite()
    const event = pageView(`${site.origin}/pricing`)
    const first = await postEvents(site.origin, { siteKey: site.siteKey, events: [event] })
    expect(first.status).toBe(202)
    expect((await first.json()) as EventBatchResult).toEqual({ accepted: 1, duplicates: 0 })
    const again = await postEvents(site.origin, {
      siteKey: site.siteKey,
      events: [event, pageView(`${site.origin}/`)],
    })
    expect(await again.json()).toEqual({ accepted: 1, duplicates: 1 })
    const { n } = (await env.DB.prepare('SELECT count(*) AS n FROM touchpoints WHERE site_key = ?1')
      .bind(site.siteKey)
      .first()) as { n: number }
    expect(n).toBe(2)
  })

  it('accepts text/plain (sendBeacon) and application/json bodies alike', async () => {
    const site = await createSite()
    const plain = await postEvents(site.origin, {
      siteKey: site.siteKey,
      events: [pageView(site.origin + '/a')],
    })
    const json = await postEvents(
      site.origin,
      { siteKey: site.siteKey, events: [pageView(site.origin + '/b')] },
      { contentType: 'application/json' },
    )
    expect([plain.status, json.status]).toEqual([202, 202])
  })

  it('keeps UTM and referrer per touchpoint, with the campaign key trimmed and lower-cased', async () => {
    const site = await createSite()
    const event = pageView(`${site.origin}/lp?utm_source=linkedin`, {
      referrer: 'https://www.linkedin.com/',
      utm: { source: 'linkedin', medium: 'paid', campaign: ' Q4-Whitepaper ', content: 'banner-a' },
      props: { gclid: 'abc123', variant: 'b' },
    })
    await postEvents(site.origin, { siteKey: site.siteKey, events: [event] })
    const row = await env.DB.prepare(
      'SELECT path, referrer, utm_source, utm_medium, utm_campaign, utm_content, props, visitor_id, daily_hash FROM touchpoints WHERE event_id = ?1',
    )
      .bind(event.id)
      .first<Record<string, string | null>>()
    expect(row).toMatchObject({
      path: '/lp',
      referrer: 'https://www.linkedin.com/',
      utm_source: 'linkedin',
      utm_medium: 'paid',
      utm_campaign: 'q4-whitepaper',
      utm_content: 'banner-a',
      // Without tracking consent the click id is not kept.
      props: '{"variant":"b"}',
      visitor_id: null,
    })
    expect(row!.daily_hash).toMatch(/^[0-9a-f]{32}$/)
  })

  it('counts a visitor without consent by a daily hash that differs by address and never stores the address', async () => {
    const site = await createSite()
    await postEvents(
      site.origin,
      { siteKey: site.siteKey, events: [pageView(site.origin + '/x')] },
      { ip: '198.51.100.7' },
    )
    await postEvents(
      site.origin,
      { siteKey: site.siteKey, events: [pageView(site.origin + '/y')] },
      { ip: '198.51.100.7' },
    )
    await postEvents(
      site.origin,
      { siteKey: site.siteKey, events: [pageView(site.origin + '/z')] },
      { ip: '2001:db8::1' },
    )
    const { results } = await env.DB.prepare(
      'SELECT daily_hash FROM touchpoints WHERE site_key = ?1 ORDER BY seq',
    )
      .bind(site.siteKey)
      .all<{ daily_hash: string }>()
    expect(results[0]!.daily_hash).toBe(results[1]!.daily_hash)
    expect(results[2]!.daily_hash).not.toBe(results[0]!.daily_hash)
  })

  it('keeps origin and path of a URL and its referrer but never their query or fragment', async () => {
    const site = await createSite()
    const event = pageView(`${site.origin}/danke?email=anna%40firma.de&utm_source=x#top`, {
      referrer: 'https://search.example/results?q=anna%40firma.de#r',
    })
    await postEvents(site.origin, { siteKey: site.siteKey, events: [event] })
    const row = await env.DB.prepare(
      'SELECT url, path, referrer FROM touchpoints WHERE event_id = ?1',
    )
      .bind(event.id)
      .first()
    expect(row).toEqual({
      url: `${site.origin}/danke`,
      path: '/danke',
      referrer: 'https://search.example/results',
    })
  })

  it('keeps click ids only with tracking consent, and treats Global Privacy Control as a refusal', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    const consented = pageView(site.origin, { props: { gclid: 'abc123' } })
    await postEvents(site.origin, { siteKey: site.siteKey, visitorId, events: [consented] })
    const kept = await env.DB.prepare(
      'SELECT props, visitor_id FROM touchpoints WHERE event_id = ?1',
    )
      .bind(consented.id)
      .first()
    expect(kept).toEqual({ props: '{"gclid":"abc123"}', visitor_id: visitorId })

    const gpc = pageView(site.origin, { props: { gclid: 'abc123' } })
    await call('/v1/events', {
      method: 'POST',
      headers: {
        origin: site.origin,
        'content-type': 'text/plain',
        'sec-gpc': '1',
        'cf-connecting-ip': '203.0.113.8',
      },
      body: JSON.stringify({ siteKey: site.siteKey, visitorId, events: [gpc] }),
    })
    const refused = await env.DB.prepare(
      'SELECT props, visitor_id, daily_hash FROM touchpoints WHERE event_id = ?1',
    )
      .bind(gpc.id)
      .first()
    expect(refused).toEqual({ props: null, visitor_id: null, daily_hash: null })
  })

  it('stores a batch sent after a refusal with neither visitor id nor daily hash, so no lead can take it over', async () => {
    const site = await createSite()
    const undecided = pageView(site.origin)
    const refusedEvent = pageView(`${site.origin}/pricing`, { props: { gclid: 'abc123' } })
    await postEvents(site.origin, { siteKey: site.siteKey, events: [undecided] })
    const response = await postEvents(site.origin, {
      siteKey: site.siteKey,
      // A refusal wins over a visitor id sent along with it, as Global Privacy Control does.
      visitorId: crypto.randomUUID(),
      consent: 'refused',
      events: [refusedEvent],
    })
    expect(response.status).toBe(202)
    const { results } = await env.DB.prepare(
      'SELECT event_id, visitor_id, daily_hash IS NOT NULL AS hashed, props FROM touchpoints WHERE site_key = ?1',
    )
      .bind(site.siteKey)
      .all()
    expect(results).toEqual(
      expect.arrayContaining([
        { event_id: undecided.id, visitor_id: null, hashed: 1, props: null },
        { event_id: refusedEvent.id, visitor_id: null, hashed: 0, props: null },
      ]),
    )
  })

  it('uses the visitor id instead of a hash when the visitor consented to tracking', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [pageView(site.origin)],
    })
    const row = await env.DB.prepare(
      'SELECT visitor_id, daily_hash FROM touchpoints WHERE site_key = ?1',
    )
      .bind(site.siteKey)
      .first()
    expect(row).toEqual({ visitor_id: visitorId, daily_hash: null })
  })

  it('clamps a client clock in the future to the receive time', async () => {
    const site = await createSite()
    const event = pageView(site.origin, { ts: '2099-01-01T00:00:00Z' })
    await postEvents(site.origin, { siteKey: site.siteKey, events: [event] })
    const row = (await env.DB.prepare(
      'SELECT occurred_at, received_at FROM touchpoints WHERE event_id = ?1',
    )
      .bind(event.id)
      .first()) as { occurred_at: string; received_at: string }
    expect(row.occurred_at).toBe(row.received_at)
  })
})
