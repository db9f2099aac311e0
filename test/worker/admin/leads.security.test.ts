import { describe, it } from 'vitest'
import { admin, createSite, expectProblem, leadBody, postLead } from '../helpers'

describe('GET /v1/admin/sites/{siteKey}/leads/{leadId}', () => {
  it('does not find a lead of another site', async () => {
    const site = await createSite()
    const other = await createSite()
    const lead = (await (await postLead(site, leadBody(site))).json()) as { leadId: string }
    await expectProblem(
      await admin(`/v1/admin/sites/${other.siteKey}/leads/${lead.leadId}`, 'GET'),
      404,
      'lead_not_found',
    )
  })
})
