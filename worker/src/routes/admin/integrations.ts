import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import {
  IntegrationInputSchema,
  IntegrationKindSchema,
  IntegrationListSchema,
  IntegrationViewSchema,
  INTEGRATION_KINDS,
  type IntegrationInput,
  type IntegrationKind,
} from '../../../../shared/integrations'
import {
  DeliveryIdSchema,
  DeliveryListQuerySchema,
  DeliveryListSchema,
  DeliveryRetriedSchema,
} from '../../../../shared/outbound'
import type { OutboundEvent } from '../../../../shared/vocabulary'
import {
  deleteEndpoint,
  findEndpoint,
  listDeliveries,
  putEndpoint,
  toIntegration,
} from '../../db/endpoints'
import { endpointSettings, type EndpointRow } from '../../db/outbound'
import { siteStore } from '../../db/store'
import type { Config } from '../../env'
import { sealSecret } from '../../lib/crypto'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'
import { requireSite } from '../../services/lookups'
import { retryByHand } from '../../services/outbound/queue'
import { requireTarget } from './webhooks'

/**
 * Sales alerts and CRM push (docs/outbound-integrations.md): one integration of each kind a site,
 * stored as an endpoint whose id is its kind. The Slack URL and the CRM tokens are credentials:
 * sealed in `secret`, never answered again.
 */

/** Every integration hears of these; its sender decides what each one is worth. */
const INTEGRATION_EVENTS: Record<IntegrationKind, OutboundEvent[]> = {
  slack: ['lead.created', 'lead.updated', 'lead.stage_changed'],
  email: ['lead.created', 'lead.updated', 'lead.stage_changed'],
  hubspot: ['lead.created', 'lead.updated', 'lead.stage_changed'],
  pipedrive: ['lead.created', 'lead.updated', 'lead.stage_changed'],
}

const SLACK_WEBHOOKS = 'https://hooks.slack.com/'

const SiteParams = z.object({ siteKey: SITE_KEY })
const KindParams = SiteParams.extend({ kind: IntegrationKindSchema })
const DeliveryParams = KindParams.extend({ deliveryId: DeliveryIdSchema })
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

async function requireIntegration(
  db: D1Database,
  siteKey: string,
  kind: IntegrationKind,
): Promise<EndpointRow> {
  await requireSite(db, siteKey)
  const row = await findEndpoint(db, siteKey, kind, kind)
  if (!row)
    throw new HttpProblem({
      code: 'integration_not_found',
      detail: 'The site has no integration of this kind set up.',
    })
  return row
}

const missing = (path: string, what: string) =>
  new HttpProblem({
    code: 'validation_failed',
    detail: `Setting up this integration needs ${what}.`,
    errors: [{ path, message: 'required when the integration is created' }],
  })

/** A Slack incoming webhook and nothing else: its URL is where the alert's lead data goes. */
function requireSlackWebhook(config: Config, url: string): void {
  requireTarget(config, url)
  if (!url.startsWith(SLACK_WEBHOOKS))
    throw new HttpProblem({
      code: 'target_not_allowed',
      detail: 'The URL must be a Slack incoming webhook, https://hooks.slack.com/services/….',
      errors: [{ path: 'url', message: 'must start with https://hooks.slack.com/' }],
    })
}

/** Host and last four characters: enough to recognise the webhook, too little to use it. */
export function slackUrlHint(url: string): string {
  return `hooks.slack.com/…${url.slice(-4)}`
}

/** What an input stores: the settings (nothing secret) and, when given, the sealed credential. */
async function planWrite(
  config: Config,
  input: IntegrationInput,
  existing: EndpointRow | null,
): Promise<{ settings: Record<string, unknown>; secret?: string }> {
  const seal = (value: string) => sealSecret(config.LODESTONE_SECRET, value)
  const hasSecret = existing?.secret != null
  switch (input.kind) {
    case 'slack': {
      if (input.url === undefined) {
        if (!hasSecret) throw missing('url', 'the Slack incoming webhook `url`')
        const { urlHint } = endpointSettings<{ urlHint: string | null }>(existing!, {
          urlHint: null,
        })
        return { settings: { on: input.on, urlHint } }
      }
      requireSlackWebhook(config, input.url)
      return {
        settings: { on: input.on, urlHint: slackUrlHint(input.url) },
        secret: await seal(input.url),
      }
    }
    case 'email':
      return { settings: { on: input.on, to: input.to } }
    case 'hubspot':
    case 'pipedrive':
      if (input.token === undefined) {
        if (!hasSecret) throw missing('token', 'the API `token`')
        return { settings: {} }
      }
      return { settings: {}, secret: await seal(input.token) }
  }
}

export const adminIntegrations = createRouter()

adminIntegrations.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/integrations',
    summary: 'The site’s sales alerts and CRM push',
    description:
      'Every integration set up (at most one of each kind: `slack`, `email`, `hubspot`, `pipedrive`) with its state. A Slack URL shows as `urlHint`, a token only as `tokenSet`. Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: SiteParams },
    responses: {
      200: { description: 'The integrations', ...json(IntegrationListSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const db = siteStore(c.env, siteKey)
    await requireSite(db, siteKey)
    const { results } = await db
      .prepare(
        `SELECT * FROM endpoints WHERE site_key = ?1 AND kind IN (SELECT value FROM json_each(?2))
         AND endpoint_id = kind ORDER BY kind`,
      )
      .bind(siteKey, JSON.stringify(INTEGRATION_KINDS))
      .all<EndpointRow>()
    return c.json({ integrations: results.map(toIntegration) }, 200)
  },
)

adminIntegrations.openapi(
  createRoute({
    method: 'put',
    path: '/v1/admin/sites/{siteKey}/integrations/{kind}',
    summary: 'Set up or change an integration',
    description: [
      'The body’s `kind` must be the path’s. `slack`: `url` is a Slack incoming webhook (`https://hooks.slack.com/…`, else `422 target_not_allowed`); `email`: `to` is the sales team’s address; both alert once per lead when it becomes sales-ready (`on: "sql"`) or hot (`on: "hot"`). `hubspot`, `pipedrive`: `token` pushes every lead with an email to the CRM.',
      'The Slack URL and the tokens are stored encrypted and never shown again; they are needed to create the integration (201) and kept when omitted on a change (200). Needs `site:admin`.',
    ].join('\n\n'),
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: {
      params: KindParams,
      body: { ...json(IntegrationInputSchema), required: true },
    },
    responses: {
      200: { description: 'The integration, changed', ...json(IntegrationViewSchema) },
      201: { description: 'The integration, set up', ...json(IntegrationViewSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, kind } = c.req.valid('param')
    const input = c.req.valid('json')
    const config = c.get('config')
    const db = siteStore(c.env, siteKey)
    await requireSite(db, siteKey)
    if (input.kind !== kind)
      throw new HttpProblem({
        code: 'validation_failed',
        detail: 'The body’s kind must be the kind in the path.',
        errors: [{ path: 'kind', message: `must be ${kind}` }],
      })
    const existing = await findEndpoint(db, siteKey, kind, kind)
    const { settings, secret } = await planWrite(config, input, existing)
    await putEndpoint(db, {
      siteKey,
      kind,
      endpointId: kind,
      url: null,
      events: INTEGRATION_EVENTS[kind],
      enabled: input.enabled,
      settings,
      ...(secret ? { secret } : {}),
      now: nowIso(),
    })
    const row = await requireIntegration(db, siteKey, kind)
    return c.json(toIntegration(row), existing ? 200 : 201)
  },
)

adminIntegrations.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/admin/sites/{siteKey}/integrations/{kind}',
    summary: 'Remove an integration',
    description:
      'Removes the integration with its credential and delivery log, and forgets which CRM records its leads were pushed to: set up again, it starts over (a CRM finds its people again by email). Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: KindParams },
    responses: {
      200: {
        description: 'Removed',
        ...json(
          z
            .object({ kind: IntegrationKindSchema, deleted: z.literal(true) })
            .meta({ example: { kind: 'slack', deleted: true } }),
        ),
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, kind } = c.req.valid('param')
    const db = siteStore(c.env, siteKey)
    await requireIntegration(db, siteKey, kind)
    await deleteEndpoint(db, siteKey, kind, kind)
    await db
      .prepare('DELETE FROM crm_links WHERE site_key = ?1 AND kind = ?2')
      .bind(siteKey, kind)
      .run()
    return c.json({ kind, deleted: true as const }, 200)
  },
)

adminIntegrations.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/integrations/{kind}/deliveries',
    summary: 'An integration’s deliveries',
    description:
      'Newest first, each with every attempt. An event that does not alert (the lead did not become sales-ready, or was alerted already) or has nothing to push (no email) shows as `skipped` with the reason as its `error`. `status` filters; `before` (the `next` of a page) pages on. Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: KindParams, query: DeliveryListQuerySchema },
    responses: {
      200: { description: 'The deliveries', ...json(DeliveryListSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, kind } = c.req.valid('param')
    const row = await requireIntegration(siteStore(c.env, siteKey), siteKey, kind)
    return c.json(await listDeliveries(siteStore(c.env, siteKey), row, c.req.valid('query')), 200)
  },
)

adminIntegrations.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/integrations/{kind}/deliveries/{deliveryId}/retry',
    summary: 'Send an integration’s delivery again',
    description:
      'Puts the delivery back on the queue now, whatever its state: a failed or dead one after the token was fixed, say. A retried alert goes out only if no other delivery alerted for the same lead and trigger; a CRM push updates the same record. Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: DeliveryParams },
    responses: {
      202: {
        description: 'Queued',
        ...json(DeliveryRetriedSchema),
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, kind, deliveryId } = c.req.valid('param')
    const row = await requireIntegration(siteStore(c.env, siteKey), siteKey, kind)
    await retryByHand(c.env, row, deliveryId)
    return c.json({ deliveryId, status: 'pending' as const }, 202)
  },
)
