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

/** Each bad-input class answers 4xx problem+json and leaves every table unchanged. */
describe('bad input to the public API', () => {
  it.each([
    ['malformed JSON', 400, 'malformed_json', '{"siteKey": '],
    ['a wrong type', 422, 'validation_failed', { siteKey: 'SITE', formId: 7 }],
    ['a missing field', 422, 'validation_failed', 'missing-submissionId'],
    ['an over-long string', 422, 'validation_failed', 'long-name'],
    ['an invalid email', 422, 'validation_failed', 'bad-email'],
    ['an unknown site', 404, 'site_not_found', 'unknown-site'],
    ['an unknown form', 404, 'form_not_found', 'unknown-form'],
    ['a javascript: page URL', 422, 'validation_failed', 'js-url'],
    ['a field the form does not have', 422, 'validation_failed', 'extra-field'],
    ['a control character in a name', 422, 'validation_failed', 'control-char'],
    ['a consent text the form does not show', 422, 'consent_invalid', 'wrong-text'],
    ['a required consent not granted', 422, 'consent_invalid', 'no-consent'],
  ] as const)('refuses %s on POST /v1/leads', async (_name, status, code, variant) => {
    const site = await createSite()
    const good = leadBody(site)
    const bodies: Record<string, unknown> = {
      'missing-submissionId': { ...good, submissionId: undefined },
      'long-name': { ...good, fields: { ...good.fields, firstName: 'A'.repeat(5001) } },
      'bad-email': { ...good, fields: { ...good.fields, email: 'anna@@firma' } },
      'unknown-site': { ...good, siteKey: 'no-such-site' },
      'unknown-form': { ...good, formId: 'nope' },
      'js-url': { ...good, page: { url: 'javascript:alert(1)' } },
      'extra-field': { ...good, fields: { ...good.fields, salary: '1' } },
      'control-char': { ...good, fields: { ...good.fields, firstName: 'An\u0000na' } },
      'wrong-text': {
        ...good,
        consents: [{ purpose: 'marketing_email', granted: true, textId: 'ct_other' }],
      },
      'no-consent': { ...good, consents: [] },
    }
    const body = typeof variant === 'string' && variant in bodies ? bodies[variant] : variant
    const before = await rowCounts()
    const problem = await expectProblem(await postLead(site, body as object), status, code)
    if (status === 422) expect(problem.errors?.length).toBeGreaterThan(0)
    expect(await rowCounts()).toEqual(before)
  })

  it('refuses an invalid email with a field error the form can show', async () => {
    const site = await createSite()
    const good = leadBody(site)
    const problem = await expectProblem(
      await postLead(site, { ...good, fields: { ...good.fields, email: 'anna@' } }),
      422,
    )
    expect(problem.errors).toContainEqual({
      path: 'fields.email',
      message: 'is not a valid email address',
    })
  })

  it('refuses a disposable email domain and holds the attempt in the spam table', async () => {
    const site = await createSite()
    const good = leadBody(site)
    const before = await rowCounts()
    const problem = await expectProblem(
      await postLead(site, { ...good, fields: { ...good.fields, email: 'temp@mailinator.com' } }),
      422,
      'disposable_email',
    )
    expect(problem.errors?.[0]?.path).toBe('fields.email')
    const after = await rowCounts()
    expect(after).toEqual({ ...before, spam: before.spam! + 1 })
  })

  it('holds a filled honeypot as spam and creates no lead', async () => {
    const site = await createSite()
    const before = await rowCounts()
    await expectProblem(
      await postLead(site, leadBody(site, { honeypot: 'http://spam.example' })),
      422,
      'spam_suspected',
    )
    expect(await rowCounts()).toEqual({ ...before, spam: before.spam! + 1 })
  })

  it('refuses an oversized body with 413 before reading it', async () => {
    const site = await createSite()
    const before = await rowCounts()
    await expectProblem(await postLead(site, 'x'.repeat(70 * 1024)), 413, 'body_too_large')
    await expectProblem(
      await postEvents(site.origin, 'x'.repeat(300 * 1024)),
      413,
      'body_too_large',
    )
    expect(await rowCounts()).toEqual(before)
  })

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
    const noOrigin = await call('/v1/events', { method: 'POST', body: JSON.stringify(events) })
    await expectProblem(noOrigin, 403, 'origin_not_allowed')
    expect(await rowCounts()).toEqual(before)
  })

  it.each([
    ['malformed JSON', 400, '[{'],
    ['a batch over 100 events', 422, 'too-many'],
    ['an empty batch', 422, 'empty'],
    ['an event without an id', 422, 'no-id'],
    ['an unknown event type', 422, 'bad-type'],
    ['a file: URL', 422, 'file-url'],
    ['an unknown site', 404, 'unknown-site'],
    ['an unsupported content type', 415, 'form-encoded'],
  ] as const)('refuses %s on POST /v1/events', async (_name, status, variant) => {
    const site = await createSite()
    const one = () => pageView(site.origin)
    const bodies: Record<string, unknown> = {
      'too-many': { siteKey: site.siteKey, events: Array.from({ length: 101 }, one) },
      empty: { siteKey: site.siteKey, events: [] },
      'no-id': { siteKey: site.siteKey, events: [{ ...one(), id: undefined }] },
      'bad-type': { siteKey: site.siteKey, events: [{ ...one(), type: 'purchase' }] },
      'file-url': { siteKey: site.siteKey, events: [{ ...one(), url: 'file:///etc/passwd' }] },
      'unknown-site': { siteKey: 'no-such-site', events: [one()] },
      'form-encoded': { siteKey: site.siteKey, events: [one()] },
    }
    const body = variant in bodies ? bodies[variant] : variant
    const before = await rowCounts()
    const response = await postEvents(site.origin, body as object, {
      contentType: variant === 'form-encoded' ? 'application/x-www-form-urlencoded' : 'text/plain',
    })
    await expectProblem(response, status)
    expect(await rowCounts()).toEqual(before)
  })

  it('answers an unknown path with a 404 problem', async () => {
    await expectProblem(await call('/v1/nothing-here'), 404, 'not_found')
  })
})

describe('spam signals on POST /v1/leads', () => {
  it('refuses a submission without a valid start token and writes nothing', async () => {
    const site = await createSite()
    const other = await createSite()
    const before = await rowCounts()
    const missing = await postLead(site, leadBody(site, { startToken: undefined }))
    const problem = await expectProblem(missing, 422, 'start_token_invalid')
    expect(problem.errors?.[0]?.path).toBe('startToken')
    await expectProblem(
      await postLead(site, leadBody(site, { startToken: other.startToken })),
      422,
      'start_token_invalid',
    )
    expect(await rowCounts()).toEqual(before)
  })

  it('holds a form filled faster than a human can as spam with the reason too_fast', async () => {
    const site = await createSite()
    const start = (await (
      await call(`/v1/sites/${site.siteKey}/forms/wp/start`, { headers: { origin: site.origin } })
    ).json()) as { startToken: string }
    const before = await rowCounts()
    await expectProblem(
      await postLead(site, leadBody(site, { startToken: start.startToken })),
      422,
      'spam_suspected',
    )
    expect(await rowCounts()).toEqual({ ...before, spam: before.spam! + 1 })
    const { reason } = (await env.DB.prepare('SELECT reason FROM spam WHERE site_key = ?1')
      .bind(site.siteKey)
      .first()) as { reason: string }
    expect(reason).toBe('too_fast')
  })
})
