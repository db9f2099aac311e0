import { describe, expect, it } from 'vitest'
import { call, createSite, expectProblem, rowCounts } from './helpers'

describe('GET /v1/sites/{siteKey}/config and /forms/{formId}/start, bad input', () => {
  it('answers an unknown site and an unknown form with a 404 problem and writes nothing', async () => {
    const site = await createSite()
    const before = await rowCounts()
    const headers = { origin: site.origin }
    await expectProblem(
      await call('/v1/sites/no-such-site/config', { headers }),
      404,
      'site_not_found',
    )
    await expectProblem(
      await call('/v1/sites/no-such-site/forms/wp/start', { headers }),
      404,
      'site_not_found',
    )
    await expectProblem(
      await call(`/v1/sites/${site.siteKey}/forms/nope/start`, { headers }),
      404,
      'form_not_found',
    )
    expect(await rowCounts()).toEqual(before)
  })
})
