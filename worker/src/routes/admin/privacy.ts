import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import { findLead } from '../../db/leads'
import { eraseLead } from '../../db/erasure'
import { exportLeadRows } from '../../db/export'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'

const LeadParams = z.object({ siteKey: SITE_KEY, leadId: z.string().uuid() })

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
    request: { params: LeadParams },
    responses: {
      200: {
        description: 'Erased',
        content: { 'application/json': { schema: z.object({ leadId: z.string(), erasedAt: z.string() }) } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, leadId } = c.req.valid('param')
    const now = nowIso()
    if (!(await eraseLead(c.env.DB, siteKey, leadId, now))) {
      throw new HttpProblem(404, 'lead_not_found', 'There is no such lead on this site.')
    }
    return c.json({ leadId, erasedAt: now }, 200)
  },
)

adminPrivacy.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/leads/{leadId}/export',
    summary: 'Export everything stored about a lead',
    description: 'Every row of every table that belongs to the lead, as stored, for data portability.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:read')] as const,
    request: { params: LeadParams },
    responses: { 200: { description: 'The export (JSON)' }, ...PROBLEM_RESPONSES },
  }),
  async (c) => {
    const { siteKey, leadId } = c.req.valid('param')
    if (!(await findLead(c.env.DB, siteKey, leadId))) {
      throw new HttpProblem(404, 'lead_not_found', 'There is no such lead on this site.')
    }
    const rows = await exportLeadRows(c.env.DB, leadId)
    return c.json({ exportedAt: nowIso(), siteKey, leadId, ...rows }, 200, {
      'content-disposition': `attachment; filename="lead-${leadId}.json"`,
    })
  },
)
