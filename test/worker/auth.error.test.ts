import { describe, expect, it } from 'vitest'
import { admin, call, createSite, expectProblem, rowCounts } from './helpers'
import { freshNetwork, lastMailTo, redeem, SAME_ORIGIN } from './sessions'

const post = (path: string, body: unknown) =>
  call(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'cf-connecting-ip': freshNetwork(),
      ...SAME_ORIGIN,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

describe('sign-in refusals', () => {
  it('refuses a wrong token with 401 and sets no cookie', async () => {
    const response = await post('/v1/auth/sessions', { token: 'not-the-token-0123456789' })
    await expectProblem(response, 401, 'unauthorized')
    expect(response.headers.get('set-cookie')).toBeNull()
  })

  it('refuses malformed bodies with 422 or 400, never 500', async () => {
    await expectProblem(await post('/v1/auth/sessions', {}), 422, 'validation_failed')
    await expectProblem(await post('/v1/auth/sessions', { token: 'x'.repeat(201) }), 422)
    await expectProblem(await post('/v1/auth/sessions', '{'), 400)
    await expectProblem(await post('/v1/auth/links', { email: 'not an address' }), 422)
    await expectProblem(await post('/v1/auth/links/redeem', { link: 'has spaces in it !!' }), 422)
  })

  it('answers 202 for an unknown address and mails nothing', async () => {
    const before = await rowCounts()
    const response = await post('/v1/auth/links', { email: 'nobody-here@example.com' })
    expect(response.status).toBe(202)
    expect(await rowCounts()).toEqual(before)
  })

  it('a link works once; an unknown one is 404', async () => {
    const site = await createSite()
    const address = `once-${crypto.randomUUID().slice(0, 8)}@example.com`
    await admin(`/v1/admin/sites/${site.siteKey}/users/${address}`, 'PUT', { role: 'viewer' })
    const { link } = await lastMailTo(address)
    expect((await redeem(link)).status).toBe(201)
    await expectProblem(await redeem(link), 410, 'link_expired')
    await expectProblem(await redeem('A'.repeat(43)), 404, 'link_not_found')
  })

  it('a session cookie that is unknown or malformed is 401', async () => {
    for (const value of ['A'.repeat(43), 'x', '"; drop'])
      await expectProblem(
        await call('/v1/auth/session', {
          headers: { cookie: `__Host-lodestone_session=${value}` },
        }),
        401,
        'unauthorized',
      )
    await expectProblem(await call('/v1/auth/session'), 401, 'unauthorized')
  })

  it('refuses bad user input: unknown role, bad address, unknown user', async () => {
    const site = await createSite()
    const base = `/v1/admin/sites/${site.siteKey}/users`
    await expectProblem(await admin(`${base}/a@example.com`, 'PUT', { role: 'owner' }), 422)
    await expectProblem(await admin(`${base}/not-an-address`, 'PUT', { role: 'viewer' }), 422)
    await expectProblem(await admin(`${base}/gone@example.com`, 'DELETE'), 404, 'user_not_found')
    await expectProblem(
      await admin(`/v1/admin/sites/no-such-site/users/a@example.com`, 'PUT', { role: 'viewer' }),
      404,
      'site_not_found',
    )
  })
})
