import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import { LeadDetailSchema, LeadListQuerySchema, LeadListSchema } from '../../../../shared/leads'
import { listLeadConsents } from '../../db/consent-ledger'
import { parseJson } from '../../db/json'
import { findLead, listLeads, toLeadRecord, toLeadSummary, type LeadRow } from '../../db/leads'
import { findSite } from '../../db/sites'
import { parseEngagementState, resolveRules, temperatureAt } from '../../domain/qualify'
import { listStageHistory } from '../../db/stage-history'
import { listLeadSubmissions } from '../../db/submissions'
import { listLeadTouchpoints } from '../../db/touchpoints'
import { fromBase64Url, toBase64Url } from '../../lib/crypto'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { authenticate, requireScope } from '../../middleware/auth'

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

export const adminLeads = createRouter()

/**
 * Temperature at the time of reading (docs/stages-and-scoring.md#temperature): it cools without any
 * new touchpoint, so the stored value (refreshed hourly) is recomputed here.
 */
async function temperatureNow(db: D1Database, siteKey: string) {
  const site = await findSite(db, siteKey)
  const rules = resolveRules(site?.rules)
  const now = new Date()
  return (row: LeadRow) => temperatureAt(parseEngagementState(row.score_state), now, rules)
}

function encodeCursor(createdAt: string, id: string): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([createdAt, id])))
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const bytes = fromBase64Url(cursor)
  try {
    const value: unknown = bytes ? JSON.parse(new TextDecoder().decode(bytes)) : null
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { createdAt: value[0], id: value[1] }
    }
  } catch {
    // fall through to the problem below
  }
  throw new HttpProblem({
    code: 'validation_failed',
    detail: 'The request query is not valid.',
    errors: [{ path: 'cursor', message: 'is not a cursor from this API' }],
  })
}

adminLeads.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/leads',
    summary: 'List leads',
    description:
      'Newest first; filter by stage, temperature, campaign (first or last touch) and creation time.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:read')] as const,
    request: { params: z.object({ siteKey: SITE_KEY }), query: LeadListQuerySchema },
    responses: {
      200: { description: 'A page of leads', ...json(LeadListSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const query = c.req.valid('query')
    const rows = await listLeads(c.env.DB, siteKey, {
      stage: query.stage,
      temperature: query.temperature,
      campaign: query.campaign?.trim().toLowerCase(),
      // Stored times are UTC with milliseconds; an offset in the query must not compare as text.
      from: query.from ? new Date(query.from).toISOString() : undefined,
      to: query.to ? new Date(query.to).toISOString() : undefined,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    })
    const page = rows.slice(0, query.limit)
    const last = page[page.length - 1]
    const temperature = await temperatureNow(c.env.DB, siteKey)
    return c.json(
      {
        leads: page.map((row) => ({ ...toLeadSummary(row), temperature: temperature(row) })),
        nextCursor:
          rows.length > query.limit && last ? encodeCursor(last.created_at, last.id) : null,
      },
      200,
    )
  },
)

adminLeads.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/leads/{leadId}',
    summary: 'One lead',
    description:
      'Fields, stage, temperature, score with reasons, completeness, journey, submissions, consents, stage history.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:read')] as const,
    request: {
      params: z.object({
        siteKey: SITE_KEY,
        leadId: z.string().uuid().meta({ example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }),
      }),
    },
    responses: {
      200: { description: 'The lead', ...json(LeadDetailSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, leadId } = c.req.valid('param')
    const row = await findLead(c.env.DB, siteKey, leadId)
    if (!row)
      throw new HttpProblem({
        code: 'lead_not_found',
        detail: 'There is no such lead on this site.',
      })
    const [journey, submissions, consents, stageHistory] = await Promise.all([
      listLeadTouchpoints(c.env.DB, leadId),
      listLeadSubmissions(c.env.DB, leadId),
      listLeadConsents(c.env.DB, leadId),
      listStageHistory(c.env.DB, leadId),
    ])
    const temperature = await temperatureNow(c.env.DB, siteKey)
    return c.json(
      {
        ...toLeadSummary(row),
        temperature: temperature(row),
        fields: toLeadRecord(row),
        score: {
          fit: row.fit_score,
          engagement: row.engagement_score,
          reasons: parseJson<string[]>(row.score_reasons, []),
        },
        journey: journey.map((t) => ({
          id: t.event_id,
          type: t.type,
          ts: t.occurred_at,
          url: t.url,
          referrer: t.referrer,
          utm: { source: t.utm_source, medium: t.utm_medium, campaign: t.utm_campaign },
          formId: t.form_id,
        })),
        submissions: submissions.map((s) => ({
          submissionId: s.submission_id,
          formId: s.form_id,
          fields: parseJson<Record<string, string | boolean>>(s.fields, {}),
          pageUrl: s.page_url,
          createdAt: s.created_at,
        })),
        consents,
        stageHistory,
      },
      200,
    )
  },
)
