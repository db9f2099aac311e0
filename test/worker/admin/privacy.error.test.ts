import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem, rowCounts } from '../helpers'

describe('erasure, export and consent links of a lead that does not exist', () => {
  it('answer 404 lead_not_found and write nothing', async () => {
    const site = await createSite()
    const path = `/v1/admin/sites/${site.siteKey}/leads/${crypto.randomUUID()}`
    const before = await rowCounts()
    await expectProblem(await admin(path, 'DELETE'), 404, 'lead_not_found')
    await expectProblem(await admin(`${path}/export`, 'GET'), 404, 'lead_not_found')
    await expectProblem(await admin(`${path}/consent-link`, 'POST'), 404, 'lead_not_found')
    expect(await rowCounts()).toEqual(before)
  })
})
