import { describe, expect, it } from 'vitest'
import type { SessionInfo } from '../../shared/users'
import { admin, createSite, ROOT, scopedToken } from './helpers'
import {
  cookieOf,
  freshNetwork,
  lastMailTo,
  redeem,
  SAME_ORIGIN,
  signInWithToken,
  withCookie,
} from './sessions'
import { call } from './helpers'

const email = () => `person-${crypto.randomUUID().slice(0, 8)}@example.com`

describe('sign-in with a token', () => {
  it('turns the root token into an HttpOnly, Secure, SameSite=Strict session cookie for every site', async () => {
    const site = await createSite()
    const response = await call('/v1/auth/sessions', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'cf-connecting-ip': freshNetwork(),
        ...SAME_ORIGIN,
      },
      body: JSON.stringify({ token: ROOT }),
    })
    expect(response.status).toBe(201)
    const header = response.headers.get('set-cookie')!
    expect(header).toMatch(/^__Host-lodestone_session=[A-Za-z0-9_-]{43};/)
    expect(header).toMatch(/; HttpOnly/)
    expect(header).toMatch(/; Secure/)
    expect(header).toMatch(/; SameSite=Strict/)
    expect(header).toMatch(/; Path=\//)
    expect(header).toMatch(/; Max-Age=604800/)
    const session = (await response.json()) as SessionInfo
    expect(session.kind).toBe('root')
    expect(session.sites.map((s) => s.siteKey)).toContain(site.siteKey)

    const cookie = cookieOf(response)
    const report = await withCookie(
      `/v1/admin/sites/${site.siteKey}/reports/campaigns?from=2026-01-01&to=2026-01-31`,
      cookie,
    )
    expect(report.status).toBe(200)
  })

  it('gives a site token session exactly its site and scopes', async () => {
    const site = await createSite()
    const other = await createSite()
    const token = await scopedToken(site.siteKey, ['reports:read', 'leads:read'])
    const { cookie, session } = await signInWithToken(token)
    expect(session).toMatchObject({ kind: 'site', email: null })
    expect(session.sites).toEqual([
      {
        siteKey: site.siteKey,
        name: 'Acme GmbH',
        stageModel: 'b2b',
        role: 'viewer',
        scopes: ['reports:read', 'leads:read'],
      },
    ])
    expect((await withCookie(`/v1/admin/sites/${site.siteKey}/leads`, cookie)).status).toBe(200)
    expect((await withCookie(`/v1/admin/sites/${other.siteKey}/leads`, cookie)).status).toBe(403)
  })

  it('signs out: the session ends for every copy of the cookie', async () => {
    const { cookie } = await signInWithToken(ROOT)
    expect((await withCookie('/v1/auth/session', cookie)).status).toBe(200)
    const out = await withCookie('/v1/auth/session', cookie, 'DELETE')
    expect(out.status).toBe(200)
    expect(out.headers.get('set-cookie')).toMatch(/^__Host-lodestone_session=; Max-Age=0/)
    expect((await withCookie('/v1/auth/session', cookie)).status).toBe(401)
    // Signing out again is harmless.
    expect((await withCookie('/v1/auth/session', cookie, 'DELETE')).status).toBe(200)
  })
})

describe('invitations and mailed links', () => {
  it('invites a person by email, who signs in through the link with the role’s scopes', async () => {
    const site = await createSite()
    const address = email()
    const invite = await admin(`/v1/admin/sites/${site.siteKey}/users/${address}`, 'PUT', {
      role: 'marketer',
    })
    expect(invite.status).toBe(201)
    expect(await invite.json()).toMatchObject({ email: address, role: 'marketer', invited: true })
    const mail = await lastMailTo(address)
    // The site's language is German.
    expect(mail.subject).toBe('Einladung zu Lodestone: Acme GmbH')
    expect(mail.body).toContain('Rolle: Marketing')
    expect(mail.body).toContain('https://collector.test/app/sign-in#link=')

    const signedIn = await redeem(mail.link)
    expect(signedIn.status).toBe(201)
    const session = (await signedIn.json()) as SessionInfo
    expect(session).toMatchObject({ kind: 'user', email: address })
    expect(session.sites).toEqual([
      {
        siteKey: site.siteKey,
        name: 'Acme GmbH',
        stageModel: 'b2b',
        role: 'marketer',
        scopes: ['reports:read', 'leads:read', 'campaigns:write'],
      },
    ])
    const cookie = cookieOf(signedIn)
    const put = await withCookie(`/v1/admin/sites/${site.siteKey}/campaigns/q4`, cookie, 'PUT', {
      name: 'Q4',
    })
    expect(put.status).toBe(201)
    // A marketer moves no stages.
    const stage = await withCookie(
      `/v1/admin/sites/${site.siteKey}/leads/x/stage`,
      cookie,
      'POST',
      {
        stage: 'sql',
      },
    )
    expect(stage.status).toBe(403)

    const users = await admin(`/v1/admin/sites/${site.siteKey}/users`, 'GET')
    const listed = (await users.json()) as {
      users: { email: string; lastSignInAt: string | null }[]
    }
    expect(listed.users).toHaveLength(1)
    expect(listed.users[0]!.email).toBe(address)
    expect(listed.users[0]!.lastSignInAt).not.toBeNull()
  })

  it('mails a sign-in link to a known user, in their language, and a role change applies at once', async () => {
    const site = await createSite({ locale: 'en' })
    const address = email()
    await admin(`/v1/admin/sites/${site.siteKey}/users/${address.toUpperCase()}`, 'PUT', {
      role: 'viewer',
    })
    const asked = await call('/v1/auth/links', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'cf-connecting-ip': freshNetwork(),
        ...SAME_ORIGIN,
      },
      body: JSON.stringify({ email: ` ${address.toUpperCase()} ` }),
    })
    expect(asked.status).toBe(202)
    const mail = await lastMailTo(address)
    expect(mail.subject).toBe('Your Lodestone sign-in link')
    const cookie = cookieOf(await redeem(mail.link))
    const path = `/v1/admin/sites/${site.siteKey}/campaigns/q4`
    expect((await withCookie(path, cookie, 'PUT', { name: 'Q4' })).status).toBe(403)
    const changed = await admin(`/v1/admin/sites/${site.siteKey}/users/${address}`, 'PUT', {
      role: 'admin',
    })
    expect(changed.status).toBe(200)
    expect(await changed.json()).toMatchObject({ role: 'admin', invited: false })
    expect((await withCookie(path, cookie, 'PUT', { name: 'Q4' })).status).toBe(201)
  })

  it('removing a person’s last role ends their sessions', async () => {
    const site = await createSite()
    const address = email()
    await admin(`/v1/admin/sites/${site.siteKey}/users/${address}`, 'PUT', { role: 'viewer' })
    const cookie = cookieOf(await redeem((await lastMailTo(address)).link))
    expect((await withCookie('/v1/auth/session', cookie)).status).toBe(200)
    const removed = await admin(`/v1/admin/sites/${site.siteKey}/users/${address}`, 'DELETE')
    expect(removed.status).toBe(200)
    expect((await withCookie('/v1/auth/session', cookie)).status).toBe(401)
  })
})
