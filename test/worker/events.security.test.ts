import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createSite, leadBody, pageView, postEvents, postLead, TABLES } from './helpers'

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
