import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem, rowCounts } from '../helpers'

describe('GET .../reports/campaigns?format=readable-csv, bad input', () => {
  it.each<[string, string, string]>([
    ['an unknown language', 'format=readable-csv&lang=fr', 'lang'],
    ['a language for the JSON report', 'lang=de', 'lang'],
    ['a language for the machine CSV', 'format=csv&lang=en', 'lang'],
    ['an unknown format', 'format=readable', 'format'],
  ])('refuses %s with 422 problem+json', async (_, query, path) => {
    const site = await createSite()
    const before = await rowCounts()
    const problem = await expectProblem(
      await admin(
        `/v1/admin/sites/${site.siteKey}/reports/campaigns?from=2026-11-01&to=2026-11-30&${query}`,
        'GET',
      ),
      422,
      'validation_failed',
    )
    expect(problem.errors?.map((e) => e.path)).toContain(path)
    expect(await rowCounts()).toEqual(before)
  })
})
