import { describe, expect, it } from 'vitest'
import { MAX_SPEND_ENTRIES } from '../../../shared/campaigns'
import { admin, createSite, expectProblem } from '../helpers'

describe('campaign and spend reads, bad input', () => {
  it.each<[string, string, string]>([
    ['a day that does not exist', '?from=2026-02-30', 'from'],
    ['a datetime', '?to=2026-11-01T00:00:00Z', 'to'],
    ['to before from', '?from=2026-11-02&to=2026-11-01', 'to'],
    ['an unknown parameter', '?from=2026-11-01&limit=5', '(body)'],
  ])('refuses a campaign list with %s with 422', async (_, query, path) => {
    const site = await createSite()
    const problem = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/campaigns${query}`, 'GET'),
      422,
      'validation_failed',
    )
    expect(problem.errors?.map((e) => e.path)).toContain(path)
  })

  it.each<[string, string, string]>([
    ['no range', '', 'from'],
    ['no end', '?from=2026-11-01', 'to'],
    ['to before from', '?from=2026-11-02&to=2026-11-01', 'to'],
    [`more than ${MAX_SPEND_ENTRIES} days`, '?from=2024-01-01&to=2026-12-31', 'to'],
    ['a day that does not exist', '?from=2026-11-01&to=2026-11-31', 'to'],
  ])('refuses a spend read with %s with 422', async (_, query, path) => {
    const site = await createSite()
    const problem = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/campaigns/brand/spend${query}`, 'GET'),
      422,
      'validation_failed',
    )
    expect(problem.errors?.map((e) => e.path)).toContain(path)
  })

  it('reads exactly the longest range an import may write', async () => {
    const site = await createSite()
    // 2024-01-01 plus 999 days is 2026-09-26: 1000 days, both ends included.
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/campaigns/brand/spend?from=2024-01-01&to=2026-09-26`,
      'GET',
    )
    expect(response.status).toBe(200)
    await expectProblem(
      await admin(
        `/v1/admin/sites/${site.siteKey}/campaigns/brand/spend?from=2024-01-01&to=2026-09-27`,
        'GET',
      ),
      422,
      'validation_failed',
    )
  })

  it.each<[string, string]>([
    ['a blank campaign key', '%20%20'],
    ['the reserved key (none)', '(None)'],
    ['a key over 200 characters', 'k'.repeat(201)],
  ])('refuses a spend read of %s with 422', async (_, key) => {
    const site = await createSite()
    await expectProblem(
      await admin(
        `/v1/admin/sites/${site.siteKey}/campaigns/${key}/spend?from=2026-11-01&to=2026-11-01`,
        'GET',
      ),
      422,
      'validation_failed',
    )
  })

  it('answers 404 for the campaigns and spend of an unknown site', async () => {
    await expectProblem(
      await admin('/v1/admin/sites/no-such-site/campaigns', 'GET'),
      404,
      'site_not_found',
    )
    await expectProblem(
      await admin(
        '/v1/admin/sites/no-such-site/campaigns/q4/spend?from=2026-11-01&to=2026-11-02',
        'GET',
      ),
      404,
      'site_not_found',
    )
  })
})
