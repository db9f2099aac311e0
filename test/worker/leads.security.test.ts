import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  call,
  createSite,
  expectProblem,
  leadBody,
  pageView,
  postEvents,
  postLead,
  rowCounts,
} from './helpers'

describe('POST /v1/leads and /v1/events, origins', () => {
  it('refuses a foreign origin, and a request without one', async () => {
    const site = await createSite()
    const before = await rowCounts()
    await expectProblem(
      await postLead(site, leadBody(site), { origin: 'https://evil.example' }),
      403,
      'origin_not_allowed',
    )
    const events = { siteKey: site.siteKey, events: [pageView(site.origin)] }
    await expectProblem(await postEvents('https://evil.example', events), 403, 'origin_not_allowed')
    // Readable by the refused page (widget/README.md#setup-mistakes), and still nothing written.
    const refused = await postEvents('https://evil.example', events)
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://evil.example')
    expect(refused.headers.get('access-control-allow-credentials')).toBeNull()
    await expectProblem(refused, 403, 'origin_not_allowed')
    const noOrigin = await call('/v1/events', { method: 'POST', body: JSON.stringify(events) })
    await expectProblem(noOrigin, 403, 'origin_not_allowed')
    expect(await rowCounts()).toEqual(before)
  })
})

describe('POST /v1/leads, where a site turns Cloudflare Turnstile on', () => {
  it('holds a submission without a confirmed token as spam with the reason turnstile', async () => {
    const site = await createSite({ turnstile: true })
    const before = await rowCounts()
    await expectProblem(
      await postLead(site, leadBody(site, { turnstileToken: 'forged' })),
      422,
      'spam_suspected',
    )
    await expectProblem(await postLead(site, leadBody(site)), 422, 'spam_suspected')
    expect(await rowCounts()).toEqual({ ...before, spam: before.spam! + 2 })
    const { results } = await env.DB.prepare('SELECT reason FROM spam WHERE site_key = ?1')
      .bind(site.siteKey)
      .all<{ reason: string }>()
    expect(results.map((r) => r.reason)).toEqual(['turnstile', 'turnstile'])
  })
})

describe('POST /v1/leads, a case the fuzzing found', () => {
  // Found by fuzzing: zod 4 skips a `__proto__` key of a record without validating it (so the
  // prototype of its output stays safe), so `fields.__proto__` was dropped silently and the
  // submission stored, where any other field the form does not have is refused with 422.
  it('refuses a __proto__ key in fields like any other field the form does not have, and writes nothing', async () => {
    const site = await createSite()
    const good = leadBody(site)
    // Parsed from JSON, so that `__proto__` is an own key that JSON.stringify writes out.
    const fields = Object.assign(
      JSON.parse('{"__proto__":"x"}') as Record<string, unknown>,
      good.fields,
    )
    const body = JSON.stringify({ ...good, fields })
    expect(body).toContain('"__proto__":"x"')
    const before = await rowCounts()
    const response = await call('/v1/leads', {
      method: 'POST',
      headers: {
        origin: site.origin,
        'content-type': 'application/json',
        'cf-connecting-ip': '2001:db8:fffb::1',
      },
      body,
    })
    expect.soft(response.status).toBe(422)
    expect.soft(await rowCounts(), 'the refusal writes nothing').toEqual(before)
  })
})
