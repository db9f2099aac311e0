import { describe, expect, it } from 'vitest'
import { createSite, expectProblem, pageView, postEvents, rowCounts } from './helpers'

/** Each bad-input class answers 4xx problem+json and leaves every table unchanged. */
describe('bad input to POST /v1/events', () => {
  it.each([
    ['malformed JSON', 400, '[{'],
    ['a batch over 100 events', 422, 'too-many'],
    ['an empty batch', 422, 'empty'],
    ['an event without an id', 422, 'no-id'],
    ['an unknown event type', 422, 'bad-type'],
    ['a file: URL', 422, 'file-url'],
    ['a consent other than "refused"', 422, 'bad-consent'],
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
      'bad-consent': { siteKey: site.siteKey, consent: 'granted', events: [one()] },
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
})
