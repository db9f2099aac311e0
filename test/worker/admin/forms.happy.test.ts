import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Form } from '../../../shared/form'
import { admin, call, createSite, WHITEPAPER_FORM } from '../helpers'

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
