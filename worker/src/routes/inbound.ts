import { createRoute, z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { SITE_KEY } from '../../../shared/common'
import { INBOUND_SOURCES, InboundResultSchema, type InboundSource } from '../../../shared/deals'
import { findInboundKey } from '../db/inbound-keys'
import { findLeadByEmailKey, type LeadRow } from '../db/leads'
import { siteStore } from '../db/store'
import { findLeadByCrmLink } from '../db/won-deals'
import { INBOUND_READERS } from '../domain/inbound-deal'
import { normaliseEmail } from '../domain/normalize'
import type { AppEnv } from '../env'
import { sha256Hex, timingSafeEqualStrings } from '../lib/crypto'
import { HttpProblem } from '../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../lib/router'
import { winDeal } from '../services/won-deal'

const KEY = /^[A-Za-z0-9_-]{16,200}$/

function isInboundSource(value: string | undefined): value is InboundSource {
  return (INBOUND_SOURCES as readonly string[]).includes(value ?? '')
}

/** The key of the request: `?key=`, or the password of HTTP basic auth (Pipedrive offers it). */
function keyOf(url: string, authorization: string | undefined): string | null {
  const query = new URL(url).searchParams.get('key')
  if (query !== null) return query
  const basic = /^Basic ([A-Za-z0-9+/=]{4,400})$/.exec(authorization ?? '')
  if (!basic) return null
  try {
    const decoded = atob(basic[1]!)
    return decoded.slice(decoded.indexOf(':') + 1)
  } catch {
    return null
  }
}

/**
 * Before the body is parsed (the body limit and UTF-8 check have read it): the source must be one Lodestone reads (404), the key the site's
 * key for it (401; compared as SHA-256 in constant time). An unknown site has no key: 401 too,
 * so the answer does not say which sites exist.
 */
const inboundKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const source = c.req.param('source')
  if (!isInboundSource(source))
    throw new HttpProblem({ code: 'not_found', detail: 'Lodestone reads no CRM of this name.' })
  const key = keyOf(c.req.url, c.req.header('authorization'))
  const siteKey = c.req.param('siteKey') ?? ''
  const stored =
    key !== null && KEY.test(key) && SITE_KEY.safeParse(siteKey).success
      ? await findInboundKey(siteStore(c.env, siteKey), siteKey, source)
      : null
  const given = await sha256Hex(key ?? '')
  // Compared even without a stored key, so an unknown site takes as long as a wrong key.
  const matches = await timingSafeEqualStrings(given, stored?.key_sha256 ?? '')
  if (!stored || !matches)
    throw new HttpProblem({
      code: 'unauthorized',
      detail:
        'The inbound key is missing or not valid; make one with PUT /v1/admin/sites/{siteKey}/inbound/{source}.',
    })
  await next()
}

export const inbound = createRouter()

const PIPEDRIVE_EXAMPLE = {
  v: 1,
  event: 'updated.deal',
  meta: { action: 'updated', object: 'deal', id: 4711 },
  current: {
    id: 4711,
    status: 'won',
    value: 18000,
    currency: 'EUR',
    person_id: 1234,
    won_time: '2026-12-04 10:00:00',
  },
  previous: { status: 'open' },
}

inbound.openapi(
  createRoute({
    method: 'post',
    path: '/v1/inbound/{siteKey}/{source}',
    summary: 'A CRM’s webhook: a deal won',
    description: [
      'Where Pipedrive (`pipedrive`) or HubSpot (`hubspot`) posts deals (docs/inbound-deals.md). Authenticated by the site’s inbound key for that CRM, in `?key=` or as the password of HTTP basic auth (`PUT /v1/admin/sites/{siteKey}/inbound/{source}` makes it): a missing or wrong key is 401, a CRM Lodestone does not read 404.',
      'A won deal moves its lead to `customer` with the deal’s value (in the CRM’s major units, converted to minor units), once per deal id: the first answer is 201, a repeat (a CRM retrying) 200 with the same answer and no change. The lead is found by the CRM’s person or contact id (the link Lodestone keeps when it pushes the lead to the CRM), else by the email address the payload carries.',
      'Anything else answers 200 `{ignored: true, reason}`, so the CRM does not retry it: a deal not won, a payload without a deal, a person Lodestone has no lead of (`no such lead`). A won deal whose value or currency cannot be read is 422.',
    ].join('\n\n'),
    middleware: [inboundKey] as const,
    request: {
      params: z.object({
        siteKey: SITE_KEY,
        source: z.string().max(40).meta({ example: 'pipedrive' }),
      }),
      query: z.object({
        key: z
          .string()
          .max(400)
          .optional()
          .meta({ example: 'lsi_Wm9uZGVyYmFyLWJlaXNwaWVsLXNjaGx1ZXNzZWwtMTIz' }),
      }),
      body: {
        content: {
          'application/json': {
            schema: z.record(z.string().max(200), z.unknown()).meta({ example: PIPEDRIVE_EXAMPLE }),
          },
        },
        required: true,
      },
    },
    responses: {
      200: {
        description: 'Read: a deal seen before (what it did then), or ignored and why',
        content: { 'application/json': { schema: InboundResultSchema } },
      },
      201: {
        description: 'The won deal, recorded',
        content: { 'application/json': { schema: InboundResultSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const source = c.req.valid('param').source as InboundSource
    const read = INBOUND_READERS[source](c.req.valid('json'))
    if (read.kind === 'invalid')
      throw new HttpProblem({
        code: 'validation_failed',
        detail: 'The won deal cannot be read.',
        errors: read.errors,
      })
    if (read.kind === 'ignored') return c.json({ ignored: true as const, reason: read.reason }, 200)
    const { deal } = read
    const db = siteStore(c.env, siteKey)
    const findLead = async (): Promise<LeadRow | null> => {
      if (deal.personId !== null) {
        const linked = await findLeadByCrmLink(db, siteKey, source, deal.personId)
        if (linked) return linked
      }
      for (const email of deal.emails) {
        const key = normaliseEmail(email)?.key
        const lead = key ? await findLeadByEmailKey(db, siteKey, key) : null
        if (lead && lead.erased_at === null) return lead
      }
      return null
    }
    const outcome = await winDeal(
      {
        db,
        outbound: c.env.OUTBOUND,
        appOrigin: c.get('config').APP_URL ?? new URL(c.req.url).origin,
      },
      {
        siteKey,
        source,
        dealId: deal.dealId,
        amount: deal.amount,
        currency: deal.currency,
        wonAt: deal.wonAt,
        strictTime: false,
        actor: `inbound:${source}`,
        reason: `deal won in ${source}: ${deal.dealId}`,
      },
      findLead,
    )
    // Nothing about the person is logged or answered: the CRM hears only that no lead matched.
    if (outcome.status === 'no_lead')
      return c.json({ ignored: true as const, reason: 'no such lead' }, 200)
    return outcome.status === 201 ? c.json(outcome.result, 201) : c.json(outcome.result, 200)
  },
)
