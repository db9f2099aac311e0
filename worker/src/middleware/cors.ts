import type { Context, MiddlewareHandler } from 'hono'
import type { Site } from '../../../shared/site'
import { findSite, isKnownOrigin } from '../db/sites'
import type { AppEnv } from '../env'
import { HttpProblem } from '../lib/problem'

const ALLOW_METHODS = 'GET, POST, OPTIONS'
const ALLOW_HEADERS = 'content-type'

/**
 * Answers CORS preflights of the public API. A preflight carries no body and
 * so no site key; it is allowed when any site lists the origin, and the real
 * request is then checked against its own site's `allowedOrigins`.
 */
export const publicPreflight: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== 'OPTIONS') return next()
  const origin = c.req.header('origin')
  if (!origin || !(await isKnownOrigin(c.env.DB, origin))) {
    throw new HttpProblem({
      code: 'origin_not_allowed',
      detail: 'This origin may not call the Lodestone API.',
    })
  }
  return c.body(null, 204, {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': ALLOW_METHODS,
    'access-control-allow-headers': ALLOW_HEADERS,
    'access-control-max-age': '86400',
    vary: 'Origin',
  })
}

/**
 * Loads the site a public request names and checks the request's `Origin`
 * against the site's allowed origins; sets the CORS answer headers so error
 * answers are readable by the widget too.
 */
export async function requireSiteForOrigin(c: Context<AppEnv>, siteKey: string): Promise<Site> {
  const site = await findSite(c.env.DB, siteKey)
  if (!site)
    throw new HttpProblem({
      code: 'site_not_found',
      detail: {
        en: `There is no site "${siteKey}".`,
        de: `Es gibt keine Website "${siteKey}".`,
      },
    })
  c.set('siteLocale', site.locale)
  const origin = c.req.header('origin')
  if (!origin || !site.allowedOrigins.includes(origin)) {
    throw new HttpProblem({
      code: 'origin_not_allowed',
      detail: {
        en: 'This origin is not allowed for the site.',
        de: 'Diese Herkunft ist für die Website nicht zugelassen.',
      },
    })
  }
  c.header('access-control-allow-origin', origin)
  c.header('vary', 'Origin')
  return site
}
