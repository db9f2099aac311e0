import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, call, createSite, expectProblem, leadBody, postLead, rowCounts } from '../helpers'

describe('PUT /v1/admin/sites/{siteKey}, bad input', () => {
  it('refuses to switch the stage model of a site that has leads', async () => {
    const site = await createSite()
    await postLead(site, leadBody(site))
    const problem = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
        name: 'Acme',
        allowedOrigins: [site.origin],
        stageModel: 'b2c',
      }),
      409,
      'stage_model_in_use',
    )
    expect(problem.errors?.[0]?.path).toBe('stageModel')
  })

  it('refuses a malformed and an invalid site body with problem+json and writes nothing', async () => {
    const site = await createSite()
    const before = await rowCounts()
    const malformed = await call(`/v1/admin/sites/${site.siteKey}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${env.LODESTONE_ROOT_TOKEN}`,
        'content-type': 'application/json',
      },
      body: '{"name":',
    })
    await expectProblem(malformed, 400)
    const badOrigin = await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
      name: 'X',
      allowedOrigins: ['https://a.example/path'],
    })
    const problem = await expectProblem(badOrigin, 422, 'validation_failed')
    expect(problem.errors?.[0]?.path).toBe('allowedOrigins.0')
    expect(await rowCounts()).toEqual(before)
  })

  it.each(['red', '#fff', '#12345g', '#1d4ed8ff', 'rgb(29, 78, 216)', ' #1d4ed8', '', 0x1d4ed8])(
    'refuses the accent colour %j with 422 and keeps the stored one',
    async (accentColor) => {
      const site = await createSite({ accentColor: '#0f766e' })
      const stored = () =>
        env.DB.prepare('SELECT accent_color, name, updated_at FROM sites WHERE site_key = ?1')
          .bind(site.siteKey)
          .first()
      const before = await stored()
      const problem = await expectProblem(
        await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
          name: 'Changed',
          allowedOrigins: [site.origin],
          accentColor,
        }),
        422,
        'validation_failed',
      )
      expect(problem.errors?.map((e) => e.path)).toEqual(['accentColor'])
      expect(await stored()).toEqual(before)
      expect(before).toMatchObject({ accent_color: '#0f766e' })
    },
  )
})

describe('PUT /v1/admin/sites/{siteKey}, origins', () => {
  it('refuses an origin with a path at its index, in the words the app shows beside that row', async () => {
    const site = await createSite()
    const problem = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
        name: 'Acme',
        allowedOrigins: [
          site.origin,
          'https://shop.acme.example/path',
          'https://shop.acme.example/',
        ],
      }),
      422,
      'validation_failed',
    )
    const message = 'must be an origin such as https://www.example.com (no path, no trailing slash)'
    expect(problem.errors).toEqual([
      { path: 'allowedOrigins.1', message, reason: 'invalid' },
      { path: 'allowedOrigins.2', message, reason: 'invalid' },
    ])
  })
})
