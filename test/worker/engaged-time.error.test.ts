import { describe, expect, it } from 'vitest'
import { createSite, expectProblem, pageView, postEvents, rowCounts } from './helpers'

/** An engaged_time needs whole seconds 1–3600 and its page view; no other type carries either. */
describe('bad engaged_time touchpoints on POST /v1/events', () => {
  const pageViewId = crypto.randomUUID()
  it.each([
    ['without value', { type: 'engaged_time', pageViewId }, 'value'],
    ['without pageViewId', { type: 'engaged_time', value: 5 }, 'pageViewId'],
    ['with value 0', { type: 'engaged_time', value: 0, pageViewId }, 'value'],
    ['with value 3601', { type: 'engaged_time', value: 3601, pageViewId }, 'value'],
    ['with a fractional value', { type: 'engaged_time', value: 1.5, pageViewId }, 'value'],
    [
      'with a pageViewId that is no UUID',
      { type: 'engaged_time', value: 5, pageViewId: 'x' },
      'pageViewId',
    ],
    ['a page_view with a value', { type: 'page_view', value: 5 }, 'value'],
    ['a cta_click with a pageViewId', { type: 'cta_click', pageViewId }, 'pageViewId'],
  ] as const)('refuses an event %s, naming the field', async (_name, overrides, field) => {
    const site = await createSite()
    const before = await rowCounts()
    const response = await postEvents(site.origin, {
      siteKey: site.siteKey,
      events: [pageView(site.origin, overrides)],
    })
    const problem = await expectProblem(response, 422)
    expect(problem.errors?.map((error) => error.path)).toContain(`events.0.${field}`)
    expect(await rowCounts()).toEqual(before)
  })
})
