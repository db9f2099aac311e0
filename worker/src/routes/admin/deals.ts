import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import {
  DealWonInputSchema,
  DealWonResultSchema,
  INBOUND_SOURCES,
  InboundKeySchema,
} from '../../../../shared/deals'
import { putInboundKey } from '../../db/inbound-keys'
import { findLead, findLeadByEmailKey } from '../../db/leads'
import { siteStore } from '../../db/store'
import { normaliseEmail } from '../../domain/normalize'
import { randomToken, sha256Hex } from '../../lib/crypto'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { actorOf, authenticate, requireScope } from '../../middleware/auth'
import { requireSite } from '../../services/lookups'
import { winDeal } from '../../services/won-deal'

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

/** The answer to a deal whose lead is not there (never was, or erased). */
export const LEAD_NOT_FOUND = () =>
  new HttpProblem({ code: 'lead_not_found', detail: 'There is no such lead on this site.' })

export const adminDeals = createRouter()

adminDeals.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/deals',
    summary: 'A deal won: the lead becomes a customer with its value',
    description: [
      'For a CRM integration of your own (docs/inbound-deals.md): the lead of `leadId`, or of `email` (compared as capture compares addresses), becomes `customer` with the deal value (`amount` in integer minor units), so the campaign report counts the order and its revenue. The stage is then set by hand (rules never overwrite it) and the history names the token and the deal.',
      'Each `dealId` counts once: the first call answers 201, a repeat 200 with the same answer and writes nothing. A lead that is a customer already (by another deal or by hand) keeps its stage, value and history: the answer says `outcome: "already_customer"`. An erased or unknown lead is `404 lead_not_found`. Needs `leads:write`.',
    ].join('\n\n'),
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:write')] as const,
    request: {
      params: z.object({ siteKey: SITE_KEY }),
      body: { ...json(DealWonInputSchema), required: true },
    },
    responses: {
      200: {
        description: 'The deal was recorded before: what it did then',
        ...json(DealWonResultSchema),
      },
      201: { description: 'The deal, recorded', ...json(DealWonResultSchema) },
      ...PROBLEM_RESPONSES,
      409: { description: 'The lead kept changing meanwhile; retry' },
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const input = c.req.valid('json')
    const db = siteStore(c.env, siteKey)
    await requireSite(db, siteKey)
    let emailKey: string | null = null
    if (input.email !== undefined) {
      emailKey = normaliseEmail(input.email)?.key ?? null
      if (!emailKey)
        throw new HttpProblem({
          code: 'validation_failed',
          detail: 'The deal is not valid.',
          errors: [{ path: 'email', message: 'is not an email address', reason: 'email' }],
        })
    }
    const outcome = await winDeal(
      {
        db,
        outbound: c.env.OUTBOUND,
        appOrigin: c.get('config').APP_URL ?? new URL(c.req.url).origin,
      },
      {
        siteKey,
        source: 'api',
        dealId: input.dealId,
        amount: input.amount,
        currency: input.currency,
        wonAt: input.wonAt ?? null,
        strictTime: true,
        actor: actorOf(c.get('principal')),
        reason: `deal won: ${input.dealId}`,
      },
      () =>
        emailKey !== null
          ? findLeadByEmailKey(db, siteKey, emailKey)
          : findLead(db, siteKey, input.leadId!),
    )
    if (outcome.status === 'no_lead') throw LEAD_NOT_FOUND()
    return outcome.status === 201 ? c.json(outcome.result, 201) : c.json(outcome.result, 200)
  },
)

adminDeals.openapi(
  createRoute({
    method: 'put',
    path: '/v1/admin/sites/{siteKey}/inbound/{source}',
    summary: 'Create or rotate a CRM’s inbound key',
    description:
      'The key a CRM posts won deals with to `POST /v1/inbound/{siteKey}/{source}` (docs/inbound-deals.md). The answer shows the key and the whole URL to paste into the CRM, this once: only its SHA-256 is kept. Calling it again rotates the key; the old one stops working at once. Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: {
      params: z.object({
        siteKey: SITE_KEY,
        source: z.enum(INBOUND_SOURCES).meta({ example: 'pipedrive' }),
      }),
    },
    responses: {
      200: { description: 'The key, rotated', ...json(InboundKeySchema) },
      201: { description: 'The key, created', ...json(InboundKeySchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, source } = c.req.valid('param')
    const db = siteStore(c.env, siteKey)
    await requireSite(db, siteKey)
    const key = `lsi_${randomToken(32)}`
    const row = await putInboundKey(db, siteKey, source, await sha256Hex(key), nowIso())
    const url = new URL(
      `/v1/inbound/${encodeURIComponent(siteKey)}/${source}`,
      new URL(c.req.url).origin,
    )
    url.searchParams.set('key', key)
    const body = {
      source,
      key,
      url: url.toString(),
      createdAt: row.created_at,
      rotatedAt: row.rotated_at,
    }
    return row.rotated_at === null ? c.json(body, 201) : c.json(body, 200)
  },
)
