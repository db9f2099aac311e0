import { describe, expect, it } from 'vitest'
import type { LeadList } from '../../../shared/leads'
import { admin, createSite, expectProblem, leadBody, postLead } from '../helpers'

describe('GET /v1/admin/sites/{siteKey}/leads, bad query', () => {
  it('refuses a cursor of another sort, so a page never continues a different order', async () => {
    const site = await createSite()
    for (const email of ['a@firma.de', 'b@firma.de']) {
      await postLead(site, leadBody(site, { fields: { email } }))
    }
    const base = `/v1/admin/sites/${site.siteKey}/leads`
    const first = (await (await admin(`${base}?limit=1&sort=-score`, 'GET')).json()) as LeadList
    expect(first.nextCursor).toBeTruthy()
    const problem = await expectProblem(
      await admin(`${base}?limit=1&sort=created&cursor=${first.nextCursor}`, 'GET'),
      422,
      'validation_failed',
    )
    expect(problem.errors).toContainEqual({
      path: 'cursor',
      message: 'is a cursor of sort -score, not created',
    })
  })

  it('refuses unknown sorts, bad days, a reversed range, a stage outside the funnel and long search text', async () => {
    const site = await createSite()
    const base = `/v1/admin/sites/${site.siteKey}/leads`
    for (const query of [
      'sort=name',
      'createdFrom=2026-02-30',
      'createdTo=2026-13-01',
      'createdFrom=2026-03-02&createdTo=2026-03-01',
      'reached=disqualified',
      'attribution=middle',
      `q=${'x'.repeat(201)}`,
      'q=%0Aa',
      'unknown=1',
    ]) {
      await expectProblem(await admin(`${base}?${query}`, 'GET'), 422, 'validation_failed')
    }
    const forged = btoa(JSON.stringify(['-score', 'not-a-number', 'id'])).replace(/=+$/, '')
    await expectProblem(await admin(`${base}?sort=-score&cursor=${forged}`, 'GET'), 422)
  })
})
