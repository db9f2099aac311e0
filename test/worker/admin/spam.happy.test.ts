import { describe, expect, it } from 'vitest'
import { admin, createSite, leadBody, postLead } from '../helpers'

describe('GET /v1/admin/sites/{siteKey}/spam', () => {
  it('lists held submissions newest first with reason, form, field names and their values', async () => {
    const site = await createSite()
    const good = leadBody(site)
    await postLead(site, leadBody(site, { honeypot: 'x' }))
    await postLead(site, { ...good, fields: { ...good.fields, email: 'temp@mailinator.com' } })
    const response = await admin(`/v1/admin/sites/${site.siteKey}/spam?limit=1`, 'GET')
    expect(response.status).toBe(200)
    const page = (await response.json()) as {
      items: {
        reason: string
        emailDomain: string | null
        fields: string[]
        releasable: boolean
        values: Record<string, unknown>
      }[]
      nextCursor: string | null
    }
    expect(page.items).toEqual([
      expect.objectContaining({
        reason: 'disposable',
        emailDomain: 'mailinator.com',
        formId: 'wp',
        releasable: true,
      }),
    ])
    expect(page.items[0]!.fields).toContain('email')
    // A person judging the folder needs the values (the list needs leads:read).
    expect(page.items[0]!.values).toMatchObject({ email: 'temp@mailinator.com', firstName: 'Anna' })
    const next = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/spam?limit=1&cursor=${page.nextCursor}`, 'GET')
    ).json()) as typeof page
    expect(next.items.map((i) => i.reason)).toEqual(['honeypot'])
    const byReason = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/spam?reason=too_fast`, 'GET')
    ).json()) as typeof page
    expect(byReason.items).toEqual([])
  })
})
