import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem } from '../helpers'

describe('GET /v1/admin/sites/{siteKey}/leads, bad input', () => {
  it('refuses a cursor it did not hand out and a limit out of range, and answers an unknown lead with 404', async () => {
    const site = await createSite()
    const base = `/v1/admin/sites/${site.siteKey}/leads`
    const cursor = await expectProblem(await admin(`${base}?cursor=bm90LWEtY3Vyc29y`, 'GET'), 422)
    expect(cursor.errors).toContainEqual({
      path: 'cursor',
      message: 'is not a cursor from this API',
    })
    await expectProblem(await admin(`${base}?limit=0`, 'GET'), 422, 'validation_failed')
    await expectProblem(await admin(`${base}?limit=201`, 'GET'), 422, 'validation_failed')
    await expectProblem(await admin(`${base}/${crypto.randomUUID()}`, 'GET'), 404, 'lead_not_found')
  })
})
