import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem } from '../helpers'

describe('the site theme, refused', () => {
  it('refuses each malformed value with a field error naming the property', async () => {
    const site = await createSite()
    const bad: [string, unknown][] = [
      ['accent', 'red'],
      ['accent', '#fff'],
      ['onAccent', '#12345g'],
      ['border', 123],
      ['radius', '6'],
      ['radius', '12345px'],
      ['radius', '6vw'],
      ['width', '-1px'],
      ['width', '1.2345em'],
      ['font', ''],
      ['font', 'a'.repeat(61)],
      ['font', Array.from({ length: 11 }, () => 'Arial').join(', ')],
      ['shadow', '#000000'],
    ]
    for (const [key, value] of bad) {
      const problem = await expectProblem(
        await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
          name: 'Acme GmbH',
          allowedOrigins: [site.origin],
          theme: { [key]: value },
        }),
        422,
        'validation_failed',
      )
      expect(problem.errors?.map((error) => error.path).join(' '), `${key}: ${value}`).toContain(
        'theme',
      )
    }
  })
})
