import { describe, it } from 'vitest'
import type { LeadSubmissionResult } from '../../../shared/leads'
import { admin, createSite, expectProblem, leadBody, postLead } from '../helpers'

async function newLead() {
  const site = await createSite()
  const { leadId } = (await (await postLead(site, leadBody(site))).json()) as LeadSubmissionResult
  return { site, leadId, path: `/v1/admin/sites/${site.siteKey}/leads/${leadId}` }
}

describe('POST /v1/admin/sites/{siteKey}/leads/{leadId}/stage', () => {
  it('refuses a customer without deal value and a stage of another model', async () => {
    const { path } = await newLead()
    await expectProblem(await admin(`${path}/stage`, 'POST', { stage: 'customer' }), 422)
    await expectProblem(await admin(`${path}/stage`, 'POST', { stage: 'prospect' }), 422)
  })
})
