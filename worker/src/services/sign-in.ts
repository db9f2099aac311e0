import type { Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import type { Locale } from '../../../shared/common'
import type { StageModel } from '../../../shared/site'
import { ROLE_SCOPES, roleOfScopes, type Role, type SessionInfo } from '../../../shared/users'
import {
  insertSession,
  insertSignInLink,
  revokeSession,
  touchUserSignIn,
  useSignInLink,
} from '../db/sessions'
import { ensureUser, findUserByEmail, findUserById, putSiteRole, rolesOfUser } from '../db/users'
import type { AppEnv, Principal } from '../env'
import { createMailer } from '../mail/mailer'
import { invitationMessage, signInMessage } from '../mail/sign-in'
import { randomToken, sha256Hex } from '../lib/crypto'
import { HttpProblem } from '../lib/problem'
import { nowIso } from '../lib/time'
import { actorOf, SESSION_COOKIE } from '../middleware/auth'
import { requireSite } from './lookups'

/** How long a mailed link works (docs/app-sign-in.md#links). */
export const SIGN_IN_LINK_MINUTES = 15
export const INVITATION_DAYS = 7

/** Where a mailed link leads: the app's sign-in page, the secret in the fragment (never sent to a server). */
const linkUrl = (c: Context<AppEnv>, secret: string) =>
  `${new URL(c.req.url).origin}/app/sign-in#link=${secret}`

/**
 * Starts a session for what signed in (a token or a person) and sets its cookie: `HttpOnly` (no
 * script reads it), `Secure`, `SameSite=Strict`, `__Host-` (this origin, path `/`), as long-lived
 * as the session. Only the cookie's SHA-256 is stored.
 */
export async function startSession(
  c: Context<AppEnv>,
  principal: Principal,
): Promise<{ sessionId: string; expiresAt: string }> {
  const secret = randomToken(32)
  const now = new Date()
  const ttl = c.get('config').SESSION_TTL_SECONDS
  const expiresAt = new Date(now.getTime() + ttl * 1000).toISOString()
  const id = crypto.randomUUID()
  await insertSession(c.env.DB, {
    id,
    hash: await sha256Hex(secret),
    kind: principal.kind,
    userId: principal.kind === 'user' ? principal.userId : null,
    tokenId: principal.kind === 'site' ? principal.tokenId : null,
    rootSha256:
      principal.kind === 'root' ? await sha256Hex(c.get('config').LODESTONE_ROOT_TOKEN) : null,
    now: now.toISOString(),
    expiresAt,
  })
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: ttl,
  })
  return { sessionId: id, expiresAt }
}

/** Ends the session the request came with (if any) and clears its cookie. */
export async function endSession(c: Context<AppEnv>, principal: Principal | null): Promise<void> {
  if (principal?.session) await revokeSession(c.env.DB, principal.session.sessionId, nowIso())
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true })
}

/** What `GET /v1/auth/session` answers: who, until when, and the sites with the role on each. */
export async function describeSession(
  db: D1Database,
  principal: Principal,
  expiresAt: string | null,
): Promise<SessionInfo> {
  if (principal.kind === 'root') {
    const { results } = await db
      .prepare('SELECT site_key, name, stage_model FROM sites ORDER BY name, site_key LIMIT 1000')
      .all<{ site_key: string; name: string; stage_model: StageModel }>()
    return {
      kind: 'root',
      email: null,
      expiresAt,
      sites: results.map((row) => ({
        siteKey: row.site_key,
        name: row.name,
        stageModel: row.stage_model,
        role: 'admin' as const,
        scopes: ['site:admin'],
      })),
    }
  }
  if (principal.kind === 'site') {
    const site = await db
      .prepare('SELECT name, stage_model FROM sites WHERE site_key = ?1')
      .bind(principal.siteKey)
      .first<{ name: string; stage_model: StageModel }>()
    return {
      kind: 'site',
      email: null,
      expiresAt,
      sites: site
        ? [
            {
              siteKey: principal.siteKey,
              name: site.name,
              stageModel: site.stage_model,
              role: roleOfScopes(principal.scopes),
              scopes: principal.scopes,
            },
          ]
        : [],
    }
  }
  const roles = await rolesOfUser(db, principal.userId)
  return {
    kind: 'user',
    email: principal.email,
    expiresAt,
    sites: roles.map((entry) => ({ ...entry, scopes: [...ROLE_SCOPES[entry.role]] })),
  }
}

/**
 * Mails a sign-in link to a person who has a role on at least one site. Whether the address is
 * known is never told (the answer is the same), so the form cannot be used to find users.
 */
export async function mailSignInLink(c: Context<AppEnv>, email: string): Promise<void> {
  const user = await findUserByEmail(c.env.DB, email)
  if (!user) return
  const roles = await rolesOfUser(c.env.DB, user.id)
  if (roles.length === 0) return
  const secret = randomToken(32)
  const now = new Date()
  await insertSignInLink(c.env.DB, {
    hash: await sha256Hex(secret),
    userId: user.id,
    purpose: 'sign_in',
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000).toISOString(),
  })
  const message = signInMessage(user.locale as Locale, {
    link: linkUrl(c, secret),
    minutes: SIGN_IN_LINK_MINUTES,
  })
  await createMailer(c.env.DB, c.get('config')).send({
    siteKey: roles[0]!.siteKey,
    leadId: null,
    to: user.email,
    ...message,
  })
}

/** Redeems a mailed link into a session for its person; a link works once and until it expires. */
export async function redeemLink(c: Context<AppEnv>, secret: string) {
  const now = nowIso()
  const used = await useSignInLink(c.env.DB, await sha256Hex(secret), now)
  if (used === 'unknown')
    throw new HttpProblem({ code: 'link_not_found', detail: 'This sign-in link is not valid.' })
  if (used === 'expired')
    throw new HttpProblem({
      code: 'link_expired',
      detail: 'This sign-in link was used already or has expired; ask for a new one.',
    })
  const user = await findUserById(c.env.DB, used.userId)
  if (!user)
    throw new HttpProblem({ code: 'link_not_found', detail: 'This sign-in link is not valid.' })
  await touchUserSignIn(c.env.DB, user.id, now)
  const principal: Principal = {
    kind: 'user',
    userId: user.id,
    email: user.email,
    roles: {},
    session: { sessionId: '', expiresAt: '' },
  }
  const session = await startSession(c, principal)
  return describeSession(c.env.DB, principal, session.expiresAt)
}

/**
 * Gives `email` the role on the site; a person new to the site is mailed an invitation link
 * (valid for a week, once). Answers whether this was an invitation.
 */
export async function inviteUser(
  c: Context<AppEnv>,
  siteKey: string,
  email: string,
  input: { role: Role; lang?: Locale | undefined },
): Promise<{ invited: boolean }> {
  const site = await requireSite(c.env.DB, siteKey)
  const now = new Date()
  const user = await ensureUser(c.env.DB, {
    id: crypto.randomUUID(),
    email,
    locale: input.lang ?? site.locale,
    now: now.toISOString(),
  })
  const invited = await putSiteRole(c.env.DB, {
    userId: user.id,
    siteKey,
    role: input.role,
    actor: actorOf(c.get('principal')),
    now: now.toISOString(),
  })
  if (invited) {
    const secret = randomToken(32)
    await insertSignInLink(c.env.DB, {
      hash: await sha256Hex(secret),
      userId: user.id,
      purpose: 'invite',
      now: now.toISOString(),
      expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString(),
    })
    const message = invitationMessage(input.lang ?? (user.locale as Locale), {
      siteName: site.name,
      role: input.role,
      link: linkUrl(c, secret),
      days: INVITATION_DAYS,
    })
    await createMailer(c.env.DB, c.get('config')).send({
      siteKey,
      leadId: null,
      to: user.email,
      ...message,
    })
  }
  return { invited }
}
