import { describe, it } from 'vitest'
import { admin, createSite, expectProblem } from '../helpers'

describe('GET /v1/admin/sites/{siteKey}/reports/dashboard refuses', () => {
  it.each([
    ['a range that ends before it starts', 'from=2026-11-10&to=2026-11-01'],
    ['a day that is no day', 'from=2026-02-30&to=2026-03-01'],
    ['more than 400 periods', 'from=2024-01-01&to=2026-01-01&interval=day'],
    ['an unknown interval', 'from=2026-11-01&to=2026-11-10&interval=month'],
    ['an unknown parameter', 'from=2026-11-01&to=2026-11-10&format=csv'],
  ])('%s with 422', async (_, query) => {
    const site = await createSite()
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/reports/dashboard?${query}`,
      'GET',
    )
    await expectProblem(response, 422, 'validation_failed')
  })

  it('an unknown site with 404', async () => {
    const response = await admin(
      '/v1/admin/sites/no-such-site/reports/dashboard?from=2026-11-01&to=2026-11-10',
      'GET',
    )
    await expectProblem(response, 404, 'site_not_found')
  })
})
