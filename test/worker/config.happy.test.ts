import { describe, expect, it } from 'vitest'
import type { SiteConfig } from '../../shared/form'
import { BILINGUAL_FORM, call, createSite, leadBody, postLead, WHITEPAPER_FORM } from './helpers'

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

/** docs/wire-contract.md#texts-per-language */
describe('GET /v1/sites/{siteKey}/config?locale=', () => {
  const config = async (site: { siteKey: string; origin: string }, locale?: string) => {
    const response = await call(
      `/v1/sites/${site.siteKey}/config${locale === undefined ? '' : `?locale=${locale}`}`,
      { headers: { origin: site.origin } },
    )
    expect(response.status).toBe(200)
    return (await response.json()) as SiteConfig
  }

  it("serves a form in the page's language, each text and consent version in it", async () => {
    const site = await createSite({ locale: 'de' }, BILINGUAL_FORM)
    const en = (await config(site, 'en-GB')).forms[0]!
    expect(en).toMatchObject({
      locale: 'en',
      title: 'White paper 2026',
      submitLabel: 'Download',
      thanks: 'Thanks!',
    })
    expect(en.fields.map((field) => field.label)).toEqual([
      'E-Mail',
      'First name',
      'Last name',
      'Employees',
      'Phone',
    ])
    expect(en.fields[0]!.placeholder).toBe('name@company.com')
    expect(en.fields[3]).toMatchObject({
      help: 'In the whole company',
      options: ['1–49', { value: '50+', label: '50 or more' }],
    })
    expect(en.consents.map((consent) => consent.text)).toEqual([
      'Yes, I would like to receive information by email.',
      'Tracking: ja / yes.',
    ])

    const de = (await config(site, 'de')).forms[0]!
    expect(de).toMatchObject({ locale: 'de', title: 'Whitepaper 2026', thanks: 'Danke!' })
    expect(de.fields[3]!.options).toEqual(['1–49', { value: '50+', label: '50 und mehr' }])
    expect(de.consents[0]!.text).toBe('Ja, ich möchte per E-Mail Informationen erhalten.')
    // Each language's consent wording is a version of its own; a plain string is shared.
    expect(de.consents[0]!.textId).not.toBe(en.consents[0]!.textId)
    expect(de.consents[1]!.textId).toBe(en.consents[1]!.textId)
  })

  it("falls back to the site's locale for another page language, and for a form in one language", async () => {
    const bilingual = await createSite({ locale: 'en' }, BILINGUAL_FORM)
    for (const locale of [undefined, '', 'fr-CH', 'x'.repeat(100)]) {
      const answer = await config(bilingual, locale)
      expect(answer.forms[0]!.locale, `locale=${locale}`).toBe('en')
      expect(Object.keys(answer.texts)).toEqual(['en'])
    }
    // Plain strings are the site's language: an English page gets the German form whole,
    // and the widget's own texts in German with it.
    const german = await createSite({ locale: 'de' })
    const answer = await config(german, 'en')
    expect(answer.forms[0]).toMatchObject({ locale: 'de', title: 'Whitepaper 2026' })
    expect(answer.texts.de?.submit).toBe('Absenden')
    expect(answer.texts.en).toBeUndefined()
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
