import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../../shared/leads'
import type { TokenCreated } from '../../../shared/site'
import { admin, createSite, expectProblem, leadBody, postLead, rowCounts } from '../helpers'

describe('DELETE /v1/admin/sites/{siteKey}/leads/{leadId}, erasure stays within its site', () => {
  it("refuses a lead id of another site and leaves that lead's data whole", async () => {
    const a = await createSite()
    const b = await createSite()
    const visitorId = crypto.randomUUID()
    const { leadId } = (await (
      await postLead(b, leadBody(b, { visitorId }))
    ).json()) as LeadSubmissionResult
    const tokenA = (
      (await (
        await admin(`/v1/admin/sites/${a.siteKey}/tokens`, 'POST', { scopes: ['leads:write'] })
      ).json()) as TokenCreated
    ).token
    const before = await env.DB.prepare(
      'SELECT network, user_agent, page_url FROM consent_ledger WHERE lead_id = ?1',
    )
      .bind(leadId)
      .first()
    const counts = await rowCounts()
    await expectProblem(
      await admin(`/v1/admin/sites/${a.siteKey}/leads/${leadId}`, 'DELETE', undefined, tokenA),
      404,
    )
    expect(await rowCounts()).toEqual(counts)
    expect(
      await env.DB.prepare(
        'SELECT network, user_agent, page_url FROM consent_ledger WHERE lead_id = ?1',
      )
        .bind(leadId)
        .first(),
    ).toEqual(before)
    expect(
      await env.DB.prepare('SELECT lead_id FROM lead_visitors WHERE visitor_id = ?1')
        .bind(visitorId)
        .first(),
    ).toEqual({ lead_id: leadId })
  })
})
