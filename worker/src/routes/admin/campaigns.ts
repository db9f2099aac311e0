import { createRoute, z } from '@hono/zod-openapi'
import {
  MAX_SPEND_TOTAL,
  CampaignInputSchema,
  CampaignKeyParam,
  CampaignListQuerySchema,
  CampaignListSchema,
  CampaignSchema,
  SpendInputSchema,
  SpendListSchema,
  SpendQuerySchema,
  SpendResultSchema,
} from '../../../../shared/campaigns'
import { SITE_KEY } from '../../../../shared/common'
import {
  findCampaign,
  listCampaigns,
  listSpend,
  upsertCampaign,
  upsertSpend,
} from '../../db/campaigns'
import { siteStore } from '../../db/store'
import { campaignKey } from '../../domain/attribution'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'
import { requireSite } from '../../services/lookups'

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

const params = z.object({
  siteKey: SITE_KEY,
  campaignKey: CampaignKeyParam.meta({
    example: 'q4-whitepaper',
    description:
      '`utm_campaign`; trimmed and lower-cased, so `Q4-Whitepaper` names the same campaign',
  }),
})

/** The campaign key as stored: the same normalisation as a touchpoint's `utm_campaign`. */
async function resolve(db: D1Database, siteKey: string, rawKey: string): Promise<string> {
  await requireSite(db, siteKey)
  const key = campaignKey(rawKey)
  if (!key) throw new Error('campaign key was validated as non-empty')
  return key
}

export const adminCampaigns = createRouter()

adminCampaigns.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/campaigns',
    summary: 'List campaigns',
    description:
      'The site’s campaigns by key: every campaign written (named with PUT, or created bare by a spend import, `stored: true`) and every `utm_campaign` key that a lead carries as its first or last campaign touch (`stored: false` until someone names it), so each campaign the report can show a row for is here. Keys seen only on touchpoints that never joined a lead are not listed. Each campaign carries its spend per currency dated in `[from, to]` (UTC days, both inclusive; without `from` from the first day, without `to` up to the last). At most 1000 campaigns; `truncated` says when there are more. Needs `reports:read`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('reports:read')] as const,
    request: { params: z.object({ siteKey: SITE_KEY }), query: CampaignListQuerySchema },
    responses: {
      200: { description: 'The campaigns', ...json(CampaignListSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const { from, to } = c.req.valid('query')
    await requireSite(c.env.DB, siteKey)
    const list = await listCampaigns(siteStore(c.env, siteKey), {
      siteKey,
      from: from ?? '0000-01-01',
      to: to ?? '9999-12-31',
    })
    return c.json({ from: from ?? null, to: to ?? null, ...list }, 200)
  },
)

adminCampaigns.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/campaigns/{campaignKey}/spend',
    summary: 'Read daily spend',
    description:
      'The stored spend of each day of one campaign in `[from, to]` (UTC days, both inclusive, at most 1000 days), by day, as the imports left it: a day imported again shows its latest amount. A campaign without spend (or never written) answers no entries. Needs `reports:read`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('reports:read')] as const,
    request: { params, query: SpendQuerySchema },
    responses: {
      200: { description: 'The days', ...json(SpendListSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, campaignKey: rawKey } = c.req.valid('param')
    const { from, to } = c.req.valid('query')
    const key = await resolve(siteStore(c.env, siteKey), siteKey, rawKey)
    const entries = await listSpend(siteStore(c.env, siteKey), {
      siteKey,
      campaignKey: key,
      from,
      to,
    })
    return c.json({ campaignKey: key, from, to, entries }, 200)
  },
)

adminCampaigns.openapi(
  createRoute({
    method: 'put',
    path: '/v1/admin/sites/{siteKey}/campaigns/{campaignKey}',
    summary: 'Create or update a campaign',
    description:
      'Names a campaign seen as `utm_campaign`. Every field is replaced; an absent one is cleared. A campaign never configured still appears in reports. Needs `campaigns:write` (or `site:admin`).',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('campaigns:write')] as const,
    request: { params, body: { ...json(CampaignInputSchema), required: true } },
    responses: {
      200: { description: 'Updated', ...json(CampaignSchema) },
      201: { description: 'Created', ...json(CampaignSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, campaignKey: rawKey } = c.req.valid('param')
    const input = c.req.valid('json')
    const key = await resolve(siteStore(c.env, siteKey), siteKey, rawKey)
    const existed = (await findCampaign(siteStore(c.env, siteKey), siteKey, key)) !== null
    await upsertCampaign(siteStore(c.env, siteKey), {
      siteKey,
      campaignKey: key,
      name: input.name ?? null,
      channel: input.channel ?? null,
      source: input.source ?? null,
      medium: input.medium ?? null,
      now: nowIso(),
    })
    const campaign = await findCampaign(siteStore(c.env, siteKey), siteKey, key)
    if (!campaign) throw new Error('campaign vanished after write')
    return c.json(campaign, existed ? 200 : 201)
  },
)

adminCampaigns.openapi(
  createRoute({
    method: 'put',
    path: '/v1/admin/sites/{siteKey}/campaigns/{campaignKey}/spend',
    summary: 'Import daily spend',
    description:
      'The spend of each day in integer minor units of an ISO 4217 currency. A day imported before is replaced, so re-importing an ad platform’s export never counts twice; days not in the request stay. A campaign not configured yet is created. At most 1000 days a request, each day once; all days are written or none. A site’s spend in one currency, over all campaigns and days, stays at most 2^53 − 1 minor units (9007199254740991), so the report sums it exactly: an import past that is refused with 422 and writes nothing. Needs `campaigns:write` (or `site:admin`).',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('campaigns:write')] as const,
    request: { params, body: { ...json(SpendInputSchema), required: true } },
    responses: {
      200: { description: 'Written', ...json(SpendResultSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, campaignKey: rawKey } = c.req.valid('param')
    const { entries } = c.req.valid('json')
    const key = await resolve(siteStore(c.env, siteKey), siteKey, rawKey)
    const { written, overBound } = await upsertSpend(siteStore(c.env, siteKey), {
      siteKey,
      campaignKey: key,
      entries,
      now: nowIso(),
    })
    if (overBound.length) {
      // The report sums spend exactly only up to the bound (docs/report.md#spend); nothing was written.
      throw new HttpProblem({
        code: 'validation_failed',
        detail: `This import would take the site's spend past ${MAX_SPEND_TOTAL} minor units in ${overBound.join(', ')}; nothing was written.`,
        errors: overBound.map((currency) => ({
          path: 'entries',
          message: `would take the site's ${currency} spend past ${MAX_SPEND_TOTAL} minor units`,
        })),
      })
    }
    return c.json({ campaignKey: key, written }, 200)
  },
)
