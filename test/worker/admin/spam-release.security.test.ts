import { describe, expect, it } from 'vitest'
import {
  admin,
  createSite,
  expectProblem,
  leadBody,
  postLead,
  rowCounts,
  scopedToken,
  type TestSite,
} from '../helpers'

async function heldId(site: TestSite): Promise<number> {
  await postLead(site, leadBody(site, { honeypot: 'x' }))
  const list = (await (await admin(`/v1/admin/sites/${site.siteKey}/spam`, 'GET')).json()) as {
    items: { id: number }[]
  }
  return list.items[0]!.id
}

describe('spam release and delete, security', () => {
  it('refuses leads:read alone with 403 and changes nothing', async () => {
    const site = await createSite()
    const id = await heldId(site)
    const reader = await scopedToken(site.siteKey, ['leads:read'])
    const before = await rowCounts()
    const path = `/v1/admin/sites/${site.siteKey}/spam/${id}`
    await expectProblem(await admin(`${path}/release`, 'POST', undefined, reader), 403, 'forbidden')
    await expectProblem(await admin(path, 'DELETE', undefined, reader), 403, 'forbidden')
    expect(await rowCounts()).toEqual(before)
    const writer = await scopedToken(site.siteKey, ['leads:write'])
    expect((await admin(`${path}/release`, 'POST', undefined, writer)).status).toBe(201)
  })

  it("never releases or deletes another site's held submission through its own site key", async () => {
    const site = await createSite()
    const other = await createSite()
    const id = await heldId(site)
    const token = await scopedToken(other.siteKey, ['leads:write'])
    const before = await rowCounts()
    const path = `/v1/admin/sites/${other.siteKey}/spam/${id}`
    await expectProblem(
      await admin(`${path}/release`, 'POST', undefined, token),
      404,
      'spam_not_found',
    )
    await expectProblem(await admin(path, 'DELETE', undefined, token), 404, 'spam_not_found')
    expect(await rowCounts()).toEqual(before)
  })

  it('keeps no start token, honeypot or Turnstile token in the held copy', async () => {
    const site = await createSite()
    await postLead(
      site,
      leadBody(site, { honeypot: 'bot-was-here', turnstileToken: 'secret-turnstile-token' }),
    )
    const list = await (await admin(`/v1/admin/sites/${site.siteKey}/spam`, 'GET')).text()
    const { env } = await import('cloudflare:workers')
    const stored = await env.DB.prepare('SELECT payload FROM spam WHERE site_key = ?1')
      .bind(site.siteKey)
      .first<{ payload: string }>()
    for (const text of [list, stored!.payload]) {
      expect(text).not.toContain('bot-was-here')
      expect(text).not.toContain('secret-turnstile-token')
      expect(text).not.toContain('startToken')
    }
  })
})
