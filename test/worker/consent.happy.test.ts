import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ConsentReceipt, WithdrawResult } from '../../shared/consent'
import type { LeadDetail, LeadSubmissionResult } from '../../shared/leads'
import { admin, call, createSite, expectProblem, leadBody, postLead } from './helpers'
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

  it("shows a readable receipt with the true history, in the lead's language, also after a withdrawal", async () => {
    const { mail } = await newsletterSignup('de')
    const receiptPath = linkIn(mail.body, /https?:\/\/\S+\/v1\/consent\/[A-Za-z0-9_-]+(?=\s)/)
    const optin = linkIn(mail.body, /https?:\/\/\S+\/v1\/optin\/\S+/)
    expect((await call(optin, { method: 'POST' })).status).toBe(200)
    expect((await call(`${receiptPath}/withdraw`, { method: 'POST' })).status).toBe(200)
    const page = await call(receiptPath, { headers: { accept: 'text/html' } })
    const html = await page.text()
    expect(html).toContain('<html lang="de">')
    expect(html).toContain('<header><p>Acme GmbH</p></header>')
    expect(html).toContain('E-Mails von Acme GmbH')
    const events = [
      'Sie haben sich angemeldet; die Bestätigung per E-Mail stand aus.',
      'Sie haben Ihre Anmeldung über den Link in der E-Mail bestätigt.',
      'Sie haben Ihre Einwilligung widerrufen.',
    ]
    const at = events.map((e) => html.indexOf(e))
    expect(
      at.every((i) => i > 0),
      'given, confirmed and withdrawn are all listed',
    ).toBe(true)
    expect(
      [...at].sort((a, b) => a - b),
      'in the order they happened',
    ).toEqual(at)
    // The text as shown, with the given and the confirmed entry.
    expect(html.split(`<blockquote>${NEWSLETTER_TEXT}</blockquote>`)).toHaveLength(3)
    expect(html).toMatch(
      /<time datetime="[^"]+">\d{1,2}\. \p{L}+ \d{4} um \d{2}:\d{2} MEZ<\/time>/u,
    )
    expect(html).toContain('Derzeit ist keine Ihrer Einwilligungen in Kraft.')
    expect(html, 'the purpose says it was withdrawn, not that it was never given').toContain(
      '<strong>Aktuell:</strong> widerrufen',
    )
    expect(html).not.toContain('keine Einwilligung gegeben')
    expect(html, 'no withdrawal button once nothing is in force').not.toContain('<form')
    // No machine words: purposes, statuses, methods and raw times are for the JSON receipt.
    const visible = html.replace(/<style[^]*?<\/style>|<[^>]+>/g, ' ')
    for (const word of ['marketing_email', 'pending', 'double_opt_in', 'withdrawn', 'T0', '.000Z'])
      expect(visible, word).not.toContain(word)
  })

  it('answers a whitepaper submission that gave a consent with a link to its receipt', async () => {
    const site = await createSite()
    const body = leadBody(site, { locale: 'en' })
    const result = (await (await postLead(site, body)).json()) as LeadSubmissionResult
    expect(result.receiptUrl).toMatch(/^https:\/\/collector\.test\/v1\/consent\/[A-Za-z0-9_-]{32}$/)
    const page = await call(new URL(result.receiptUrl!).pathname, {
      headers: { accept: 'text/html' },
    })
    const html = await page.text()
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('You gave your consent (ticked the box on the form).')
    expect(html).toContain('Withdraw all consents')
    const replay = (await (await postLead(site, body)).json()) as LeadSubmissionResult
    expect(replay.receiptUrl, 'a replay answers the same link').toBe(result.receiptUrl)
    const { n } = (await env.DB.prepare(
      "SELECT count(*) AS n FROM lead_tokens WHERE lead_id = ?1 AND purpose = 'consent'",
    )
      .bind(result.leadId)
      .first()) as { n: number }
    expect(n, 'stored once, hashed').toBe(1)

    const refused = (await (
      await postLead(
        site,
        leadBody(site, {
          fields: { email: 'no.consent@firma.de', firstName: 'Ole', lastName: 'Berg' },
          consents: [
            {
              purpose: 'marketing_email',
              granted: false,
              textId: site.consentTextIds.marketing_email!,
            },
          ],
        }),
      )
    ).json()) as LeadSubmissionResult
    expect(refused.receiptUrl, 'no consent given, no receipt').toBeUndefined()
  })

  it("brands the receipt and withdrawal pages with the site's accent, and text on it stays readable", async () => {
    const site = await createSite({ accentColor: '#ffeb3b' })
    const result = (await (
      await postLead(site, leadBody(site, { locale: 'en' }))
    ).json()) as LeadSubmissionResult
    const receiptPath = new URL(result.receiptUrl!).pathname
    for (const path of [receiptPath, `${receiptPath}/withdraw`]) {
      const html = await (await call(path, { headers: { accept: 'text/html' } })).text()
      // Yellow takes near-black text (15.5:1, white would be 1.2:1); links on white, where
      // yellow would be unreadable, take the body text colour.
      expect(html, path).toContain(':root{--a:#ffeb3b;--t:#111111;--l:#1f2937}')
      expect(html, path).toContain('header{background:var(--a);color:var(--t);')
      expect(html, path).toContain('<button')
    }

    const plain = await createSite()
    const answer = (await (
      await postLead(plain, leadBody(plain, { locale: 'en' }))
    ).json()) as LeadSubmissionResult
    const html = await (
      await call(new URL(answer.receiptUrl!).pathname, { headers: { accept: 'text/html' } })
    ).text()
    expect(html, 'no accent set: the default, with white text').toContain(
      ':root{--a:#1d4ed8;--t:#ffffff;--l:#1d4ed8}',
    )
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
