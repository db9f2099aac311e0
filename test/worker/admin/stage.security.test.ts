import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../../shared/leads'
import {
  admin,
  createSite,
  expectProblem,
  leadBody,
  postLead,
  rowCounts,
  scopedToken,
} from '../helpers'

describe('POST /v1/admin/sites/{siteKey}/leads/{leadId}/stage, who may move a lead', () => {
  it("refuses the leads:read scope and another site's admin token, and writes nothing", async () => {
    const site = await createSite()
    const other = await createSite()
    const { leadId } = (await (await postLead(site, leadBody(site))).json()) as LeadSubmissionResult
    const path = `/v1/admin/sites/${site.siteKey}/leads/${leadId}/stage`
    const reader = await scopedToken(site.siteKey, ['leads:read'])
    const otherAdmin = await scopedToken(other.siteKey, ['site:admin'])
    const before = await rowCounts()
    await expectProblem(await admin(path, 'POST', { stage: 'sql' }, reader), 403, 'forbidden')
    await expectProblem(await admin(path, 'POST', { stage: 'sql' }, otherAdmin), 403, 'forbidden')
    expect(await rowCounts()).toEqual(before)
    // The token is good for what it is for: the same stage change passes with leads:write.
    const writer = await scopedToken(site.siteKey, ['leads:write'])
    expect((await admin(path, 'POST', { stage: 'sql' }, writer)).status).toBe(200)
  })
})
