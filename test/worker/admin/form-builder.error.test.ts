import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem, rowCounts, WHITEPAPER_FORM } from '../helpers'

describe('the form builder routes, errors', () => {
  it('answers 404 problem+json for a form or a site that does not exist', async () => {
    const site = await createSite()
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/forms/nope`, 'GET'),
      404,
      'form_not_found',
    )
    await expectProblem(await admin('/v1/admin/sites/no-such-site/forms', 'GET'), 404)
    await expectProblem(
      await admin('/v1/admin/sites/no-such-site/forms/wp/preview', 'POST', WHITEPAPER_FORM),
      404,
    )
  })

  it('refuses a draft the save would refuse, with the path of each mistake, storing nothing', async () => {
    const site = await createSite()
    const before = await rowCounts()
    const problem = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/forms/wp/preview`, 'POST', {
        ...WHITEPAPER_FORM,
        title: '',
        fields: [{ name: 'company', type: 'text', label: 'Firma' }],
      }),
      422,
      'validation_failed',
    )
    const paths = problem.errors?.map((error) => error.path) ?? []
    expect(paths).toContain('title')
    expect(paths).toContain('fields')
    await expectProblem(
      await admin(
        `/v1/admin/sites/${site.siteKey}/forms/wp/preview?locale=fr`,
        'POST',
        WHITEPAPER_FORM,
      ),
      422,
    )
    expect(await rowCounts()).toEqual(before)
  })
})
