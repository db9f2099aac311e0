import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import { admin, call, createSite, expectProblem, leadBody, postLead } from './helpers'

describe('GET /v1/downloads/{token} after an erasure', () => {
  it("kills an erased lead's download link and drops it from the replayed answer", async () => {
    const site = await createSite()
    const body = leadBody(site)
    const result = (await (await postLead(site, body)).json()) as LeadSubmissionResult
    await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'DELETE')
    await expectProblem(
      await call(new URL(result.download!.url).pathname, { redirect: 'manual' }),
      404,
    )
    const replay = (await (await postLead(site, body)).json()) as LeadSubmissionResult
    expect(replay.download).toBeUndefined()
    const { n } = (await env.DB.prepare('SELECT count(*) AS n FROM touchpoints WHERE lead_id = ?1')
      .bind(result.leadId)
      .first()) as { n: number }
    expect(n).toBe(0)
  })
})

describe('HEAD /v1/downloads/{token}', () => {
  it('answers the redirect a link scanner asks for, and records no download', async () => {
    const site = await createSite()
    const result = (await (await postLead(site, leadBody(site))).json()) as LeadSubmissionResult
    const path = new URL(result.download!.url).pathname
    const downloads = async () =>
      (
        (await env.DB.prepare(
          "SELECT count(*) AS n FROM touchpoints WHERE lead_id = ?1 AND type = 'download'",
        )
          .bind(result.leadId)
          .first()) as { n: number }
      ).n
    const head = await call(path, { method: 'HEAD', redirect: 'manual' })
    expect(head.status).toBe(302)
    expect(head.headers.get('location')).toBe('https://cdn.example/whitepaper-2026.pdf')
    expect(await downloads(), 'HEAD records nothing').toBe(0)
    expect((await call(path, { redirect: 'manual' })).status).toBe(302)
    expect(await downloads(), 'GET records the download').toBe(1)
  })
})
