import { describe, expect, it } from 'vitest'
import { admin, call, createSite, expectProblem, ROOT, rowCounts, uniqueSiteKey } from '../helpers'
import { refusalRows } from './install-data'

describe('POST /v1/admin/sites/{siteKey}/origins, errors', () => {
  it('refuses what is not an origin with 422 and writes nothing', async () => {
    const site = await createSite()
    const path = `/v1/admin/sites/${site.siteKey}/origins`
    const before = await rowCounts()
    for (const origin of [
      'https://shop.example/',
      'https://shop.example/path',
      'shop.example',
      'ftp://shop.example',
      'null',
      '',
      `https://${'a'.repeat(250)}.example`,
      42,
    ]) {
      const problem = await expectProblem(
        await admin(path, 'POST', { origin }),
        422,
        'validation_failed',
      )
      expect(problem.errors?.map((error) => error.path)).toContain('origin')
    }
    await expectProblem(await admin(path, 'POST', {}), 422, 'validation_failed')
    await expectProblem(
      await admin(path, 'POST', { origin: 'https://a.example', extra: 1 }),
      422,
      'validation_failed',
    )
    expect(await rowCounts()).toEqual(before)
  })

  it('refuses a body that is not JSON with 400', async () => {
    const site = await createSite()
    const response = await call(`/v1/admin/sites/${site.siteKey}/origins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ROOT}`, 'content-type': 'application/json' },
      body: '{"origin":',
    })
    expect(response.status).toBe(400)
  })

  it('refuses a 51st origin with 422 and keeps the 50', async () => {
    const allowedOrigins = Array.from({ length: 50 }, (_, i) => `https://o${i}.example`)
    const site = await createSite({ allowedOrigins })
    const problem = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/origins`, 'POST', {
        origin: 'https://one-more.example',
      }),
      422,
      'validation_failed',
    )
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: 'origin', message: expect.stringContaining('50') }),
    ])
    const again = await admin(`/v1/admin/sites/${site.siteKey}/origins`, 'POST', {
      origin: 'https://o7.example',
    })
    expect(((await again.json()) as { allowedOrigins: string[] }).allowedOrigins).toEqual(
      allowedOrigins,
    )
  })

  it('answers 404 for a site that does not exist', async () => {
    const siteKey = uniqueSiteKey()
    await expectProblem(
      await admin(`/v1/admin/sites/${siteKey}/origins`, 'POST', { origin: 'https://a.example' }),
      404,
      'site_not_found',
    )
    expect(await refusalRows(siteKey)).toEqual([])
  })
})

describe('GET /v1/admin/sites/{siteKey}/install, errors', () => {
  it('answers 404 for a site that does not exist and 422 for a malformed key', async () => {
    await expectProblem(
      await admin(`/v1/admin/sites/${uniqueSiteKey()}/install`, 'GET'),
      404,
      'site_not_found',
    )
    await expectProblem(
      await admin(`/v1/admin/sites/${'x'.repeat(200)}/install`, 'GET'),
      422,
      'validation_failed',
    )
  })
})
