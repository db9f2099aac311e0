import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { Scope } from '../../../shared/site'
import { ROLE_SCOPES, type Role } from '../../../shared/users'
import { findLiveSession } from '../db/sessions'
import { findTokenByHash, touchToken } from '../db/tokens'
import { rolesOfUser } from '../db/users'
import type { AppEnv, Principal } from '../env'
import { sha256Hex, timingSafeEqualStrings } from '../lib/crypto'
import { HttpProblem } from '../lib/problem'
import { nowIso } from '../lib/time'

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,200})$/

/** The app's session cookie (docs/app-sign-in.md#sessions): `__Host-` binds it to this origin. */
export const SESSION_COOKIE = '__Host-lodestone_session'
const SESSION_VALUE = /^[A-Za-z0-9_-]{32,100}$/

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** A root or site token, as sent in a bearer header or pasted on the sign-in page; null if neither. */
export async function principalOfToken(
  db: D1Database,
  rootToken: string,
  token: string,
): Promise<Principal | null> {
  if (await timingSafeEqualStrings(token, rootToken)) return { kind: 'root' }
  const found = await findTokenByHash(db, await sha256Hex(token))
  return found
    ? { kind: 'site', tokenId: found.id, siteKey: found.siteKey, scopes: found.scopes }
    : null
}

/**
 * The session the cookie names, as a principal: a person with their roles as they are now (a
 * role changed or removed takes effect on the next request), a site token's (ended with the
 * token) or the root token's (ended when the root token changes).
 */
export async function principalOfSession(
  c: Context<AppEnv>,
  value: string,
): Promise<Principal | null> {
  if (!SESSION_VALUE.test(value)) return null
  const session = await findLiveSession(c.env.DB, await sha256Hex(value), nowIso())
  if (!session) return null
  const base = { sessionId: session.id, expiresAt: session.expiresAt }
  if (session.kind === 'root') {
    const current = await sha256Hex(c.get('config').LODESTONE_ROOT_TOKEN)
    if (!session.rootSha256 || !(await timingSafeEqualStrings(session.rootSha256, current)))
      return null
    return { kind: 'root', session: base }
  }
  if (session.kind === 'site') {
    const token = await c.env.DB.prepare('SELECT site_key, scopes FROM tokens WHERE id = ?1')
      .bind(session.tokenId)
      .first<{ site_key: string; scopes: string }>()
    if (!token) return null
    return {
      kind: 'site',
      tokenId: session.tokenId!,
      siteKey: token.site_key,
      scopes: JSON.parse(token.scopes) as string[],
      session: base,
    }
  }
  const roles = await rolesOfUser(c.env.DB, session.userId!)
  return {
    kind: 'user',
    userId: session.userId!,
    email: session.email!,
    roles: Object.fromEntries(roles.map((entry) => [entry.siteKey, entry.role])),
    session: base,
  }
}

/**
 * A write that rides on the cookie must come from the app itself: the browser's `Origin` must be
 * this collector's own (docs/app-sign-in.md#csrf). `SameSite=Strict` already keeps the cookie off
 * cross-site requests; this check does not rely on it alone.
 */
export function assertSameOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header('origin')
  const fetchSite = c.req.header('sec-fetch-site')
  const own = new URL(c.req.url).origin
  if (origin !== own || (fetchSite !== undefined && fetchSite !== 'same-origin')) {
    throw new HttpProblem({
      code: 'cross_site_request',
      detail: 'A write with the session cookie must come from this collector’s own app.',
    })
  }
}

/**
 * Resolves the caller: `Authorization: Bearer <token>` (the root token, compared in constant
 * time, or a site token, looked up by its SHA-256; tokens are never stored in the clear), else the
 * app's session cookie, whose writes must pass the origin check.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization')
  const cookie = header === undefined ? getCookie(c, SESSION_COOKIE) : undefined
  let principal: Principal | null = null
  if (header !== undefined) {
    const match = BEARER.exec(header)
    if (match)
      principal = await principalOfToken(c.env.DB, c.get('config').LODESTONE_ROOT_TOKEN, match[1]!)
  } else if (cookie !== undefined) {
    principal = await principalOfSession(c, cookie)
    if (principal && UNSAFE_METHODS.has(c.req.method)) assertSameOrigin(c)
  }
  if (!principal) {
    const sent = header !== undefined || cookie !== undefined
    throw new HttpProblem({
      code: 'unauthorized',
      detail: !sent
        ? 'Send a bearer token, or sign in to the app.'
        : header !== undefined
          ? 'The token is not valid.'
          : 'The session has ended; sign in again.',
      headers: {
        'www-authenticate':
          header !== undefined && sent
            ? 'Bearer realm="lodestone", error="invalid_token"'
            : 'Bearer realm="lodestone"',
      },
    })
  }
  c.set('principal', principal)
  await next()
  // The token list says when each token was last used (docs/app.md#team); a refusal is no use.
  if (principal.kind === 'site' && header !== undefined && c.res.status < 400)
    await touchToken(c.env.DB, principal.tokenId, new Date())
}

/** The scopes the principal holds on `siteKey` (every scope for root; none off its sites). */
export function scopesOn(principal: Principal, siteKey: string | undefined): readonly string[] {
  if (principal.kind === 'root') return ['site:admin']
  if (siteKey === undefined) return []
  if (principal.kind === 'site') return principal.siteKey === siteKey ? principal.scopes : []
  const role: Role | undefined = principal.roles[siteKey]
  return role ? ROLE_SCOPES[role] : []
}

/**
 * Allows the root token, or a site token or a person of the `{siteKey}` in the path that holds
 * `scope` (a person through their role's scopes; `site:admin` holds every scope of its site).
 */
export function requireScope(scope: Scope | 'root'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal')
    if (principal.kind === 'root') return next()
    const scopes = scopesOn(principal, c.req.param('siteKey'))
    const allowed = scope !== 'root' && (scopes.includes(scope) || scopes.includes('site:admin'))
    if (!allowed)
      throw new HttpProblem({
        code: 'forbidden',
        detail:
          principal.kind === 'user'
            ? 'Your role on this site does not allow this.'
            : 'The token may not do this.',
      })
    await next()
  }
}

/** Who a manual change is attributed to: `root`, the site token's id, or `user:<id>`. */
export function actorOf(principal: Principal): string {
  if (principal.kind === 'root') return 'root'
  if (principal.kind === 'site') return principal.tokenId
  return `user:${principal.userId}`
}
