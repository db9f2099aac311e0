import { describe, expect, it } from 'vitest'
import type { ConsentReceipt } from '../../shared/consent'
import { call, expectProblem, rowCounts } from './helpers'
import { linkIn, newsletterSignup } from './newsletter'

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
