import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import { signToken } from '../../worker/src/lib/crypto'
import { call, createSite, expectProblem, leadBody, postLead, rowCounts } from './helpers'

describe('GET /v1/downloads/{token}, bad links', () => {
  it('answers an expired link with 410 and a tampered one with 404, and records no download', async () => {
    const site = await createSite()
    const body = leadBody(site)
    const { download } = (await (await postLead(site, body)).json()) as LeadSubmissionResult
    const token = download!.url.split('/').pop()!
    const expired = await signToken(env.LODESTONE_SECRET, {
      s: site.siteKey,
      sub: body.submissionId,
      exp: Math.floor(Date.now() / 1000) - 1,
    })
    const before = await rowCounts()
    await expectProblem(
      await call(`/v1/downloads/${expired}`, { redirect: 'manual' }),
      410,
      'download_expired',
    )
    await expectProblem(
      await call(`/v1/downloads/${token}A`, { redirect: 'manual' }),
      404,
      'download_not_found',
    )
    expect(await rowCounts(), 'no download touchpoint').toEqual(before)
    // The real link still works: the refusals were about the links, not the lead.
    expect((await call(`/v1/downloads/${token}`, { redirect: 'manual' })).status).toBe(302)
  })
})
