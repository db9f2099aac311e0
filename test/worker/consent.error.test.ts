import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import { issueStartToken } from '../../worker/src/domain/start-token'
import { admin, call, createSite, expectProblem, rowCounts } from './helpers'
import { linkIn, newsletterSignup } from './newsletter'

describe('GET /v1/optin/{token}', () => {
  it('refuses an expired opt-in link', async () => {
    const { leadId, mail } = await newsletterSignup()
    await env.DB.prepare(
      "UPDATE lead_tokens SET expires_at = '2000-01-01T00:00:00.000Z' WHERE lead_id = ?1 AND purpose = 'optin'",
    )
      .bind(leadId)
      .run()
    await expectProblem(await call(linkIn(mail.body, /https?:\/\/\S+\/v1\/optin\/\S+/)), 410)
  })
})

describe('POST /v1/consent/{token}/withdraw, a case the fuzzing found', () => {
  // Found by fuzzing: the withdrawal read its JSON body only under the lower-case `application/json`,
  // but media types are case-insensitive (RFC 9110 §8.3.1). With `Application/JSON` the body was
  // ignored, malformed JSON was not refused, and every consent was withdrawn instead of those named.
  it('reads a JSON withdrawal whatever the case of its media type, and withdraws only the purposes named', async () => {
    const site = await createSite()
    const form = await admin(`/v1/admin/sites/${site.siteKey}/forms/nl`, 'PUT', {
      kind: 'newsletter',
      title: 'Newsletter',
      fields: [{ name: 'email', type: 'email', required: true, label: 'E-Mail' }],
      consents: [
        {
          purpose: 'marketing_email',
          text: 'Ja, ich möchte den Newsletter erhalten.',
          required: true,
        },
        {
          purpose: 'tracking',
          text: 'Ich bin mit der Auswertung meines Besuchs einverstanden.',
          required: false,
        },
      ],
    })
    const consents = ((await form.json()) as { consents: { purpose: string; textId: string }[] })
      .consents
    const signup = await call('/v1/leads', {
      method: 'POST',
      headers: {
        origin: site.origin,
        'content-type': 'application/json',
        'cf-connecting-ip': '2001:db8:fffc::1',
      },
      body: JSON.stringify({
        siteKey: site.siteKey,
        formId: 'nl',
        submissionId: crypto.randomUUID(),
        fields: { email: 'case.check@example.org' },
        consents: consents.map(({ purpose, textId }) => ({ purpose, granted: true, textId })),
        page: { url: `${site.origin}/blog` },
        startToken: await issueStartToken(
          env.LODESTONE_SECRET,
          site.siteKey,
          'nl',
          Date.now() - 60_000,
        ),
      }),
    })
    expect(signup.status).toBe(201)
    const { leadId } = (await signup.json()) as LeadSubmissionResult
    const mail = await env.DB.prepare('SELECT body FROM outbox WHERE lead_id = ?1')
      .bind(leadId)
      .first<{ body: string }>()
    const token = /\/v1\/consent\/([A-Za-z0-9_-]+)/.exec(mail!.body)![1]!

    const before = await rowCounts()
    const malformed = await call(`/v1/consent/${token}/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON' },
      body: '{',
    })
    expect.soft(malformed.status, 'malformed JSON is refused').toBe(400)
    expect.soft(await rowCounts(), 'the refusal writes nothing').toEqual(before)
    const withdrawal = await call(`/v1/consent/${token}/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON' },
      body: JSON.stringify({ purposes: ['tracking'] }),
    })
    expect.soft(withdrawal.status).toBe(200)
    expect
      .soft(await withdrawal.json(), 'only the purpose named is withdrawn')
      .toEqual({ withdrawn: ['tracking'] })
  })
})
