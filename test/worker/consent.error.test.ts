import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import { issueStartToken } from '../../worker/src/domain/start-token'
import { admin, call, createSite, expectProblem, rowCounts } from './helpers'
import { linkIn, newsletterSignup } from './newsletter'

describe('a used, expired or unknown mailed link', () => {
  it("refuses an expired opt-in link: problem+json for API clients, a page in the lead's language for browsers", async () => {
    // The site is German; the lead signed up on the English form.
    const { leadId, mail } = await newsletterSignup('en')
    expect(mail.subject).toBe('Please confirm your subscription to Acme GmbH')
    await env.DB.prepare(
      "UPDATE lead_tokens SET expires_at = '2000-01-01T00:00:00.000Z' WHERE lead_id = ?1 AND purpose = 'optin'",
    )
      .bind(leadId)
      .run()
    const optin = linkIn(mail.body, /https?:\/\/\S+\/v1\/optin\/\S+/)
    await expectProblem(await call(optin), 410, 'link_expired')
    await expectProblem(await call(optin, { method: 'POST' }), 410, 'link_expired')
    for (const init of [{}, { method: 'POST' }]) {
      const page = await call(optin, { ...init, headers: { accept: 'text/html,*/*;q=0.8' } })
      expect(page.status).toBe(410)
      expect(page.headers.get('content-type')).toContain('text/html')
      const html = await page.text()
      expect(html).toContain('<html lang="en">')
      expect(html).toContain('Link expired')
      expect(html).toContain('Acme GmbH')
    }
  })

  it("shows a used opt-in link as a page in the lead's language, and an unknown link in the browser's", async () => {
    const { mail } = await newsletterSignup('de')
    const optin = linkIn(mail.body, /https?:\/\/\S+\/v1\/optin\/\S+/)
    expect((await call(optin, { method: 'POST' })).status).toBe(200)
    const used = await call(optin, { headers: { accept: 'text/html' } })
    expect(used.status).toBe(410)
    const html = await used.text()
    expect(html).toContain('<html lang="de">')
    expect(html).toContain('Link bereits verwendet')
    expect(html).not.toContain('link_expired')

    const unknown = 'Z'.repeat(32)
    for (const path of [
      `/v1/optin/${unknown}`,
      `/v1/consent/${unknown}`,
      `/v1/consent/${unknown}/withdraw`,
    ]) {
      const page = await call(path, {
        headers: { accept: 'text/html', 'accept-language': 'de-CH,de;q=0.9,en;q=0.5' },
      })
      expect(page.status, path).toBe(404)
      expect(page.headers.get('content-type')).toContain('text/html')
      expect(await page.text()).toContain('Link nicht gültig')
    }
    const oneClick = await call(`/v1/consent/${unknown}/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.status).toBe(404)
    expect(await oneClick.text()).toContain('<html lang="en">')
    await expectProblem(await call(`/v1/consent/${unknown}`), 404, 'link_not_found')
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
