import type { Context, MiddlewareHandler } from 'hono'
import { OriginSchema, type Site } from '../../../shared/site'
import { recordRefusal, type RefusedRequest } from '../db/origin-activity'
import { isKnownOrigin } from '../db/sites'
import type { AppEnv } from '../env'
import { HttpProblem } from '../lib/problem'
import { lookUpSite } from '../services/lookups'

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
 * The CORS answer headers that let the page read a refusal of its own request: the requesting
 * origin alone, never with credentials, and nothing else (no methods, no headers). Without them
 * the browser hides the answer behind a generic CORS error, and a site owner who forgot their own
 * origin sees an empty box instead of the reason (docs/wire-contract.md#cors).
 */
function readableBy(origin: string | undefined): Record<string, string> | undefined {
  return origin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : undefined
}

/**
 * Loads the site a public request names and checks the request's `Origin`
 * against the site's allowed origins; sets the CORS answer headers so error
 * answers are readable by the widget too. Its two refusals (no such site, origin
 * not allowed) are readable by the requesting page, so the widget can say what to fix;
 * both come before anything is written, but for the record of a refused origin that the
 * installation check shows (docs/app.md#install). The site comes from the isolate's cache
 * (docs/scale.md#fewer-round-trips): an origin an admin removes is refused here at once, and by
 * other isolates within `LOOKUP_TTL_MS`.
 */
export async function requireSiteForOrigin(c: Context<AppEnv>, siteKey: string): Promise<Site> {
  const origin = c.req.header('origin')
  const site = await lookUpSite(c.env.DB, siteKey)
  if (!site)
    throw new HttpProblem({
      code: 'site_not_found',
      detail: `There is no site "${siteKey}"; check the data-site attribute of the script tag.`,
      headers: readableBy(origin),
    })
  // Known now: the site's locale is the language of any later refusal (docs/wire-contract.md#errors).
  c.set('siteLocale', site.locale)
  if (!origin || !site.allowedOrigins.includes(origin)) {
    if (origin) rememberRefusal(c, site.siteKey, origin)
    throw new HttpProblem({
      code: 'origin_not_allowed',
      detail: origin
        ? `This page's origin ${origin} is not in the allowed origins of site "${site.siteKey}"; add it to the site's allowedOrigins (PUT /v1/admin/sites/${site.siteKey}).`
        : 'The request has no Origin header; the public API answers only the origins a site allows.',
      headers: readableBy(origin),
    })
  }
  c.header('access-control-allow-origin', origin)
  c.header('vary', 'Origin')
  return site
}

/** The kind of public request at `path`, named in the refusal record. */
function requestKind(path: string): RefusedRequest {
  if (path === '/v1/events') return 'events'
  if (path === '/v1/leads') return 'leads'
  return path.endsWith('/start') ? 'start' : 'config'
}

/**
 * Remembers that a page on `origin` asked for a site that does not allow it, after the answer
 * (`waitUntil`), so the refusal is as fast as before. Only a well-formed origin is kept (a
 * browser's `null` or a forged header of any shape is not), and only its site, time and kind of
 * request: no address, no visitor id (worker/src/db/origin-activity.ts).
 */
function rememberRefusal(c: Context<AppEnv>, siteKey: string, origin: string) {
  if (!OriginSchema.safeParse(origin).success) return
  const path = c.req.path.slice(0, 200)
  const write = recordRefusal(
    c.env.DB,
    { siteKey, origin, request: requestKind(path), path },
    new Date(),
  ).catch((error: unknown) => {
    console.error(`refusal not recorded: ${error instanceof Error ? error.name : 'error'}`)
  })
  try {
    c.executionCtx.waitUntil(write)
  } catch {
    // No execution context (a request made straight to the app object): the write runs on alone.
  }
}
