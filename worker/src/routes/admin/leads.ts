import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import {
  JOURNEY_PAGE,
  JourneyPageSchema,
  JourneyQuerySchema,
  LeadDetailSchema,
  LeadListQuerySchema,
  LeadParamsSchema,
  LeadListSchema,
  type LeadSort,
} from '../../../../shared/leads'
import { listLeads, type LeadListAfter } from '../../db/lead-list'
import { listLeadConsents } from '../../db/consent-ledger'
import { parseJson } from '../../db/json'
import { findLead, toLeadRecord, toLeadSummary, type LeadRow } from '../../db/leads'
import { findSite } from '../../db/sites'
import { siteStore } from '../../db/store'
import { parseEngagementState, resolveRules, temperatureAt } from '../../domain/qualify'
import { listStageHistory } from '../../db/stage-history'
import { listLeadSubmissions } from '../../db/submissions'
import { listLeadTouchpoints, type JourneyRow, type TouchpointPosition } from '../../db/touchpoints'
import { dayAfter, STAGE_RANK } from '../../domain/report'
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
  const rules = resolveRules(site?.rules, site?.stageModel)
  const now = new Date()
  return (row: LeadRow) => temperatureAt(parseEngagementState(row.score_state), now, rules)
}

/** A cursor names its sort, so a page of one order never continues another. */
function encodeCursor(sort: LeadSort, key: string | number, id: string): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([sort, key, id])))
}

function cursorProblem(message: string): HttpProblem {
  return new HttpProblem({
    code: 'validation_failed',
    detail: 'The request query is not valid.',
    errors: [{ path: 'cursor', message }],
  })
}

function decodeCursor(cursor: string, sort: LeadSort): LeadListAfter {
  const bytes = fromBase64Url(cursor)
  let value: unknown = null
  try {
    value = bytes ? JSON.parse(new TextDecoder().decode(bytes)) : null
  } catch {
    // refused below
  }
  if (!Array.isArray(value)) throw cursorProblem('is not a cursor from this API')
  // Cursors handed out before the list had orders are `[createdAt, id]`: newest first.
  const [cursorSort, key, id] = value.length === 2 ? ['-created', ...value] : value
  const created = cursorSort === '-created' || cursorSort === 'created'
  const scored = ['-score', 'score', '-probability', 'probability'].includes(cursorSort)
  if (
    value.length > 3 ||
    typeof id !== 'string' ||
    !((created && typeof key === 'string') || (scored && typeof key === 'number'))
  )
    throw cursorProblem('is not a cursor from this API')
  if (cursorSort !== sort) throw cursorProblem(`is a cursor of sort ${cursorSort}, not ${sort}`)
  return { key, id }
}

adminLeads.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/leads',
    summary: 'List leads',
    description:
      'Newest first (`sort=-created`), oldest first, by total score (`-score`, `score`), or by the learned score’s conversion probability (`-probability`, `probability`; leads without one last); `total` counts every lead the filters match. Search `q` in email, names and company; filter by stage, temperature, campaign of the first or last touch (`attribution`, default `first`; `(none)` for leads without a campaign touch), the highest stage `reached`, total score `minScore`, conversion probability `minProbability` (leads without one left out), and creation time: `createdFrom`/`createdTo` as UTC days (both included), the campaign report’s cohort, so a report row’s figures list as exactly its leads; or `from`/`to` as instants. Erased leads are not listed (the report still counts their tombstones). A `cursor` serves only the `sort` it came with.',
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
    const { rows, total } = await listLeads(
      siteStore(c.env, siteKey),
      siteKey,
      {
        q: query.q?.trim() || undefined,
        stage: query.stage,
        temperature: query.temperature,
        campaign: query.campaign?.trim().toLowerCase(),
        attribution: query.attribution,
        reachedRank: query.reached ? STAGE_RANK[query.reached] : undefined,
        // The campaign report's cohort (docs/report.md#cohort): whole UTC days, both included.
        createdFrom: query.createdFrom ? `${query.createdFrom}T00:00:00.000Z` : undefined,
        createdBefore: query.createdTo ? `${dayAfter(query.createdTo)}T00:00:00.000Z` : undefined,
        // Stored times are UTC with milliseconds; an offset in the query must not compare as text.
        createdSince: query.from ? new Date(query.from).toISOString() : undefined,
        createdUntil: query.to ? new Date(query.to).toISOString() : undefined,
        minScore: query.minScore,
        minProbability: query.minProbability,
      },
      {
        sort: query.sort,
        after: query.cursor ? decodeCursor(query.cursor, query.sort) : undefined,
        limit: query.limit + 1,
      },
    )
    const page = rows.slice(0, query.limit)
    const last = page[page.length - 1]
    const temperature = await temperatureNow(siteStore(c.env, siteKey), siteKey)
    const created = query.sort === '-created' || query.sort === 'created'
    const probability = query.sort === '-probability' || query.sort === 'probability'
    return c.json(
      {
        leads: page.map((row) => ({ ...toLeadSummary(row), temperature: temperature(row) })),
        total,
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor(
                query.sort,
                created ? last.created_at : probability ? last.probability_key : last.score_total,
                last.id,
              )
            : null,
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
      params: LeadParamsSchema,
    },
    responses: {
      200: { description: 'The lead', ...json(LeadDetailSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, leadId } = c.req.valid('param')
    const row = await findLead(siteStore(c.env, siteKey), siteKey, leadId)
    if (!row)
      throw new HttpProblem({
        code: 'lead_not_found',
        detail: 'There is no such lead on this site.',
      })
    const [journey, submissions, consents, stageHistory] = await Promise.all([
      readJourneyPage(siteStore(c.env, siteKey), leadId, undefined, JOURNEY_PAGE),
      listLeadSubmissions(siteStore(c.env, siteKey), leadId),
      listLeadConsents(siteStore(c.env, siteKey), leadId),
      listStageHistory(siteStore(c.env, siteKey), leadId),
    ])
    const temperature = await temperatureNow(siteStore(c.env, siteKey), siteKey)
    return c.json(
      {
        ...toLeadSummary(row),
        temperature: temperature(row),
        fields: toLeadRecord(row),
        score: {
          fit: row.fit_score,
          engagement: row.engagement_score,
          total: row.fit_score + row.engagement_score,
          reasons: parseJson<string[]>(row.score_reasons, []),
        },
        journey: journey.journey,
        journeyNextCursor: journey.nextCursor,
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

/** A journey cursor is the last item's time and insertion order, `[occurredAt, seq]`. */
function encodeJourneyCursor(row: JourneyRow): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([row.occurred_at, row.seq])))
}

function decodeJourneyCursor(cursor: string): TouchpointPosition {
  const bytes = fromBase64Url(cursor)
  let value: unknown = null
  try {
    value = bytes ? JSON.parse(new TextDecoder().decode(bytes)) : null
  } catch {
    // refused below
  }
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[0] !== 'string' ||
    Number.isNaN(Date.parse(value[0])) ||
    !Number.isSafeInteger(value[1]) ||
    value[1] < 0
  )
    throw cursorProblem('is not a cursor from this API')
  return { occurredAt: value[0], seq: value[1] }
}

/** A page of the lead's journey, newest first, and the cursor of the next (older) page. */
async function readJourneyPage(
  db: D1Database,
  leadId: string,
  cursor: string | undefined,
  limit: number,
) {
  const before = cursor ? decodeJourneyCursor(cursor) : undefined
  const rows = await listLeadTouchpoints(db, leadId, { before, limit: limit + 1 })
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    journey: page.map((t) => ({
      id: t.event_id,
      type: t.type,
      ts: t.occurred_at,
      url: t.url,
      referrer: t.referrer,
      utm: { source: t.utm_source, medium: t.utm_medium, campaign: t.utm_campaign },
      formId: t.form_id,
      value: t.value,
      pageViewId: t.page_view_id,
    })),
    nextCursor: rows.length > limit && last ? encodeJourneyCursor(last) : null,
  }
}

adminLeads.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/leads/{leadId}/journey',
    summary: 'A page of a lead’s journey',
    description:
      'The lead’s touchpoints newest first, `limit` at a time (at most 200); the lead detail holds the first page and its `journeyNextCursor`, each page its `nextCursor`, `null` after the oldest touchpoint.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:read')] as const,
    request: {
      params: LeadParamsSchema,
      query: JourneyQuerySchema,
    },
    responses: {
      200: { description: 'A page of the journey', ...json(JourneyPageSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, leadId } = c.req.valid('param')
    const { cursor, limit } = c.req.valid('query')
    const db = siteStore(c.env, siteKey)
    if (!(await findLead(db, siteKey, leadId)))
      throw new HttpProblem({
        code: 'lead_not_found',
        detail: 'There is no such lead on this site.',
      })
    return c.json(await readJourneyPage(db, leadId, cursor, limit), 200)
  },
)
