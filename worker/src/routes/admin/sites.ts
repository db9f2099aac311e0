import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import {
  SiteDetailSchema,
  SiteInputSchema,
  SiteSchema,
  TokenCreatedSchema,
  TokenInputSchema,
  TokenListSchema,
  TokenRevokedSchema,
} from '../../../../shared/site'
import { siteHasLeads } from '../../db/leads'
import { mirrorSite, siteStore } from '../../db/store'
import { listTokens, revokeToken } from '../../db/tokens'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'
import { forgetSite, requireSite } from '../../services/lookups'
import { issueToken, saveSite } from '../../services/site-admin'

const SiteParams = z.object({ siteKey: SITE_KEY })
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

export const adminSites = createRouter()

adminSites.openapi(
  createRoute({
    method: 'put',
    path: '/v1/admin/sites/{siteKey}',
    summary: 'Create or update a site',
    description: 'The root token creates sites; a `site:admin` token may update its own site.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: SiteParams, body: { ...json(SiteInputSchema), required: true } },
    responses: {
      200: { description: 'Updated', ...json(SiteSchema) },
      201: { description: 'Created', ...json(SiteSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    // Public requests of this isolate read the site from its cache: the next one reads it anew.
    const { site, created } = await saveSite(
      c.env.DB,
      c.get('config'),
      c.get('principal'),
      siteKey,
      c.req.valid('json'),
      siteStore(c.env, siteKey),
    ).finally(() => forgetSite(siteKey))
    await mirrorSite(c.env, siteKey)
    return c.json(site, created ? 201 : 200)
  },
)

adminSites.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/tokens',
    summary: 'Issue a site token',
    description: 'The token is shown once in this answer and stored only as its SHA-256.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: SiteParams, body: { ...json(TokenInputSchema), required: true } },
    responses: {
      201: { description: 'Created', ...json(TokenCreatedSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const created = await issueToken(c.env.DB, c.req.valid('param').siteKey, c.req.valid('json'))
    return c.json(created, 201)
  },
)

adminSites.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/admin/sites/{siteKey}/tokens/{tokenId}',
    summary: 'Revoke a site token',
    description:
      'The token stops working at once; its row stays, marked revoked, for the stage history it signed.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: {
      params: z.object({
        siteKey: SITE_KEY,
        tokenId: z
          .string()
          .regex(/^tok_[A-Za-z0-9_-]{1,40}$/)
          .meta({ example: 'tok_Qm9yZ2VuMjAy' }),
      }),
    },
    responses: {
      200: {
        description: 'Revoked',
        ...json(TokenRevokedSchema),
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, tokenId } = c.req.valid('param')
    const now = nowIso()
    if (!(await revokeToken(c.env.DB, siteKey, tokenId, now)))
      throw new HttpProblem({ code: 'token_not_found', detail: 'There is no such active token.' })
    return c.json({ id: tokenId, revokedAt: now }, 200)
  },
)

adminSites.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}',
    summary: 'Read a site',
    description: [
      'The site’s settings as `PUT` stores them (with the defaults it filled in, theme included), so a client can show them for editing and send them back whole.',
      '`stageModelLocked` is true once the site has a lead: their stages belong to its stage model, and `PUT` refuses another `stageModel` with `stage_model_in_use`. Needs `site:admin`.',
    ].join('\n\n'),
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: SiteParams },
    responses: {
      200: { description: 'The site', ...json(SiteDetailSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const site = await requireSite(c.env.DB, siteKey)
    return c.json(
      { ...site, stageModelLocked: await siteHasLeads(siteStore(c.env, siteKey), siteKey) },
      200,
    )
  },
)

adminSites.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/tokens',
    summary: 'List the site’s tokens',
    description:
      'Every token issued for the site, newest first, revoked ones too (with `revokedAt`): its id, name, scopes, when it was created and last used. Never the token itself, which only the answer of `POST .../tokens` shows, nor its hash. Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: SiteParams },
    responses: {
      200: { description: 'The tokens', ...json(TokenListSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    await requireSite(c.env.DB, siteKey)
    return c.json({ tokens: await listTokens(c.env.DB, siteKey) }, 200)
  },
)
