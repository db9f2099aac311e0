import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Form } from '../../../shared/form'
import type { Locale } from '../../../shared/common'
import {
  admin,
  BILINGUAL_FORM,
  call,
  createSite,
  leadBody,
  postLead,
  WHITEPAPER_FORM,
} from '../helpers'

describe('PUT /v1/admin/sites/{siteKey}/forms/{formId}', () => {
  it('stores consent texts once with their SHA-256 and versions a changed wording', async () => {
    const site = await createSite()
    const same = await admin(`/v1/admin/sites/${site.siteKey}/forms/wp`, 'PUT', WHITEPAPER_FORM)
    expect(same.status).toBe(200)
    const sameForm = (await same.json()) as Form
    expect(sameForm.consents.find((c) => c.purpose === 'marketing_email')).toMatchObject({
      textId: site.consentTextIds.marketing_email,
      version: 1,
    })
    const changed = await admin(`/v1/admin/sites/${site.siteKey}/forms/wp`, 'PUT', {
      ...WHITEPAPER_FORM,
      consents: [{ purpose: 'marketing_email', text: 'Neuer Text.', required: true }],
    })
    const form = (await changed.json()) as Form
    expect(form.consents).toEqual([
      expect.objectContaining({ purpose: 'marketing_email', version: 2, text: 'Neuer Text.' }),
    ])
    expect(form.consents[0]!.textId).not.toBe(site.consentTextIds.marketing_email)
    const digest = [
      ...new Uint8Array(
        await crypto.subtle.digest('SHA-256', new TextEncoder().encode('Neuer Text.')),
      ),
    ]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('')
    expect(form.consents[0]!.sha256).toBe(digest)
    const { n } = (await env.DB.prepare(
      'SELECT count(*) AS n FROM consent_texts WHERE site_key = ?1',
    )
      .bind(site.siteKey)
      .first()) as { n: number }
    expect(n).toBe(3)
  })

  it('stores each language of a consent text as its own hashed version, and the ledger names the one shown', async () => {
    const site = await createSite({ locale: 'de' }, BILINGUAL_FORM)
    const response = await admin(`/v1/admin/sites/${site.siteKey}/forms/wp`, 'PUT', BILINGUAL_FORM)
    expect(response.status).toBe(200)
    const form = (await response.json()) as Form
    expect(form.locales).toEqual(['de', 'en'])
    expect(form.title).toEqual({ de: 'Whitepaper 2026', en: 'White paper 2026' })
    const marketing = form.consents.find((consent) => consent.purpose === 'marketing_email')!
    const texts = BILINGUAL_FORM.consents![0]!.text as Record<Locale, string>
    for (const locale of ['de', 'en'] as const) {
      expect(marketing.texts?.[locale]).toMatchObject({
        text: texts[locale],
        sha256: await sha256(texts[locale]),
      })
    }
    expect(marketing.texts!.de!.textId).not.toBe(marketing.texts!.en!.textId)
    // The top level is the form's first language, as before texts per language.
    expect(marketing.textId).toBe(marketing.texts!.de!.textId)

    const shown = marketing.texts!.en!
    const submitted = await postLead(
      site,
      leadBody(site, {
        locale: 'en',
        fields: { email: 'kim@firma.de', firstName: 'Kim', lastName: 'Berg', employees: '50+' },
        consents: [{ purpose: 'marketing_email', granted: true, textId: shown.textId }],
      }),
    )
    expect(submitted.status).toBe(201)
    const entry = await env.DB.prepare(
      'SELECT text_id, text_sha256 FROM consent_ledger WHERE site_key = ?1',
    )
      .bind(site.siteKey)
      .first<{ text_id: string; text_sha256: string }>()
    expect(entry).toEqual({ text_id: shown.textId, text_sha256: await sha256(texts.en) })
  })

  it('keeps a single-language form as it was: plain strings, one version per consent', async () => {
    const site = await createSite({ locale: 'en' })
    const response = await admin(`/v1/admin/sites/${site.siteKey}/forms/wp`, 'PUT', WHITEPAPER_FORM)
    const form = (await response.json()) as Form
    expect(form).toMatchObject({ locales: ['en'], title: 'Whitepaper 2026', thanks: null })
    expect(form.consents.every((consent) => consent.texts === undefined)).toBe(true)
  })

  it("keeps a popup's mobile trigger and hands it to the widget with the config", async () => {
    const site = await createSite()
    const popup = {
      trigger: 'exit_intent',
      frequency: 'days',
      days: 7,
      mobile: { trigger: 'scroll_up', value: 50 },
    }
    const stored = await admin(`/v1/admin/sites/${site.siteKey}/forms/wp`, 'PUT', {
      ...WHITEPAPER_FORM,
      popup,
    })
    expect(((await stored.json()) as Form).popup).toEqual(popup)
    const config = (await (
      await call(`/v1/sites/${site.siteKey}/config`, { headers: { origin: site.origin } })
    ).json()) as { forms: Form[] }
    expect(config.forms[0]!.popup).toEqual(popup)
  })
})

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
