import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  admin,
  createSite,
  expectProblem,
  leadBody,
  postLead,
  scopedToken,
  type TestSite,
} from '../helpers'

/** Who may call the route is one table in authorisation.security.test.ts; these are about what a call may see. */
describe('GET /v1/admin/sites/{siteKey}/spam, security', () => {
  interface SpamPage {
    items: { id: number; reason: string; formId: string | null; emailDomain: string | null }[]
    nextCursor: string | null
  }

  async function holdHoneypot(site: TestSite): Promise<void> {
    await expectProblem(
      await postLead(site, leadBody(site, { honeypot: 'x' })),
      422,
      'spam_suspected',
    )
  }

  it("never lists another site's held submissions, not even with a cursor past them", async () => {
    const site = await createSite()
    const other = await createSite()
    await holdHoneypot(site)
    await holdHoneypot(site)
    await holdHoneypot(other)
    const token = await scopedToken(other.siteKey, ['leads:read'])
    const path = `/v1/admin/sites/${other.siteKey}/spam`
    const theirs = (await (await admin(path, 'GET', undefined, token)).json()) as SpamPage
    expect(theirs.items).toHaveLength(1)
    // A cursor above every id of `site` would list them if the site were not part of the query.
    const past = await admin(
      `${path}?cursor=${theirs.items[0]!.id + 1000}`,
      'GET',
      undefined,
      token,
    )
    expect(past.status).toBe(200)
    expect(((await past.json()) as SpamPage).items.map((item) => item.id)).toEqual(
      theirs.items.map((item) => item.id),
    )
  })

  it('stores and answers no value the visitor typed, only field names and the email domain', async () => {
    const site = await createSite()
    const body = leadBody(site)
    await postLead(site, {
      ...body,
      fields: { ...body.fields, email: 'wegwerf.person@mailinator.com' },
    })
    const token = await scopedToken(site.siteKey, ['leads:read'])
    const response = await admin(`/v1/admin/sites/${site.siteKey}/spam`, 'GET', undefined, token)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const answer = await response.text()
    const { results } = await env.DB.prepare('SELECT payload FROM spam WHERE site_key = ?1')
      .bind(site.siteKey)
      .all<{ payload: string }>()
    expect(results).toHaveLength(1)
    const typed = ['wegwerf.person', 'Anna', 'Berg', 'Firma GmbH', 'Geschäftsführerin', '1234567']
    for (const value of typed) {
      expect(answer).not.toContain(value)
      expect(results[0]!.payload).not.toContain(value)
    }
    expect(JSON.parse(answer)).toMatchObject({
      items: [{ reason: 'disposable', emailDomain: 'mailinator.com', formId: 'wp' }],
    })
  })
})
