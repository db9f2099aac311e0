import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ConsentReceipt, WithdrawResult } from '../../shared/consent'
import type { LeadDetail, LeadSubmissionResult } from '../../shared/leads'
import { admin, call, createSite, expectProblem, postLead } from './helpers'
import { NEWSLETTER_TEXT, newsletterSignup, linkIn } from './newsletter'

describe('double opt-in', () => {
  it('keeps marketing_email pending until the button on the mailed link confirms it, once', async () => {
    const { site, leadId, mail } = await newsletterSignup()
    expect(mail.recipient).toBe('Nina@example.org')
    expect(mail.subject).toContain('Acme GmbH')
    const consents = async () =>
      (
        (await (
          await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
        ).json()) as LeadDetail
      ).consents
    expect((await consents()).map((c) => [c.purpose, c.status, c.method])).toEqual([
      ['marketing_email', 'pending', 'double_opt_in'],
    ])

    const optin = linkIn(mail.body, /https?:\/\/\S+\/v1\/optin\/\S+/)
    // What a mail scanner or a person opening the link does: a page with a button, nothing confirmed.
    const page = await call(optin, { headers: { accept: 'text/html' } })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(page.headers.get('content-security-policy')).not.toContain('script')
    const html = await page.text()
    expect(html).toContain(`<form method="post" action="${optin}">`)
    expect(html).toContain('Anmeldung bestätigen')
    expect(html).not.toContain('<script')
    const json = await call(optin)
    expect(await json.json()).toEqual({ confirmed: false })
    expect(await consents(), 'GET confirms nothing').toHaveLength(1)

    const confirmed = await call(optin, {
      method: 'POST',
      headers: {
        'cf-connecting-ip': '198.51.100.23',
        'user-agent': 'Mozilla/5.0',
        origin: 'https://collector.test',
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
    })
    expect(confirmed.status).toBe(200)
    expect(await confirmed.text()).toContain('Anmeldung bestätigt')
    const after = await consents()
    expect(after[1]).toMatchObject({
      purpose: 'marketing_email',
      status: 'confirmed',
      method: 'double_opt_in',
      network: '198.51.100.0/24',
      textSha256: after[0]!.textSha256,
    })
    await expectProblem(await call(optin, { method: 'POST' }), 410, 'link_expired')
    await expectProblem(await call(optin), 410, 'link_expired')
    await expectProblem(await call('/v1/optin/this-is-not-a-real-token', { method: 'POST' }), 404)
    expect(await consents(), 'a used link confirms once').toHaveLength(2)
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
