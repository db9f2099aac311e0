import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, createSite, rowCounts, scopedToken, WHITEPAPER_FORM } from '../helpers'

/** Who may call the route is one table in authorisation.security.test.ts; these are about what a call may reach. */
describe('PUT /v1/admin/sites/{siteKey}/forms/{formId}, security', () => {
  async function storedForm(siteKey: string, formId: string) {
    return env.DB.prepare('SELECT title, consents FROM forms WHERE site_key = ?1 AND form_id = ?2')
      .bind(siteKey, formId)
      .first<{ title: string; consents: string }>()
  }

  it("rewrites only its own site's form when two sites use the same form id", async () => {
    const site = await createSite()
    const other = await createSite()
    const otherBefore = await storedForm(other.siteKey, 'wp')
    const token = await scopedToken(site.siteKey, ['site:admin'])
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/forms/wp`,
      'PUT',
      { ...WHITEPAPER_FORM, title: 'Rewritten by site A' },
      token,
    )
    expect(response.status).toBe(200)
    expect((await storedForm(site.siteKey, 'wp'))?.title).toBe('Rewritten by site A')
    expect(await storedForm(other.siteKey, 'wp')).toEqual(otherBefore)
  })

  it('never hands one site the consent text id of another site with the same wording', async () => {
    const site = await createSite()
    const other = await createSite()
    // Both sites saved WHITEPAPER_FORM: the same wording, yet each owns its texts.
    for (const purpose of ['marketing_email', 'tracking']) {
      expect(site.consentTextIds[purpose]).toBeTruthy()
      expect(other.consentTextIds[purpose]).not.toBe(site.consentTextIds[purpose])
    }
    const { results } = await env.DB.prepare(
      'SELECT id, site_key FROM consent_texts WHERE id IN (?1, ?2, ?3, ?4)',
    )
      .bind(
        site.consentTextIds.marketing_email,
        site.consentTextIds.tracking,
        other.consentTextIds.marketing_email,
        other.consentTextIds.tracking,
      )
      .all<{ id: string; site_key: string }>()
    expect(Object.fromEntries(results.map((row) => [row.id, row.site_key]))).toEqual({
      [site.consentTextIds.marketing_email!]: site.siteKey,
      [site.consentTextIds.tracking!]: site.siteKey,
      [other.consentTextIds.marketing_email!]: other.siteKey,
      [other.consentTextIds.tracking!]: other.siteKey,
    })
  })

  it('refuses a body that names another site, and writes nothing', async () => {
    const site = await createSite()
    const other = await createSite()
    const before = await rowCounts()
    const response = await admin(`/v1/admin/sites/${site.siteKey}/forms/smuggled`, 'PUT', {
      ...WHITEPAPER_FORM,
      siteKey: other.siteKey,
    })
    expect(response.status).toBe(422)
    expect(await rowCounts()).toEqual(before)
    expect(await storedForm(other.siteKey, 'smuggled')).toBeNull()
  })

  it('answers with no-store and nosniff, so a form with markup in its title is never cached or sniffed', async () => {
    const site = await createSite()
    const response = await admin(`/v1/admin/sites/${site.siteKey}/forms/wp`, 'PUT', {
      ...WHITEPAPER_FORM,
      title: '<script>alert(1)</script>',
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/json')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(((await response.json()) as { title: string }).title).toBe('<script>alert(1)</script>')
  })
})
