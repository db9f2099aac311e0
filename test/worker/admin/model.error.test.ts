import { describe, expect, it } from 'vitest'
import type { LeadList } from '../../../shared/leads'
import { admin, expectProblem, uniqueSiteKey } from '../helpers'
import { modelSite, populate } from './model-data'

describe('the learned score, refused', () => {
  it('answers 422 too_few_examples and stores nothing below 10 leads of an outcome', async () => {
    const site = await modelSite()
    await populate(site, 12, (i) => (i < 3 ? true : i < 12 ? false : null))
    const problem = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/model`, 'POST'),
      422,
      'too_few_examples',
    )
    expect(problem.detail).toMatch(/at least 10 leads of each outcome.*3 .*9 /)
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/model`, 'GET'),
      404,
      'model_not_found',
    )
  })

  it('answers 404 for a site that does not exist', async () => {
    const missing = uniqueSiteKey('missing')
    await expectProblem(
      await admin(`/v1/admin/sites/${missing}/model`, 'GET'),
      404,
      'site_not_found',
    )
    await expectProblem(
      await admin(`/v1/admin/sites/${missing}/model`, 'POST'),
      404,
      'site_not_found',
    )
  })

  it('refuses bad sort and filter values of the lead list with problem+json', async () => {
    const site = await modelSite()
    const base = `/v1/admin/sites/${site.siteKey}/leads`
    for (const query of [
      'sort=-prob',
      'sort=PROBABILITY',
      'minProbability=2',
      'minProbability=-0.1',
      'minProbability=abc',
      'minScore=abc',
      'minScore=1e9',
    ]) {
      const problem = await expectProblem(
        await admin(`${base}?${query}`, 'GET'),
        422,
        'validation_failed',
      )
      expect(problem.errors?.length).toBeGreaterThan(0)
    }
  })

  it('refuses a cursor of another order', async () => {
    const site = await modelSite()
    await populate(site, 3, () => null)
    const page = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads?sort=-probability&limit=1`, 'GET')
    ).json()) as LeadList
    expect(page.nextCursor).toBeTruthy()
    const problem = await expectProblem(
      await admin(
        `/v1/admin/sites/${site.siteKey}/leads?sort=-score&cursor=${page.nextCursor}`,
        'GET',
      ),
      422,
      'validation_failed',
    )
    expect(problem.errors?.[0]?.message).toMatch(/-probability/)
  })

  it('refuses model settings out of bounds', async () => {
    const site = await modelSite()
    for (const model of [
      { minPositives: 5 },
      { negativeAfterDays: 0 },
      { minPositives: 50.5 },
      { minPositives: 50, extra: 1 },
    ]) {
      await expectProblem(
        await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
          name: 'Acme',
          allowedOrigins: [site.origin],
          model,
        }),
        422,
        'validation_failed',
      )
    }
  })
})
