import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import { findLead } from '../../db/leads'
import { eraseLead } from '../../db/erasure'
import { exportLeadRows } from '../../db/export'
import { insertLeadTokenStatement } from '../../db/lead-tokens'
import { randomToken, sha256Hex } from '../../lib/crypto'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'

const LEAD_ID_EXAMPLE = '7c9e6679-7425-40de-944b-e07fc1f90ae7'
const LeadParams = z.object({
  siteKey: SITE_KEY,
  leadId: z.string().uuid().meta({ example: LEAD_ID_EXAMPLE }),
})

/** Rows as stored, so snake_case columns and JSON kept as text. */
const Rows = z.array(z.record(z.string(), z.unknown()))
const ExportSchema = z.object({
  exportedAt: z.string(),
  siteKey: z.string(),
  leadId: z.string(),
  lead: z.record(z.string(), z.unknown()).nullable(),
  submissions: Rows,
  consents: Rows,
  touchpoints: Rows,
  stageHistory: Rows,
  visitorIds: Rows,
  mails: Rows,
})

const PAGE_URL = 'https://www.acme.example/whitepaper-2026'
const VISITOR_ID = '64b42d45-e9b8-446e-9b69-83523fe24127'
const EXPORT_EXAMPLE = {
  exportedAt: '2026-12-01T10:00:00.000Z',
  siteKey: 'acme',
  leadId: LEAD_ID_EXAMPLE,
  lead: {
    id: LEAD_ID_EXAMPLE,
    site_key: 'acme',
    email: 'anna.berg@firma.example',
    email_key: 'anna.berg@firma.example',
    email_domain: 'firma.example',
    first_name: 'Anna',
    last_name: 'Berg',
    company: 'Firma GmbH',
    job_title: 'Geschäftsführerin',
    phone: null,
    fields: '{"employees":"50–249"}',
    complete: 1,
    missing: '[]',
    stage: 'mql',
    stage_set_by: 'rule',
    stage_changed_at: '2026-11-10T14:21:37.000Z',
    temperature: 'hot',
    fit_score: 35,
    engagement_score: 18.7,
    score_reasons:
      '["+20 decision maker (Geschäftsführerin)","+10 business email domain firma.example","+5 company given (Firma GmbH)","+5 viewed pricing page /preise once on 2026-11-10","+3 came back on 2026-11-10","+10 downloaded \'Whitepaper 2026: Vertrieb im Maschinenbau\'","+1 viewed 1 page on 2026-11-03"]',
    score_state:
      '{"v":1,"score":18.7,"ref":"2026-11-10T14:20:12.000Z","total":19,"days":{"2026-11-03":{"t":"2026-11-03T09:12:41.000Z","n":{"pageView":1,"content":1},"k":["whitepaper-2026"]},"2026-11-10":{"t":"2026-11-10T14:20:12.000Z","n":{"pricingView":1,"returnVisit":1}}},"visitDays":2,"firstDay":"2026-11-03","forms":{"whitepaper":1},"pricingViews":1,"lastInteractionAt":"2026-11-10T14:20:12.000Z","lastIntentAt":null,"lastPricingAt":"2026-11-10T14:20:12.000Z","reasons":[{"day":"2026-11-03","kind":"pageView","points":1,"count":1,"seen":1},{"day":"2026-11-03","kind":"content","points":10,"count":1,"label":"Whitepaper 2026: Vertrieb im Maschinenbau","form":"whitepaper"},{"day":"2026-11-10","kind":"returnVisit","points":3,"count":1},{"day":"2026-11-10","kind":"pricingView","points":5,"count":1,"seen":1,"path":"/preise"}],"earlier":0}',
    first_source: 'linkedin',
    first_medium: 'paid',
    first_campaign: 'q4-whitepaper',
    first_touch_at: '2026-11-03T09:12:41.000Z',
    last_source: 'linkedin',
    last_medium: 'paid',
    last_campaign: 'q4-whitepaper',
    last_touch_at: '2026-11-03T09:12:41.000Z',
    first_seen_at: '2026-11-03T09:12:41.000Z',
    customer_at: null,
    deal_amount: null,
    deal_currency: null,
    erased_at: null,
    version: 2,
    created_at: '2026-11-03T09:15:00.000Z',
    updated_at: '2026-11-10T14:21:37.000Z',
  },
  submissions: [
    {
      site_key: 'acme',
      submission_id: '3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f',
      nonce: 'q0VfX2b7yNw1LmQe',
      lead_id: LEAD_ID_EXAMPLE,
      form_id: 'whitepaper-2026',
      fields:
        '{"email":"anna.berg@firma.example","firstName":"Anna","lastName":"Berg","company":"Firma GmbH","jobTitle":"Geschäftsführerin","employees":"50–249"}',
      page_url: PAGE_URL,
      referrer: 'https://www.linkedin.com/',
      utm: '{"source":"linkedin","medium":"paid","campaign":"q4-whitepaper"}',
      response:
        '{"leadId":"7c9e6679-7425-40de-944b-e07fc1f90ae7","stage":"lead","temperature":"warm","complete":true,"missing":[]}',
      created_at: '2026-11-03T09:15:00.000Z',
    },
  ],
  consents: [
    {
      id: 812,
      site_key: 'acme',
      lead_id: LEAD_ID_EXAMPLE,
      purpose: 'marketing_email',
      status: 'granted',
      method: 'checkbox',
      text_id: 'ct_VUogJhiVntyvcBCT',
      text_sha256: '4d92e8e453bf999b09d7ba0bdab564cde6ac24428e9083c62a47dae4481dca5c',
      form_id: 'whitepaper-2026',
      page_url: PAGE_URL,
      submission_id: '3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f',
      network: '203.0.113.0/24',
      user_agent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
      created_at: '2026-11-03T09:15:00.000Z',
      text: 'Ja, ich möchte per E-Mail Informationen der Acme Maschinenbau GmbH zu Produkten und Veranstaltungen erhalten. Die Einwilligung kann ich jederzeit widerrufen.',
      text_version: 1,
    },
  ],
  touchpoints: [
    {
      seq: 40517,
      site_key: 'acme',
      event_id: 'f162379a-991c-433d-ac63-7e8ad2fd326d',
      type: 'page_view',
      occurred_at: '2026-11-03T09:12:41.000Z',
      received_at: '2026-11-03T09:12:42.113Z',
      url: `${PAGE_URL}?utm_source=linkedin&utm_medium=paid&utm_campaign=q4-whitepaper`,
      path: '/whitepaper-2026',
      referrer: 'https://www.linkedin.com/',
      utm_source: 'linkedin',
      utm_medium: 'paid',
      utm_campaign: 'q4-whitepaper',
      utm_term: null,
      utm_content: null,
      form_id: null,
      props: null,
      visitor_id: VISITOR_ID,
      daily_hash: null,
      lead_id: LEAD_ID_EXAMPLE,
    },
  ],
  stageHistory: [
    {
      id: 2291,
      site_key: 'acme',
      lead_id: LEAD_ID_EXAMPLE,
      from_stage: null,
      to_stage: 'lead',
      cause: 'rule',
      rule_id: 'b2b.lead',
      token_id: null,
      reason: null,
      value_amount: null,
      value_currency: null,
      created_at: '2026-11-03T09:15:00.000Z',
    },
  ],
  visitorIds: [{ visitor_id: VISITOR_ID, created_at: '2026-11-03T09:15:00.000Z' }],
  mails: [],
}

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
        content: {
          'application/json': {
            schema: z
              .object({ leadId: z.string(), erasedAt: z.string() })
              .meta({ example: { leadId: LEAD_ID_EXAMPLE, erasedAt: '2026-12-01T10:05:00.000Z' } }),
          },
        },
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
    description:
      'Every row of every table that belongs to the lead, as stored, for data portability.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:read')] as const,
    request: { params: LeadParams },
    responses: {
      200: {
        description: 'The export (JSON, as an attachment)',
        content: { 'application/json': { schema: ExportSchema.meta({ example: EXPORT_EXAMPLE }) } },
      },
      ...PROBLEM_RESPONSES,
    },
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

adminPrivacy.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/leads/{leadId}/consent-link',
    summary: "Issue links to the lead's consent receipt and one-click withdrawal",
    description:
      'For mails the site sends itself: every mail must carry both links. The token is shown once and stored hashed.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:write')] as const,
    request: { params: LeadParams },
    responses: {
      201: {
        description: 'The links',
        content: {
          'application/json': {
            schema: z.object({ receiptUrl: z.string(), withdrawUrl: z.string() }).meta({
              example: {
                receiptUrl:
                  'https://collector.example.com/v1/consent/k3V9xQ2mT7bN4pR8sW1yZ6cF0hJ5dL2a',
                withdrawUrl:
                  'https://collector.example.com/v1/consent/k3V9xQ2mT7bN4pR8sW1yZ6cF0hJ5dL2a/withdraw',
              },
            }),
          },
        },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, leadId } = c.req.valid('param')
    if (!(await findLead(c.env.DB, siteKey, leadId))) {
      throw new HttpProblem(404, 'lead_not_found', 'There is no such lead on this site.')
    }
    const token = randomToken(24)
    await insertLeadTokenStatement(c.env.DB, {
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
