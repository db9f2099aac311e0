import type { MiddlewareHandler } from 'hono'
import type { Scope } from '../../../shared/site'
import { findTokenByHash } from '../db/tokens'
import type { AppEnv, Principal } from '../env'
import { sha256Hex, timingSafeEqualStrings } from '../lib/crypto'
import { HttpProblem } from '../lib/problem'

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,200})$/

/**
 * Resolves `Authorization: Bearer <token>` to the root principal (the
 * `LODESTONE_ROOT_TOKEN` secret, compared in constant time) or to a site
 * token (looked up by its SHA-256; tokens are never stored in the clear).
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const match = BEARER.exec(c.req.header('authorization') ?? '')
  if (!match) {
    throw new HttpProblem({
      code: 'unauthorized',
      detail: 'Send a bearer token.',
      headers: {
        'www-authenticate': 'Bearer realm="lodestone"',
      },
    })
  }
  const token = match[1]!
  let principal: Principal | null = null
  if (await timingSafeEqualStrings(token, c.get('config').LODESTONE_ROOT_TOKEN)) {
    principal = { kind: 'root' }
  } else {
    const found = await findTokenByHash(c.env.DB, await sha256Hex(token))
    if (found)
      principal = { kind: 'site', tokenId: found.id, siteKey: found.siteKey, scopes: found.scopes }
  }
  if (!principal) {
    throw new HttpProblem({
      code: 'unauthorized',
      detail: 'The token is not valid.',
      headers: {
        'www-authenticate': 'Bearer realm="lodestone", error="invalid_token"',
      },
    })
  }
  c.set('principal', principal)
  await next()
}

/**
 * Allows the root token, or a site token of the `{siteKey}` in the path that
 * holds `scope` (`site:admin` holds every scope of its site).
 */
export function requireScope(scope: Scope | 'root'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal')
    if (principal.kind === 'root') return next()
    const siteKey = c.req.param('siteKey')
    const allowed =
      scope !== 'root' &&
      principal.siteKey === siteKey &&
      (principal.scopes.includes(scope) || principal.scopes.includes('site:admin'))
    if (!allowed) throw new HttpProblem({ code: 'forbidden', detail: 'The token may not do this.' })
    await next()
  }
}

/** The token id a manual change is attributed to (`root` for the root token). */
export function actorOf(principal: Principal): string {
  return principal.kind === 'root' ? 'root' : principal.tokenId
}
