import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem, rowCounts, WHITEPAPER_FORM } from '../helpers'

describe('PUT /v1/admin/sites/{siteKey}/forms/{formId}, bad input', () => {
  it('refuses a form without an email field, or with a malformed body, and writes nothing', async () => {
    const site = await createSite()
    const before = await rowCounts()
    const noEmail = await admin(`/v1/admin/sites/${site.siteKey}/forms/x`, 'PUT', {
      ...WHITEPAPER_FORM,
      fields: [{ name: 'firstName', label: 'Name' }],
    })
    await expectProblem(noEmail, 422)
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/forms/x`, 'PUT', { kind: 'whitepaper' }),
      422,
      'validation_failed',
    )
    await expectProblem(
      await admin(`/v1/admin/sites/no-such-site/forms/x`, 'PUT', WHITEPAPER_FORM),
      404,
      'site_not_found',
    )
    expect(await rowCounts()).toEqual(before)
  })
})
