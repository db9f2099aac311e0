import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ConsentReceipt, WithdrawResult } from '../../shared/consent'
import type { LeadDetail, LeadSubmissionResult } from '../../shared/leads'
import { issueStartToken } from '../../worker/src/domain/start-token'
import { admin, call, createSite, expectProblem, postLead, type TestSite } from './helpers'

const NEWSLETTER_TEXT = 'Ja, ich möchte den Newsletter erhalten. Abmeldung jederzeit.'

async function newsletterSignup(): Promise<{
  site: TestSite
  leadId: string
  mail: { subject: string; body: string; recipient: string }
}> {
  const site = await createSite()
  const form = await admin(`/v1/admin/sites/${site.siteKey}/forms/nl`, 'PUT', {
    kind: 'newsletter',
    title: 'Newsletter',
    fields: [{ name: 'email', type: 'email', required: true, label: 'E-Mail' }],
    consents: [{ purpose: 'marketing_email', text: NEWSLETTER_TEXT, required: true }],
  })
  const textId = ((await form.json()) as { consents: { textId: string }[] }).consents[0]!.textId
  const response = await postLead(site, {
    siteKey: site.siteKey,
    formId: 'nl',
    submissionId: crypto.randomUUID(),
    fields: { email: 'Nina@Example.org' },
    consents: [{ purpose: 'marketing_email', granted: true, textId }],
    page: { url: `${site.origin}/blog` },
    startToken: await issueStartToken(
      env.LODESTONE_SECRET,
      site.siteKey,
      'nl',
      Date.now() - 10_000,
    ),
  })
  expect(response.status).toBe(201)
  const { leadId } = (await response.json()) as LeadSubmissionResult
  const mail = await env.DB.prepare(
    'SELECT subject, body, recipient FROM outbox WHERE lead_id = ?1',
  )
    .bind(leadId)
    .first<{ subject: string; body: string; recipient: string }>()
  expect(mail).not.toBeNull()
  return { site, leadId, mail: mail! }
}

function linkIn(body: string, pattern: RegExp): string {
  const match = pattern.exec(body)
  expect(match).not.toBeNull()
  return new URL(match![0]).pathname
}

describe('double opt-in', () => {
  it('keeps marketing_email pending until the mailed link confirms it, once', async () => {
    const { site, leadId, mail } = await newsletterSignup()
    expect(mail.recipient).toBe('Nina@example.org')
    expect(mail.subject).toContain('Acme GmbH')
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
    ).json()) as LeadDetail
    expect(lead.consents.map((c) => [c.purpose, c.status, c.method])).toEqual([
      ['marketing_email', 'pending', 'double_opt_in'],
    ])

    const optin = linkIn(mail.body, /https?:\/\/\S+\/v1\/optin\/\S+/)
    const confirmed = await call(optin, {
      headers: { 'cf-connecting-ip': '198.51.100.23', 'user-agent': 'MailClient' },
    })
    expect(confirmed.status).toBe(200)
    const after = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
    ).json()) as LeadDetail
    expect(after.consents[1]).toMatchObject({
      purpose: 'marketing_email',
      status: 'confirmed',
      method: 'double_opt_in',
      network: '198.51.100.0/24',
      textSha256: after.consents[0]!.textSha256,
    })
    await expectProblem(await call(optin), 410, 'link_expired')
    await expectProblem(await call('/v1/optin/this-is-not-a-real-token'), 404)
  })

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

describe('consent receipt and withdrawal', () => {
  it('shows the lead its consents with the exact text, and withdraws them in one step', async () => {
    const { mail } = await newsletterSignup()
    const receiptPath = linkIn(mail.body, /https?:\/\/\S+\/v1\/consent\/[A-Za-z0-9_-]+(?=\s)/)
    const receipt = (await (await call(receiptPath)).json()) as ConsentReceipt
    expect(receipt.email).toBe('Nina@example.org')
    expect(receipt.entries[0]).toMatchObject({
      purpose: 'marketing_email',
      status: 'pending',
      text: NEWSLETTER_TEXT,
      textVersion: 2,
    })
    const html = await call(receiptPath, { headers: { accept: 'text/html' } })
    expect(html.headers.get('content-type')).toContain('text/html')
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await html.text()).toContain('/withdraw')

    const withdrawPath = linkIn(mail.body, /https?:\/\/\S+\/v1\/consent\/\S+\/withdraw/)
    expect((await call(withdrawPath)).status).toBe(200)
    const again = (await (await call(receiptPath)).json()) as ConsentReceipt
    expect(again.current).toEqual([
      expect.objectContaining({ purpose: 'marketing_email', status: 'pending' }),
    ])

    const withdrawn = await call(withdrawPath, { method: 'POST' })
    expect((await withdrawn.json()) as WithdrawResult).toEqual({ withdrawn: ['marketing_email'] })
    const final = (await (await call(receiptPath)).json()) as ConsentReceipt
    expect(final.current).toEqual([
      expect.objectContaining({ purpose: 'marketing_email', status: 'withdrawn' }),
    ])
    expect(final.entries.map((e) => e.status)).toEqual(['pending', 'withdrawn'])

    const oneClick = await call(withdrawPath, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.status).toBe(200)
    expect(((await (await call(receiptPath)).json()) as ConsentReceipt).entries).toHaveLength(2)
  })

  it('sends no mail for a whitepaper form, whose consent is granted by its checkbox', async () => {
    const site = await createSite()
    const { leadId } = (await (
      await postLead(site, {
        siteKey: site.siteKey,
        formId: 'wp',
        submissionId: crypto.randomUUID(),
        fields: { email: 'max@firma.de' },
        consents: [
          {
            purpose: 'marketing_email',
            granted: true,
            textId: site.consentTextIds.marketing_email!,
          },
        ],
        page: { url: `${site.origin}/wp` },
        startToken: site.startToken,
      })
    ).json()) as LeadSubmissionResult
    const { n } = (await env.DB.prepare('SELECT count(*) AS n FROM outbox WHERE lead_id = ?1')
      .bind(leadId)
      .first()) as { n: number }
    expect(n).toBe(0)
  })
})
