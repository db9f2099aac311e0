import { describe, it } from 'vitest'
import { admin, createSite, expectProblem } from '../helpers'

describe('GET /v1/admin/sites/{siteKey}/spam, bad input', () => {
  it('refuses an unknown reason, a cursor that is not an id, and a limit out of range', async () => {
    const site = await createSite()
    const base = `/v1/admin/sites/${site.siteKey}/spam`
    for (const query of [
      'reason=nope',
      'cursor=abc',
      'cursor=1;DROP',
      'limit=0',
      'limit=201',
      'x=1',
    ])
      await expectProblem(await admin(`${base}?${query}`, 'GET'), 422, 'validation_failed')
  })
})
