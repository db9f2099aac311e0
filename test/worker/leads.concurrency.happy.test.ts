import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import { createSite, leadBody, postLead } from './helpers'

// A double click, two tabs, two forms of one page: many submissions of one email at once. Each is
// its own submission (its own id), and every one must be stored, none refused with 409
// (docs/wire-contract.md#ids-and-retries).
describe('POST /v1/leads under concurrent submissions of one email', () => {
  it('stores 30 concurrent submissions with different ids: 30 × 2xx, one lead, 30 submissions, nothing half-written', async () => {
    const site = await createSite()
    const bodies = Array.from({ length: 30 }, (_, i) =>
      leadBody(site, {
        fields: { email: 'Anna.Berg@Firma.DE', firstName: 'Anna', lastName: `Berg ${i}` },
      }),
    )
    // Each from its own network, so the per-network rate limit does not refuse the 30th.
    const responses = await Promise.all(
      bodies.map((body, i) => postLead(site, body, { ip: `198.51.${i}.7` })),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(30)
    const answers = (await Promise.all(responses.map((r) => r.json()))) as LeadSubmissionResult[]
    expect(new Set(answers.map((a) => a.leadId)).size).toBe(1)

    const counts = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM leads WHERE site_key = ?1) AS leads,
              (SELECT count(*) FROM submissions WHERE site_key = ?1) AS submissions,
              (SELECT count(*) FROM submissions WHERE site_key = ?1 AND lead_id IS NULL) AS unattached,
              (SELECT count(*) FROM consent_ledger WHERE site_key = ?1) AS consents,
              (SELECT version FROM leads WHERE site_key = ?1) AS version`,
    )
      .bind(site.siteKey)
      .first()
    // One ledger entry per submission; the lead was written once and then updated 29 times.
    expect(counts).toEqual({ leads: 1, submissions: 30, unattached: 0, consents: 30, version: 29 })
  })
})
