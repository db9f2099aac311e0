import { createRoute, z } from '@hono/zod-openapi'
import {
  MAX_SPEND_TOTAL,
  CampaignInputSchema,
  CampaignKeyParam,
  CampaignSchema,
  SpendInputSchema,
  SpendResultSchema,
} from '../../../../shared/campaigns'
import { SITE_KEY } from '../../../../shared/common'
import { findCampaign, upsertCampaign, upsertSpend } from '../../db/campaigns'
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
    const key = await resolve(c.env.DB, siteKey, rawKey)
    const existed = (await findCampaign(c.env.DB, siteKey, key)) !== null
    await upsertCampaign(c.env.DB, {
      siteKey,
      campaignKey: key,
      name: input.name ?? null,
      channel: input.channel ?? null,
      source: input.source ?? null,
      medium: input.medium ?? null,
      now: nowIso(),
    })
    const campaign = await findCampaign(c.env.DB, siteKey, key)
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
    const key = await resolve(c.env.DB, siteKey, rawKey)
    const { written, overBound } = await upsertSpend(c.env.DB, {
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
