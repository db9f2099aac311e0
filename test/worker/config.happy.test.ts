import { describe, expect, it } from 'vitest'
import type { SiteConfig } from '../../shared/form'
import { call, createSite, leadBody, postLead, WHITEPAPER_FORM } from './helpers'

describe('GET /v1/sites/{siteKey}/config', () => {
  it("answers the site's forms with consent texts but without the gated asset URL", async () => {
    const site = await createSite()
    const response = await call(`/v1/sites/${site.siteKey}/config`, {
      headers: { origin: site.origin },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(site.origin)
    const config = (await response.json()) as SiteConfig
    expect(config.locale).toBe('de')
    expect(config.forms).toHaveLength(1)
    expect(config.forms[0]).toMatchObject({ formId: 'wp', kind: 'whitepaper', gated: true })
    expect(config.forms[0]!.consents.map((c) => c.text)).toEqual(
      WHITEPAPER_FORM.consents!.map((c) => c.text),
    )
    expect(JSON.stringify(config)).not.toContain('cdn.example')
  })
})

describe('GET /v1/sites/{siteKey}/forms/{formId}/start', () => {
  it('answers an uncached start token, and the fields a known visitor already gave', async () => {
    const site = await createSite()
    const anonymous = await call(`/v1/sites/${site.siteKey}/forms/wp/start`, {
      headers: { origin: site.origin },
    })
    expect(anonymous.status).toBe(200)
    expect(anonymous.headers.get('cache-control')).toBe('no-store')
    expect(await anonymous.json()).toMatchObject({ startToken: expect.any(String), known: [] })

    const visitorId = crypto.randomUUID()
    await postLead(
      site,
      leadBody(site, {
        visitorId,
        fields: { email: 'kim@firma.de', firstName: 'Kim', company: 'Firma' },
      }),
    )
    const known = await call(`/v1/sites/${site.siteKey}/forms/wp/start?visitorId=${visitorId}`, {
      headers: { origin: site.origin },
    })
    expect(((await known.json()) as { known: string[] }).known).toEqual([
      'email',
      'firstName',
      'company',
    ])
  })
})
