import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem, rowCounts } from '../helpers'

describe('GET /v1/admin/sites/{siteKey}/reports/forms, bad input', () => {
  it.each<[string, string, string]>([
    ['no from', 'to=2026-11-30', 'from'],
    ['a day that does not exist', 'from=2026-02-01&to=2026-02-30', 'to'],
    ['from after to', 'from=2026-12-01&to=2026-11-30', 'to'],
    ['an unknown parameter', 'from=2026-11-01&to=2026-11-30&formId=wp', ''],
  ])('refuses %s with 422 problem+json', async (_, query, path) => {
    const site = await createSite()
    const before = await rowCounts()
    const problem = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/reports/forms?${query}`, 'GET'),
      422,
      'validation_failed',
    )
    if (path) expect(problem.errors?.map((e) => e.path)).toContain(path)
    expect(await rowCounts()).toEqual(before)
  })

  it('answers 404 for an unknown site', async () => {
    await expectProblem(
      await admin(
        '/v1/admin/sites/no-such-site/reports/forms?from=2026-11-01&to=2026-11-30',
        'GET',
      ),
      404,
      'site_not_found',
    )
  })
})
