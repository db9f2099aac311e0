import { describe, expect, it } from 'vitest'
import type { FormDetail, FormList, FormPreview } from '../../../shared/form'
import { WIDGET_TEXTS } from '../../../shared/widget-texts'
import {
  admin,
  BILINGUAL_FORM,
  createSite,
  leadBody,
  postLead,
  rowCounts,
  WHITEPAPER_FORM,
} from '../helpers'

/** What the app's form builder reads and asks (docs/app.md#forms). */
describe('the form builder routes', () => {
  it('lists the forms of the site by id', async () => {
    const site = await createSite()
    const put = await admin(`/v1/admin/sites/${site.siteKey}/forms/a-newsletter`, 'PUT', {
      ...WHITEPAPER_FORM,
      kind: 'newsletter',
      title: 'Newsletter',
      asset: undefined,
    })
    expect(put.status).toBe(201)
    const response = await admin(`/v1/admin/sites/${site.siteKey}/forms`, 'GET')
    expect(response.status).toBe(200)
    const { forms } = (await response.json()) as FormList
    expect(forms.map((form) => [form.formId, form.kind])).toEqual([
      ['a-newsletter', 'newsletter'],
      ['wp', 'whitepaper'],
    ])
  })

  it('reads a form with every wording of its consents and how many of its leads saw each', async () => {
    const site = await createSite()
    const base = `/v1/admin/sites/${site.siteKey}`
    expect((await postLead(site, leadBody(site))).status).toBe(201)
    expect(
      (
        await postLead(
          site,
          leadBody(site, { fields: { ...leadBody(site).fields, email: 'b@acme.example' } }),
        )
      ).status,
    ).toBe(201)
    // A new wording of the marketing consent: the two leads saw version 1, nobody version 2 yet.
    const changed = {
      ...WHITEPAPER_FORM,
      consents: [
        { purpose: 'marketing_email', text: 'Ja, schreiben Sie mir.', required: true },
        WHITEPAPER_FORM.consents![1]!,
      ],
    }
    expect((await admin(`${base}/forms/wp`, 'PUT', changed)).status).toBe(200)
    const response = await admin(`${base}/forms/wp`, 'GET')
    expect(response.status).toBe(200)
    const form = (await response.json()) as FormDetail
    expect(form.consents.find((c) => c.purpose === 'marketing_email')?.version).toBe(2)
    const marketing = form.consentHistory.filter((entry) => entry.purpose === 'marketing_email')
    expect(marketing.map(({ version, leads, text }) => ({ version, leads, text }))).toEqual([
      { version: 1, leads: 2, text: WHITEPAPER_FORM.consents![0]!.text },
      { version: 2, leads: 0, text: 'Ja, schreiben Sie mir.' },
    ])
    expect(marketing[0]!.textId).toBe(site.consentTextIds.marketing_email)
  })

  it('previews a draft as the widget would get it, with the site theme, storing nothing', async () => {
    const site = await createSite({ theme: { accent: '#7a1fa2' } })
    const before = await rowCounts()
    const draft = {
      ...WHITEPAPER_FORM,
      title: 'Not saved yet',
      consents: [
        WHITEPAPER_FORM.consents![0]!,
        { purpose: 'newsletter', text: 'A wording nobody saw.', required: false },
      ],
    }
    const response = await admin(`/v1/admin/sites/${site.siteKey}/forms/wp/preview`, 'POST', draft)
    expect(response.status).toBe(200)
    const preview = (await response.json()) as FormPreview
    expect(preview.form).toMatchObject({
      formId: 'wp',
      title: 'Not saved yet',
      locale: 'de',
      gated: true,
    })
    expect(preview.form.consents).toEqual([
      expect.objectContaining({
        purpose: 'marketing_email',
        textId: site.consentTextIds.marketing_email,
        version: 1,
      }),
      expect.objectContaining({ purpose: 'newsletter', textId: 'preview', version: 0 }),
    ])
    expect(preview.texts).toEqual(WIDGET_TEXTS.de)
    expect(preview.theme).toEqual({ accent: '#7a1fa2' })
    expect(await rowCounts()).toEqual(before)
    const stored = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/forms/wp`, 'GET')
    ).json()) as FormDetail
    expect(stored.title).toBe(WHITEPAPER_FORM.title)
  })

  it('previews a bilingual draft in the language asked for', async () => {
    const site = await createSite({}, BILINGUAL_FORM)
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/forms/wp/preview?locale=en`,
      'POST',
      BILINGUAL_FORM,
    )
    const preview = (await response.json()) as FormPreview
    expect(preview.form.locale).toBe('en')
    expect(preview.form.locales).toEqual(['de', 'en'])
    expect(preview.form.title).toBe((BILINGUAL_FORM.title as { en: string }).en)
    expect(preview.texts).toEqual(WIDGET_TEXTS.en)
    expect(preview.theme).toBeUndefined()
  })
})
