import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { FormsReport } from '../../../shared/reports'
import { reportBinds, FORMS_SQL } from '../../../worker/src/db/reports'
import {
  admin,
  createSite,
  leadBody,
  pageView,
  postEvents,
  postLead,
  WHITEPAPER_FORM,
  type TestSite,
} from '../helpers'
import { day } from './campaign-data'

async function formsReport(site: TestSite, from = day(-1), to = day(1)): Promise<FormsReport> {
  const response = await admin(
    `/v1/admin/sites/${site.siteKey}/reports/forms?from=${from}&to=${to}`,
    'GET',
  )
  expect(response.status).toBe(200)
  return (await response.json()) as FormsReport
}

async function formEvents(
  site: TestSite,
  events: { type: 'form_view' | 'form_start' | 'page_view'; formId?: string }[],
  consent?: 'refused',
) {
  const response = await postEvents(site.origin, {
    siteKey: site.siteKey,
    ...(consent ? { consent } : { visitorId: crypto.randomUUID() }),
    events: events.map(({ type, formId }) =>
      pageView(`${site.origin}/whitepaper`, { type, ...(formId ? { formId } : {}) }),
    ),
  })
  expect(response.status).toBeLessThan(300)
}

describe('GET /v1/admin/sites/{siteKey}/reports/forms', () => {
  it('counts views, starts and submissions per form, with rates and drop-offs', async () => {
    const site = await createSite()
    const put = await admin(`/v1/admin/sites/${site.siteKey}/forms/demo`, 'PUT', {
      ...WHITEPAPER_FORM,
      kind: 'demo_request',
      title: 'Demo anfragen',
    })
    expect(put.status).toBe(201)
    // Four views of wp, one without consent (counted too: events, not visitors), three starts.
    await formEvents(site, [
      { type: 'form_view', formId: 'wp' },
      { type: 'form_start', formId: 'wp' },
      { type: 'form_view', formId: 'wp' },
      { type: 'form_start', formId: 'wp' },
      { type: 'page_view' },
    ])
    await formEvents(site, [{ type: 'form_view', formId: 'wp' }], 'refused')
    await formEvents(site, [
      { type: 'form_view', formId: 'wp' },
      { type: 'form_start', formId: 'wp' },
      // A form the site does not have is not reported.
      { type: 'form_view', formId: 'gone' },
    ])
    expect((await postLead(site, leadBody(site))).status).toBe(201)
    expect(
      (
        await postLead(
          site,
          leadBody(site, { fields: { email: 'b@firma.de', firstName: 'B', lastName: 'C' } }),
        )
      ).status,
    ).toBe(201)

    const result = await formsReport(site)
    expect(result.forms).toEqual([
      {
        formId: 'demo',
        kind: 'demo_request',
        title: 'Demo anfragen',
        views: 0,
        starts: 0,
        submissions: 0,
        viewToStart: null,
        startToSubmission: null,
        viewToSubmission: null,
        dropOffAfterView: null,
        dropOffAfterStart: null,
      },
      {
        formId: 'wp',
        kind: 'whitepaper',
        title: 'Whitepaper 2026',
        views: 4,
        starts: 3,
        submissions: 2,
        viewToStart: 0.75,
        startToSubmission: 0.6667,
        viewToSubmission: 0.5,
        dropOffAfterView: 0.25,
        dropOffAfterStart: 0.3333,
      },
    ])
  })

  it('counts only what was received and submitted in the range', async () => {
    const site = await createSite()
    await formEvents(site, [{ type: 'form_view', formId: 'wp' }])
    expect((await postLead(site, leadBody(site))).status).toBe(201)
    const past = await formsReport(site, day(-10), day(-1))
    expect(past.forms).toEqual([
      expect.objectContaining({ formId: 'wp', views: 0, starts: 0, submissions: 0 }),
    ])
    const today = await formsReport(site, day(0), day(0))
    expect(today.forms).toEqual([
      expect.objectContaining({ formId: 'wp', views: 1, starts: 0, submissions: 1 }),
    ])
    expect(today).toMatchObject({ from: day(0), to: day(0) })
  })

  it('reads only the form events’ own index, never the other touchpoints (migration 0010)', async () => {
    const binds = reportBinds('acme', '2026-01-01', '2026-12-31')
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${FORMS_SQL}`)
      .bind(...binds.cohort)
      .all<{ detail: string }>()
    const plan = results.map((row) => row.detail)
    expect(plan).toContain(
      'SEARCH touchpoints USING COVERING INDEX touchpoints_form_events (site_key=? AND received_at>? AND received_at<?)',
    )
    expect(plan.filter((step) => /^SCAN (touchpoints|forms)\b/.test(step))).toEqual([])
  })
})
