import { describe, expect, it } from 'vitest'
import {
  admin,
  BILINGUAL_FORM,
  createSite,
  expectProblem,
  rowCounts,
  WHITEPAPER_FORM,
} from '../helpers'

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

  it('refuses texts per language that do not all name the same languages, or name none', async () => {
    const site = await createSite()
    const before = await rowCounts()
    const mixed = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/forms/x`, 'PUT', {
        ...BILINGUAL_FORM,
        submitLabel: { de: 'Herunterladen' },
      }),
      422,
      'validation_failed',
    )
    expect(mixed.errors).toContainEqual(
      expect.objectContaining({
        path: 'submitLabel',
        message: 'every text of a form names the same languages (de, en)',
      }),
    )
    const empty = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/forms/x`, 'PUT', {
        ...BILINGUAL_FORM,
        title: {},
      }),
      422,
      'validation_failed',
    )
    expect(empty.errors?.map((error) => error.path)).toContain('title')
    const unknown = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/forms/x`, 'PUT', {
        ...BILINGUAL_FORM,
        title: { de: 'Titel', fr: 'Titre' },
      }),
      422,
      'validation_failed',
    )
    expect(unknown.errors?.map((error) => error.path)).toContain('title')
    expect(await rowCounts()).toEqual(before)
  })

  it('refuses a mobile popup trigger that cannot fire on a phone, or has a selector for a value', async () => {
    const site = await createSite()
    const before = await rowCounts()
    for (const mobile of [
      { trigger: 'exit_intent' },
      { trigger: 'click', value: '.cta' },
      { trigger: 'scroll_up', value: '50%' },
      { trigger: 'delay', value: 20, extra: true },
    ]) {
      const problem = await expectProblem(
        await admin(`/v1/admin/sites/${site.siteKey}/forms/wp`, 'PUT', {
          ...WHITEPAPER_FORM,
          popup: { trigger: 'exit_intent', mobile },
        }),
        422,
        'validation_failed',
      )
      expect(problem.errors?.[0]?.path).toMatch(/^popup\.mobile/)
    }
    expect(await rowCounts()).toEqual(before)
  })
})
