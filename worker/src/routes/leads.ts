import { createRoute } from '@hono/zod-openapi'
import { LeadSubmissionResultSchema, LeadSubmissionSchema } from '../../../shared/leads'
import { siteStore } from '../db/store'
import { readJsonBody } from '../lib/body'
import { readRequestFacts } from '../lib/request-facts'
import { createRouter, PROBLEM_RESPONSES } from '../lib/router'
import { requireSiteForOrigin } from '../middleware/cors'
import { enforceRateLimit } from '../middleware/rate-limit'
import { captureLead } from '../services/capture-lead'
import { requireForm } from '../services/lookups'

export const leads = createRouter()

const result = { content: { 'application/json': { schema: LeadSubmissionResultSchema } } }

leads.openapi(
  createRoute({
    method: 'post',
    path: '/v1/leads',
    summary: 'Submit a form',
    description:
      'Validates and normalises the fields, merges the lead by email, records the consents and answers the gated download. A replay of the same `submissionId` answers the same body with 200.',
    request: {
      // Documented as text/plain: the body is JSON read by readJsonBody, whatever its declared type.
      body: { content: { 'text/plain': { schema: LeadSubmissionSchema } }, required: true },
    },
    responses: {
      200: { description: 'A replay of an earlier submission', ...result },
      201: { description: 'Stored', ...result },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const body = await readJsonBody(c, LeadSubmissionSchema)
    const site = await requireSiteForOrigin(c, body.siteKey)
    const form = await requireForm(siteStore(c.env, site.siteKey), site, body.formId)
    const { status, result } = await captureLead(
      {
        db: siteStore(c.env, site.siteKey),
        config: c.get('config'),
        rateLimit: () => enforceRateLimit(c, c.env.LEADS_LIMITER, site.siteKey),
        outbound: c.env.OUTBOUND,
      },
      readRequestFacts(c),
      { site, form, body },
    )
    return c.json(result, status)
  },
)
