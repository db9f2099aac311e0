import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createSite, pageView, postEvents } from './helpers'

describe('engaged_time touchpoints on POST /v1/events', () => {
  it('stores the seconds and the page view they belong to, and nothing of the kind on a page view', async () => {
    const site = await createSite()
    const view = pageView(`${site.origin}/pricing`)
    const engaged = pageView(`${site.origin}/pricing`, {
      type: 'engaged_time',
      value: 42,
      pageViewId: view.id,
    })
    const response = await postEvents(site.origin, {
      siteKey: site.siteKey,
      events: [view, engaged],
    })
    expect(response.status).toBe(202)
    const { results } = await env.DB.prepare(
      'SELECT event_id, type, value, page_view_id FROM touchpoints WHERE site_key = ?1 ORDER BY seq',
    )
      .bind(site.siteKey)
      .all()
    expect(results).toEqual([
      { event_id: view.id, type: 'page_view', value: null, page_view_id: null },
      { event_id: engaged.id, type: 'engaged_time', value: 42, page_view_id: view.id },
    ])
  })

  it("takes a page view's UTM parameters and click ids from its URL when it sends none", async () => {
    const site = await createSite()
    const view = pageView(
      `${site.origin}/lp?utm_source=LinkedIn&utm_campaign=Q4&gclid=abc&other=x&utm_medium=`,
    )
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId: crypto.randomUUID(),
      events: [view],
    })
    const row = await env.DB.prepare(
      'SELECT url, utm_source, utm_medium, utm_campaign, props FROM touchpoints WHERE event_id = ?1',
    )
      .bind(view.id)
      .first()
    expect(row).toEqual({
      url: `${site.origin}/lp`,
      utm_source: 'LinkedIn',
      utm_medium: null,
      utm_campaign: 'q4',
      props: JSON.stringify({ gclid: 'abc' }),
    })
  })
})
