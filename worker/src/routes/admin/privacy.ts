import { createRoute } from '@hono/zod-openapi'
import { LeadParamsSchema } from '../../../../shared/leads'
import { ConsentLinksSchema, LeadErasedSchema, LeadExportSchema } from '../../../../shared/privacy'
import { findLead } from '../../db/leads'
import { eraseLead } from '../../db/erasure'
import { exportLeadRows } from '../../db/export'
import { insertLeadTokenStatement } from '../../db/lead-tokens'
import { siteStore } from '../../db/store'
import { randomToken, sha256Hex } from '../../lib/crypto'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'
import { erasedEvent } from '../../services/outbound/events'
import { announce } from '../../services/outbound/queue'

export const adminPrivacy = createRouter()

adminPrivacy.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/admin/sites/{siteKey}/leads/{leadId}',
    summary: 'Erase a lead',
    description:
      'Deletes every personal datum of the lead from every table. An anonymous tombstone keeps what reports need (stage, campaign touches, times, deal value), so past figures do not change.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:write')] as const,
    request: { params: LeadParamsSchema },
    responses: {
      200: {
        description: 'Erased',
        content: {
          'application/json': {
            schema: LeadErasedSchema,
          },
        },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, leadId } = c.req.valid('param')
    const now = nowIso()
    const erased = await eraseLead(
      siteStore(c.env, siteKey),
      siteKey,
      leadId,
      now,
      erasedEvent(siteKey, leadId, now),
    )
    if (!erased) {
      throw new HttpProblem({
        code: 'lead_not_found',
        detail: 'There is no such lead on this site.',
      })
    }
    await announce(c.env.OUTBOUND, [erased])
    return c.json({ leadId, erasedAt: now }, 200)
  },
)

adminPrivacy.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/leads/{leadId}/export',
    summary: 'Export everything stored about a lead',
    description:
      'Every row of every table that belongs to the lead, as stored, for data portability.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:read')] as const,
    request: { params: LeadParamsSchema },
    responses: {
      200: {
        description: 'The export (JSON, as an attachment)',
        content: { 'application/json': { schema: LeadExportSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, leadId } = c.req.valid('param')
    if (!(await findLead(siteStore(c.env, siteKey), siteKey, leadId))) {
      throw new HttpProblem({
        code: 'lead_not_found',
        detail: 'There is no such lead on this site.',
      })
    }
    const rows = await exportLeadRows(siteStore(c.env, siteKey), leadId)
    return c.json({ exportedAt: nowIso(), siteKey, leadId, ...rows }, 200, {
      'content-disposition': `attachment; filename="lead-${leadId}.json"`,
    })
  },
)

adminPrivacy.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/leads/{leadId}/consent-link',
    summary: "Issue links to the lead's consent receipt and one-click withdrawal",
    description:
      'For mails the site sends itself: every mail must carry both links. The token is shown once and stored hashed.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:write')] as const,
    request: { params: LeadParamsSchema },
    responses: {
      201: {
        description: 'The links',
        content: {
          'application/json': {
            schema: ConsentLinksSchema,
          },
        },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, leadId } = c.req.valid('param')
    if (!(await findLead(siteStore(c.env, siteKey), siteKey, leadId))) {
      throw new HttpProblem({
        code: 'lead_not_found',
        detail: 'There is no such lead on this site.',
      })
    }
    const token = randomToken(24)
    await insertLeadTokenStatement(siteStore(c.env, siteKey), {
      hash: await sha256Hex(token),
      leadId,
      siteKey,
      purpose: 'consent',
      expiresAt: null,
      now: nowIso(),
    }).run()
    const base = `${new URL(c.req.url).origin}/v1/consent/${token}`
    return c.json({ receiptUrl: base, withdrawUrl: `${base}/withdraw` }, 201)
  },
)
