import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import {
  DEFAULT_REQUIRED_FIELDS,
  SiteInputSchema,
  SiteSchema,
  TokenCreatedSchema,
  TokenInputSchema,
} from '../../../../shared/site'
import { findSite, upsertSite } from '../../db/sites'
import { insertToken } from '../../db/tokens'
import { randomToken, sha256Hex } from '../../lib/crypto'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'

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
    const input = c.req.valid('json')
    const existing = await findSite(c.env.DB, siteKey)
    if (!existing && c.get('principal').kind !== 'root') {
      throw new HttpProblem({ code: 'forbidden', detail: 'Only the root token creates sites.' })
    }
    const { TURNSTILE_SITE_KEY, TURNSTILE_SECRET } = c.get('config')
    if (input.turnstile && !(TURNSTILE_SITE_KEY && TURNSTILE_SECRET)) {
      throw new HttpProblem({
        code: 'turnstile_unavailable',
        detail: 'This collector has no Turnstile keys configured.',
        errors: [
          {
            path: 'turnstile',
            message: 'set TURNSTILE_SITE_KEY and TURNSTILE_SECRET on the collector first',
          },
        ],
      })
    }
    if (existing && existing.stageModel !== input.stageModel) {
      const used = await c.env.DB.prepare('SELECT 1 AS used FROM leads WHERE site_key = ?1 LIMIT 1')
        .bind(siteKey)
        .first()
      if (used) {
        throw new HttpProblem({
          code: 'stage_model_in_use',
          detail: 'The site has leads in its stage model; it cannot switch models.',
          errors: [
            {
              path: 'stageModel',
              message: `the site's leads are in the ${existing.stageModel} model`,
            },
          ],
        })
      }
    }
    const requiredFields = [
      ...new Set(['email', ...(input.requiredFields ?? DEFAULT_REQUIRED_FIELDS[input.stageModel])]),
    ]
    await upsertSite(
      c.env.DB,
      siteKey,
      {
        name: input.name,
        allowedOrigins: [...new Set(input.allowedOrigins)],
        locale: input.locale,
        country: input.country,
        stageModel: input.stageModel,
        requiredFields,
        rules: input.rules ?? {},
        retentionDays: input.retentionDays,
        turnstile: input.turnstile,
      },
      nowIso(),
    )
    const site = await findSite(c.env.DB, siteKey)
    if (!site) throw new Error('site vanished after write')
    return c.json(site, existing ? 200 : 201)
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
    const { siteKey } = c.req.valid('param')
    const input = c.req.valid('json')
    if (!(await findSite(c.env.DB, siteKey))) {
      throw new HttpProblem({ code: 'site_not_found', detail: `There is no site "${siteKey}".` })
    }
    const token = `lst_${randomToken(32)}`
    const id = `tok_${randomToken(9)}`
    const now = nowIso()
    const scopes = [...new Set(input.scopes)]
    await insertToken(c.env.DB, {
      id,
      siteKey,
      name: input.name ?? null,
      hash: await sha256Hex(token),
      scopes,
      now,
    })
    return c.json({ id, token, scopes, name: input.name ?? null, createdAt: now }, 201)
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
        ...json(
          z
            .object({ id: z.string(), revokedAt: z.string() })
            .meta({ example: { id: 'tok_Qm9yZ2VuMjAy', revokedAt: '2026-11-24T10:00:00.000Z' } }),
        ),
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, tokenId } = c.req.valid('param')
    const now = nowIso()
    const result = await c.env.DB.prepare(
      'UPDATE tokens SET revoked_at = ?3 WHERE site_key = ?1 AND id = ?2 AND revoked_at IS NULL',
    )
      .bind(siteKey, tokenId, now)
      .run()
    if ((result.meta.changes ?? 0) !== 1)
      throw new HttpProblem({ code: 'token_not_found', detail: 'There is no such active token.' })
    return c.json({ id: tokenId, revokedAt: now }, 200)
  },
)
