import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../worker/src/lib/crypto'
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

describe('POST /v1/leads, one start token serves one submission', () => {
  const startTokenUse = async (token: string) =>
    env.DB.prepare('SELECT submission_id, expires_at FROM start_token_uses WHERE token_sha256 = ?1')
      .bind(await sha256Hex(token))
      .first<{ submission_id: string; expires_at: string }>()
  const spamReasons = async (siteKey: string) =>
    (
      await env.DB.prepare('SELECT reason FROM spam WHERE site_key = ?1 ORDER BY id')
        .bind(siteKey)
        .all<{ reason: string }>()
    ).results.map((row) => row.reason)

  it('holds a second submission with the same token as spam, and still answers a replay of the first', async () => {
    const site = await createSite()
    const startToken = site.startToken
    const first = leadBody(site, { startToken })
    const stored = await postLead(site, first)
    expect(stored.status).toBe(201)
    const answer = await stored.json()

    const before = await rowCounts()
    const second = leadBody(site, {
      startToken,
      fields: { ...first.fields, email: 'bot.two@firma.de' },
    })
    const problem = await expectProblem(
      await postLead(site, second, { language: 'en' }),
      422,
      'spam_suspected',
    )
    expect(problem.errors).toEqual([
      { path: 'startToken', reason: 'invalid', message: 'was already used for another submission' },
    ])
    expect(await rowCounts()).toEqual({ ...before, spam: before.spam! + 1 })
    expect(await spamReasons(site.siteKey)).toEqual(['token_reused'])

    // The first submission sent again (a network retry) is its own replay: 200 and the same answer.
    const replay = await postLead(site, first)
    expect(replay.status).toBe(200)
    expect(await replay.json()).toEqual(answer)
    expect(await rowCounts()).toEqual({ ...before, spam: before.spam! + 1 })
  })

  it('of many submissions racing with one token exactly one is stored', async () => {
    const site = await createSite()
    const startToken = site.startToken
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        postLead(
          site,
          leadBody(site, {
            startToken,
            fields: { email: `race-${i}@firma.de`, firstName: 'Anna', lastName: 'Berg' },
          }),
          { ip: `198.51.100.${i + 1}` },
        ),
      ),
    )
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 422, 422, 422, 422, 422])
    const { n } = (await env.DB.prepare('SELECT count(*) AS n FROM leads WHERE site_key = ?1')
      .bind(site.siteKey)
      .first<{ n: number }>())!
    expect(n).toBe(1)
    expect(await spamReasons(site.siteKey)).toEqual(Array(5).fill('token_reused'))
  })

  it('leaves the token to the corrected try after a refusal, as the widget sends it', async () => {
    const site = await createSite()
    const startToken = site.startToken
    const typo = leadBody(site, { startToken, fields: { email: 'anna.berg@firma' } })
    await expectProblem(await postLead(site, typo), 422, 'validation_failed')
    expect(await startTokenUse(startToken)).toBeNull()
    // The widget sends the corrected form as a new submission with the token it has.
    const corrected = leadBody(site, { startToken })
    expect((await postLead(site, corrected)).status).toBe(201)
    const use = await startTokenUse(startToken)
    expect(use?.submission_id).toBe(corrected.submissionId)
    // Kept no longer than the token could be valid: at most 24 hours.
    expect(Date.parse(use!.expires_at) - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000)
    expect(Date.parse(use!.expires_at) - Date.now()).toBeGreaterThan(23 * 3600 * 1000)
  })
})
