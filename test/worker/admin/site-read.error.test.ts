import { describe, it } from 'vitest'
import { admin, expectProblem, uniqueSiteKey } from '../helpers'

describe('GET /v1/admin/sites/{siteKey}, bad requests', () => {
  it('answers 404 site_not_found for a site that does not exist', async () => {
    await expectProblem(
      await admin(`/v1/admin/sites/${uniqueSiteKey()}`, 'GET'),
      404,
      'site_not_found',
    )
  })

  it('answers 422 for a site key that cannot be one', async () => {
    await expectProblem(await admin('/v1/admin/sites/Not_A_Key', 'GET'), 422, 'validation_failed')
    await expectProblem(
      await admin(`/v1/admin/sites/${'a'.repeat(65)}`, 'GET'),
      422,
      'validation_failed',
    )
  })
})
