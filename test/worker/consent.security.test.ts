import { describe, expect, it } from 'vitest'
import type { ConsentReceipt } from '../../shared/consent'
import { env } from 'cloudflare:workers'
import { issueStartToken } from '../../worker/src/domain/start-token'
import { call, expectProblem, postLead, rowCounts } from './helpers'
import { linkIn, newsletterSignup } from './newsletter'

const OPTIN = /https?:\/\/\S+\/v1\/optin\/\S+/
const RECEIPT = /https?:\/\/\S+\/v1\/consent\/[A-Za-z0-9_-]+(?=\s)/

async function currentStatus(receiptPath: string): Promise<string | undefined> {
  const receipt = (await (await call(receiptPath)).json()) as ConsentReceipt
  return receipt.current.find((c) => c.purpose === 'marketing_email')?.status
}

/** Each mailed link does its one job: a token issued for one purpose opens nothing else. */
describe('the consent links of a lead', () => {
  it('refuses a receipt token as an opt-in and an opt-in token as a receipt or withdrawal, and writes nothing', async () => {
    const { mail } = await newsletterSignup()
    const optinToken = linkIn(mail.body, /https?:\/\/\S+\/v1\/optin\/\S+/)
      .split('/')
      .pop()!
    const receiptToken = linkIn(mail.body, /https?:\/\/\S+\/v1\/consent\/[A-Za-z0-9_-]+(?=\s)/)
      .split('/')
      .pop()!
    const before = await rowCounts()
    await expectProblem(await call(`/v1/optin/${receiptToken}`), 404, 'link_not_found')
    await expectProblem(await call(`/v1/consent/${optinToken}`), 404, 'link_not_found')
    await expectProblem(
      await call(`/v1/consent/${optinToken}/withdraw`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ purposes: ['marketing_email'] }),
      }),
      404,
      'link_not_found',
    )
    expect(await rowCounts(), 'the refusals write nothing').toEqual(before)
    const receipt = (await (await call(`/v1/consent/${receiptToken}`)).json()) as ConsentReceipt
    expect(receipt.current, 'the opt-in is still pending').toEqual([
      expect.objectContaining({ purpose: 'marketing_email', status: 'pending' }),
    ])
  })
})

describe('a mail scanner on the opt-in link', () => {
  it('confirms nothing with HEAD or GET, whatever it accepts', async () => {
    const { mail } = await newsletterSignup()
    const optin = linkIn(mail.body, OPTIN)
    const before = await rowCounts()
    for (const method of ['HEAD', 'GET'])
      for (const accept of ['text/html', 'application/json', '*/*']) {
        const answer = await call(optin, { method, headers: { accept } })
        expect(answer.status, `${method} ${accept}`).toBe(200)
      }
    expect(await rowCounts(), 'HEAD and GET write nothing').toEqual(before)
    expect(await currentStatus(linkIn(mail.body, RECEIPT))).toBe('pending')
  })

  it('refuses a confirmation posted from another origin, and writes nothing', async () => {
    const { mail } = await newsletterSignup()
    const optin = linkIn(mail.body, OPTIN)
    const before = await rowCounts()
    for (const origin of ['https://evil.example', 'null']) {
      await expectProblem(
        await call(optin, { method: 'POST', headers: { origin } }),
        403,
        'origin_not_allowed',
      )
    }
    expect(await rowCounts()).toEqual(before)
  })
})

describe('a withdrawal is final', () => {
  it('does not come back through an older opt-in link, used or not, until consent is given anew', async () => {
    const { site, mail } = await newsletterSignup()
    const optin = linkIn(mail.body, OPTIN)
    const receipt = linkIn(mail.body, RECEIPT)
    const withdraw = await call(`${receipt}/withdraw`, { method: 'POST' })
    expect(await withdraw.json()).toEqual({ withdrawn: ['marketing_email'] })

    const before = await rowCounts()
    await expectProblem(await call(optin, { method: 'POST' }), 410, 'link_expired')
    const page = await call(optin, {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(page.status).toBe(410)
    expect(await page.text()).toContain('Sie haben diese Einwilligung widerrufen')
    expect(await rowCounts(), 'the old link writes nothing').toEqual(before)
    expect(await currentStatus(receipt)).toBe('withdrawn')

    // Signing up again is consent given anew: its own, newer link confirms; the old one still not.
    const { text_id: textId } = (await env.DB.prepare(
      'SELECT text_id FROM consent_ledger WHERE site_key = ?1 ORDER BY id LIMIT 1',
    )
      .bind(site.siteKey)
      .first<{ text_id: string }>())!
    const again = await postLead(site, {
      siteKey: site.siteKey,
      formId: 'nl',
      submissionId: crypto.randomUUID(),
      fields: { email: 'nina@example.org' },
      consents: [{ purpose: 'marketing_email', granted: true, textId }],
      page: { url: `${site.origin}/blog` },
      startToken: await issueStartToken(
        env.LODESTONE_SECRET,
        site.siteKey,
        'nl',
        Date.now() - 10_000,
      ),
    })
    expect(again.status).toBe(201)
    const mails = await env.DB.prepare('SELECT body FROM outbox WHERE site_key = ?1 ORDER BY id')
      .bind(site.siteKey)
      .all<{ body: string }>()
    expect(mails.results).toHaveLength(2)
    const newer = linkIn(mails.results[1]!.body, OPTIN)
    await expectProblem(await call(optin, { method: 'POST' }), 410, 'link_expired')
    expect(await currentStatus(receipt)).toBe('pending')
    expect((await call(newer, { method: 'POST' })).status).toBe(200)
    expect(await currentStatus(receipt)).toBe('confirmed')
  })
})
