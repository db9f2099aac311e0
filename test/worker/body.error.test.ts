import { describe, expect, it } from 'vitest'
import {
  call,
  createSite,
  expectProblem,
  leadBody,
  pageView,
  ROOT,
  rowCounts,
  WHITEPAPER_FORM,
} from './helpers'
import { linkIn, newsletterSignup } from './newsletter'

const MARK = 'INVALID-UTF8-HERE'

/**
 * JSON text whose one string holds raw bytes that are not UTF-8: a lone continuation byte, a
 * truncated sequence, an overlong encoding and a surrogate's encoding (RFC 3629 §3). `text()`
 * would read each as U+FFFD.
 */
function withInvalidBytes(json: unknown): Uint8Array {
  const [before, after] = JSON.stringify(json).split(MARK) as [string, string]
  const encoder = new TextEncoder()
  return new Uint8Array([
    ...encoder.encode(before),
    0x80,
    0xc3,
    0x28,
    0xc0,
    0xaf,
    0xed,
    0xa0,
    0x80,
    ...encoder.encode(after),
  ])
}

function send(path: string, method: string, body: Uint8Array, headers: Record<string, string>) {
  return call(path, { method, headers, body })
}

// docs/wire-contract.md#errors: a body that is not UTF-8 is refused as the schema would refuse it,
// never stored with replacement characters, on every route that reads a body.
describe('a body that is not valid UTF-8', () => {
  it('is refused with 400 malformed_json on every route that reads a body, and nothing is written', async () => {
    const site = await createSite()
    const { mail } = await newsletterSignup()
    const withdraw = linkIn(mail.body, /https?:\/\/\S+\/v1\/consent\/[A-Za-z0-9_-]+\/withdraw/)
    const browser = { origin: site.origin, 'cf-connecting-ip': '203.0.113.9' }
    const root = { authorization: `Bearer ${ROOT}`, 'content-type': 'application/json' }
    const cases: [string, string, Uint8Array, Record<string, string>][] = [
      [
        '/v1/events',
        'POST',
        withInvalidBytes({
          siteKey: site.siteKey,
          events: [pageView(`${site.origin}/${MARK}`)],
        }),
        { ...browser, 'content-type': 'text/plain;charset=UTF-8' },
      ],
      [
        '/v1/leads',
        'POST',
        withInvalidBytes(leadBody(site, { fields: { email: 'anna@firma.de', company: MARK } })),
        { ...browser, 'content-type': 'text/plain;charset=UTF-8' },
      ],
      [
        `/v1/admin/sites/${site.siteKey}`,
        'PUT',
        withInvalidBytes({ name: MARK, allowedOrigins: [site.origin], locale: 'de' }),
        root,
      ],
      [
        `/v1/admin/sites/${site.siteKey}/forms/other`,
        'PUT',
        withInvalidBytes({ ...WHITEPAPER_FORM, title: MARK }),
        root,
      ],
      [
        `/v1/admin/sites/${site.siteKey}/campaigns/q4`,
        'PUT',
        withInvalidBytes({ name: MARK }),
        root,
      ],
      [
        `/v1/admin/sites/${site.siteKey}/tokens`,
        'POST',
        withInvalidBytes({ scopes: ['leads:read'], label: MARK }),
        root,
      ],
      [
        withdraw,
        'POST',
        withInvalidBytes({ purposes: [MARK] }),
        { 'content-type': 'application/json' },
      ],
    ]
    for (const [path, method, body, headers] of cases) {
      const before = await rowCounts()
      const problem = await expectProblem(
        await send(path, method, body, headers),
        400,
        'malformed_json',
      )
      expect(problem.detail, path).toBe('The request body is not valid UTF-8.')
      expect(await rowCounts(), `${method} ${path} wrote nothing`).toEqual(before)
    }
  })

  it('still reads a body that is valid UTF-8, umlauts and a byte order mark included', async () => {
    const site = await createSite()
    const text = JSON.stringify(leadBody(site, { fields: { email: 'jörg@müller.de' } }))
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)])
    const response = await send('/v1/leads', 'POST', bytes, {
      origin: site.origin,
      'cf-connecting-ip': '203.0.113.9',
      'content-type': 'text/plain;charset=UTF-8',
    })
    // The local part is not ASCII, so the address itself is refused: the body was read.
    await expectProblem(response, 422, 'validation_failed')
    const ok = await send(
      '/v1/leads',
      'POST',
      new TextEncoder().encode(
        JSON.stringify(
          leadBody(site, { fields: { email: 'info@müller.de', company: 'Bäckerei Groß' } }),
        ),
      ),
      { origin: site.origin, 'cf-connecting-ip': '203.0.113.9', 'content-type': 'text/plain' },
    )
    expect(ok.status).toBe(201)
  })
})
