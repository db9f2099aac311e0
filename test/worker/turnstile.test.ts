import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { SiteConfig } from '../../shared/form'
import { call, createSite, expectProblem, leadBody, postLead, rowCounts } from './helpers'

describe('Cloudflare Turnstile, where a site turns it on', () => {
  it('hands the widget the site key and accepts a submission Cloudflare confirms', async () => {
    const site = await createSite({ turnstile: true })
    const config = (await (
      await call(`/v1/sites/${site.siteKey}/config`, { headers: { origin: site.origin } })
    ).json()) as SiteConfig
    expect(config.turnstile).toBe('1x00000000000000000000AA')
    const response = await postLead(
      site,
      leadBody(site, { turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX' }),
    )
    expect(response.status).toBe(201)
  })

  it('holds a submission without a confirmed token as spam with the reason turnstile', async () => {
    const site = await createSite({ turnstile: true })
    const before = await rowCounts()
    await expectProblem(
      await postLead(site, leadBody(site, { turnstileToken: 'forged' })),
      422,
      'spam_suspected',
    )
    await expectProblem(await postLead(site, leadBody(site)), 422, 'spam_suspected')
    expect(await rowCounts()).toEqual({ ...before, spam: before.spam! + 2 })
    const { results } = await env.DB.prepare('SELECT reason FROM spam WHERE site_key = ?1')
      .bind(site.siteKey)
      .all<{ reason: string }>()
    expect(results.map((r) => r.reason)).toEqual(['turnstile', 'turnstile'])
  })

  it('asks nothing of sites without Turnstile', async () => {
    const site = await createSite()
    const config = (await (
      await call(`/v1/sites/${site.siteKey}/config`, { headers: { origin: site.origin } })
    ).json()) as SiteConfig
    expect(config.turnstile).toBeUndefined()
    expect((await postLead(site, leadBody(site))).status).toBe(201)
  })
})
