import { describe, expect, it } from 'vitest'
import type { FormDetail, FormList, FormPreview } from '../../../shared/form'
import { admin, createSite, leadBody, postLead, scopedToken, WHITEPAPER_FORM } from '../helpers'

/** Who may call the routes is one table in authorisation.security.test.ts; these are about what a call may reach. */
describe('the form builder routes, security', () => {
  it("shows one site only its own forms, wordings and lead counts, never another site's", async () => {
    const site = await createSite()
    const other = await createSite()
    // The other site's lead saw the same wording under the same form id.
    expect((await postLead(other, leadBody(other))).status).toBe(201)
    const token = await scopedToken(site.siteKey, ['site:admin'])
    const base = `/v1/admin/sites/${site.siteKey}`
    const list = (await (await admin(`${base}/forms`, 'GET', undefined, token)).json()) as FormList
    expect(list.forms.map((form) => form.formId)).toEqual(['wp'])
    const form = (await (
      await admin(`${base}/forms/wp`, 'GET', undefined, token)
    ).json()) as FormDetail
    expect(form.consentHistory.every((entry) => entry.leads === 0)).toBe(true)
    expect(form.consentHistory.map((entry) => entry.textId).sort()).toEqual(
      Object.values(site.consentTextIds).sort(),
    )
    // A preview never answers another site's stored text id for the same wording.
    const preview = (await (
      await admin(`${base}/forms/wp/preview`, 'POST', WHITEPAPER_FORM, token)
    ).json()) as FormPreview
    for (const consent of preview.form.consents)
      expect(Object.values(other.consentTextIds)).not.toContain(consent.textId)
    // Nor does the preview hand out the gated asset's URL.
    expect(JSON.stringify(preview)).not.toContain(WHITEPAPER_FORM.asset!.url)
  })
})
