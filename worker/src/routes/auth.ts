import { createRoute, z } from '@hono/zod-openapi'
import { getCookie } from 'hono/cookie'
import {
  LinkAcceptedSchema,
  LinkRedeemSchema,
  LinkRequestSchema,
  SessionSchema,
  SignedOutSchema,
  TokenSignInSchema,
} from '../../../shared/users'
import { touchToken } from '../db/tokens'
import type { AppEnv } from '../env'
import { sha256Hex } from '../lib/crypto'
import { HttpProblem } from '../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../lib/router'
import {
  assertSameOrigin,
  authenticate,
  principalOfSession,
  principalOfToken,
  SESSION_COOKIE,
} from '../middleware/auth'
import { enforceRateLimit } from '../middleware/rate-limit'
import {
  describeSession,
  endSession,
  mailSignInLink,
  redeemLink,
  startSession,
} from '../services/sign-in'
import type { Context } from 'hono'

/**
 * Sign-in for the app (docs/app-sign-in.md): a pasted root or site token, or a mailed link,
 * becomes a session cookie; `GET /v1/auth/session` says who is signed in; `DELETE` signs out.
 */
export const auth = createRouter()

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

/**
 * A request that would set a session cookie from a page of another origin is refused (login
 * CSRF: nobody may be signed in as someone else without knowing it). Clients without an Origin
 * (automation) pass.
 */
function refuseCrossSite(c: Context<AppEnv>) {
  if (c.req.header('origin') !== undefined || c.req.header('sec-fetch-site') !== undefined)
    assertSameOrigin(c)
}

auth.openapi(
  createRoute({
    method: 'post',
    path: '/v1/auth/sessions',
    summary: 'Sign in with a token',
    description:
      'The root token or a site token becomes an app session: a `__Host-lodestone_session` cookie (HttpOnly, Secure, SameSite=Strict), stored only as its SHA-256, ending after `SESSION_TTL_SECONDS` (7 days), on sign-out, or when the token is revoked (a site token) or replaced (the root token). From a browser the request must come from this collector’s own origin. Rate-limited per network.',
    request: { body: { ...json(TokenSignInSchema), required: true } },
    responses: {
      201: { description: 'Signed in; the cookie is set', ...json(SessionSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    refuseCrossSite(c)
    await enforceRateLimit(c, c.env.AUTH_LIMITER, 'sessions')
    const principal = await principalOfToken(
      c.env.DB,
      c.get('config').LODESTONE_ROOT_TOKEN,
      c.req.valid('json').token,
    )
    if (!principal)
      throw new HttpProblem({ code: 'unauthorized', detail: 'The token is not valid.' })
    const session = await startSession(c, principal)
    if (principal.kind === 'site') await touchToken(c.env.DB, principal.tokenId, new Date())
    return c.json(await describeSession(c.env.DB, principal, session.expiresAt), 201)
  },
)

auth.openapi(
  createRoute({
    method: 'post',
    path: '/v1/auth/links',
    summary: 'Mail a sign-in link',
    description: `Mails a one-time sign-in link (valid 15 minutes) to a person who has a role on a site. The answer is the same whether or not the address is known, so it tells nobody who uses the app. Rate-limited per network and per address.`,
    request: { body: { ...json(LinkRequestSchema), required: true } },
    responses: {
      202: {
        description: 'If the address belongs to a user, a link is on its way',
        ...json(LinkAcceptedSchema),
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    refuseCrossSite(c)
    const { email } = c.req.valid('json')
    await enforceRateLimit(c, c.env.AUTH_LIMITER, 'links')
    await enforceRateLimit(c, c.env.MAIL_LIMITER, await sha256Hex(email), {
      perAddress: false,
    })
    await mailSignInLink(c, email)
    return c.json({ accepted: true as const }, 202)
  },
)

auth.openapi(
  createRoute({
    method: 'post',
    path: '/v1/auth/links/redeem',
    summary: 'Sign in with a mailed link',
    description:
      'The secret from a sign-in or invitation link (the part after `#link=`) becomes a session, as `POST /v1/auth/sessions` describes. A link works once: `link_expired` (410) when it was used or ran out, `link_not_found` (404) when it never existed.',
    request: { body: { ...json(LinkRedeemSchema), required: true } },
    responses: {
      201: { description: 'Signed in; the cookie is set', ...json(SessionSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    refuseCrossSite(c)
    await enforceRateLimit(c, c.env.AUTH_LIMITER, 'redeem')
    return c.json(await redeemLink(c, c.req.valid('json').link), 201)
  },
)

auth.openapi(
  createRoute({
    method: 'get',
    path: '/v1/auth/session',
    summary: 'Who is signed in',
    description:
      'The session cookie’s (or bearer token’s) principal and the sites it may open, with the role and scopes on each. `expiresAt` is null for a bearer token.',
    security: [{ bearer: [] }],
    middleware: [authenticate] as const,
    responses: {
      200: { description: 'The session', ...json(SessionSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const principal = c.get('principal')
    return c.json(
      await describeSession(c.env.DB, principal, principal.session?.expiresAt ?? null),
      200,
    )
  },
)

auth.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/auth/session',
    summary: 'Sign out',
    description:
      'Ends the session of the cookie (it cannot be used again, also not by a copy) and clears the cookie. Answers the same also when there was no session, so signing out twice is harmless.',
    responses: {
      200: { description: 'Signed out', ...json(SignedOutSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const value = getCookie(c, SESSION_COOKIE)
    if (value !== undefined) {
      assertSameOrigin(c)
      await endSession(c, await principalOfSession(c, value))
    }
    return c.json({ signedOut: true as const }, 200)
  },
)
