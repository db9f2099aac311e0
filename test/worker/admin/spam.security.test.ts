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

  it('keeps the values typed for a release (docs/spam-and-abuse.md#spam-table) and answers them to leads:read only, never cached', async () => {
    const site = await createSite()
    const body = leadBody(site)
    await postLead(site, {
      ...body,
      fields: { ...body.fields, email: 'wegwerf.person@mailinator.com' },
    })
    const path = `/v1/admin/sites/${site.siteKey}/spam`
    const reports = await scopedToken(site.siteKey, ['reports:read'])
    await expectProblem(await admin(path, 'GET', undefined, reports), 403, 'forbidden')
    const token = await scopedToken(site.siteKey, ['leads:read'])
    const response = await admin(path, 'GET', undefined, token)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toMatchObject({
      items: [
        {
          reason: 'disposable',
          emailDomain: 'mailinator.com',
          formId: 'wp',
          values: { email: 'wegwerf.person@mailinator.com', company: 'Firma GmbH' },
        },
      ],
    })
    const { results } = await env.DB.prepare('SELECT email_key FROM spam WHERE site_key = ?1')
      .bind(site.siteKey)
      .all<{ email_key: string }>()
    expect(results).toEqual([{ email_key: 'wegwerf.person@mailinator.com' }])
  })
})
