import { describe, expect, it } from 'vitest'
import type { Site } from '../../../shared/site'
import { admin, createSite, expectProblem, scopedToken } from '../helpers'

describe('the site theme, security', () => {
  it('refuses every value that could leave its CSS declaration or rule, and stores nothing of it', async () => {
    const site = await createSite()
    const injections: [string, string][] = [
      ['font', 'Arial;}:host{display:none'],
      ['font', 'Arial}</style><script>alert(1)</script>'],
      ['font', '"Arial'],
      ['font', '\'Arial"'],
      ['font', 'Arial, url(https://evil.example/x)'],
      ['font', 'Arial\\;'],
      ['font', 'Arial\n}'],
      ['accent', '#000000;background:url(x)'],
      ['radius', '6px;}*{display:none}'],
      ['width', 'calc(100% - 1px)'],
      ['width', 'var(--x)'],
      ['border', '#000000}'],
    ]
    for (const [key, value] of injections) {
      const problem = await expectProblem(
        await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
          name: 'Acme GmbH',
          allowedOrigins: [site.origin],
          theme: { [key]: value },
        }),
        422,
        'validation_failed',
      )
      expect(problem.errors?.[0]?.path, value).toBe(`theme.${key}`)
    }
    const stored = (await (
      await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
        name: 'Acme GmbH',
        allowedOrigins: [site.origin],
      })
    ).json()) as Site
    expect(stored.theme).toEqual({})
  })

  it('lets only site:admin read the site or change its theme', async () => {
    const site = await createSite()
    const marketer = await scopedToken(site.siteKey, ['leads:write', 'campaigns:write'])
    await expectProblem(
      await admin(
        `/v1/admin/sites/${site.siteKey}`,
        'PUT',
        { name: 'Acme GmbH', allowedOrigins: [site.origin], theme: { accent: '#000000' } },
        marketer,
      ),
      403,
      'forbidden',
    )
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}`, 'GET', undefined, marketer),
      403,
      'forbidden',
    )
  })
})
