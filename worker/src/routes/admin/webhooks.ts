import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import {
  DeliveryIdSchema,
  DeliveryListQuerySchema,
  DeliveryListSchema,
  DeliveryRetriedSchema,
  WebhookIdSchema,
  WebhookInputSchema,
  WebhookListSchema,
  WebhookWithSecretSchema,
} from '../../../../shared/outbound'
import {
  deleteEndpoint,
  findEndpoint,
  listDeliveries,
  listEndpoints,
  putEndpoint,
  rotateEndpointSecret,
  toWebhook,
} from '../../db/endpoints'
import type { EndpointRow } from '../../db/outbound'
import { siteStore } from '../../db/store'
import { checkTargetUrl } from '../../domain/target-url'
import type { Config } from '../../env'
import { newWebhookSecret, sealSecret } from '../../lib/crypto'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'
import { requireSite } from '../../services/lookups'
import { retryByHand } from '../../services/outbound/queue'

const MAX_WEBHOOKS = 20
/** After a rotation the previous secret signs too for this long (docs/outbound.md#signature). */
const ROTATION_OVERLAP_MS = 24 * 3600 * 1000

const SiteParams = z.object({ siteKey: SITE_KEY })
const WebhookParams = SiteParams.extend({ webhookId: WebhookIdSchema })
const DeliveryParams = WebhookParams.extend({ deliveryId: DeliveryIdSchema })
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

/** An outbound URL Lodestone may call, or a 422 that says why not (docs/outbound.md#targets). */
export function requireTarget(config: Config, url: string, path = 'url'): void {
  const checked = checkTargetUrl(url, config.WEBHOOK_ALLOW_PRIVATE === 'on')
  if (!checked.ok)
    throw new HttpProblem({
      code: 'target_not_allowed',
      detail: `The URL ${checked.reason}: Lodestone only calls public https addresses.`,
      errors: [{ path, message: checked.reason }],
    })
}

async function requireWebhook(
  db: D1Database,
  siteKey: string,
  webhookId: string,
): Promise<EndpointRow> {
  await requireSite(db, siteKey)
  const row = await findEndpoint(db, siteKey, 'webhook', webhookId)
  if (!row)
    throw new HttpProblem({
      code: 'webhook_not_found',
      detail: 'The site has no webhook of this id.',
    })
  return row
}

export const adminWebhooks = createRouter()

adminWebhooks.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/webhooks',
    summary: 'The site’s webhooks',
    description:
      'Every webhook with its events and state; secrets are never shown again. Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: SiteParams },
    responses: {
      200: { description: 'The webhooks', ...json(WebhookListSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    await requireSite(c.env.DB, siteKey)
    const rows = await listEndpoints(siteStore(c.env, siteKey), siteKey, 'webhook')
    return c.json({ webhooks: rows.map(toWebhook) }, 200)
  },
)

adminWebhooks.openapi(
  createRoute({
    method: 'put',
    path: '/v1/admin/sites/{siteKey}/webhooks/{webhookId}',
    summary: 'Create or change a webhook',
    description: [
      'Sends the chosen events to `url`, signed as Standard Webhooks (docs/outbound.md). Creating it (201) answers its signing `secret` (`whsec_…`) this once; a change (200) keeps the secret. The URL must be `https` on a public address (`422 target_not_allowed`). Setting `enabled` again after Lodestone switched it off clears `disabledReason`. At most 20 webhooks a site. Needs `site:admin`.',
    ].join('\n\n'),
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: {
      params: WebhookParams,
      body: { ...json(WebhookInputSchema), required: true },
    },
    responses: {
      200: { description: 'The webhook, changed', ...json(WebhookWithSecretSchema) },
      201: {
        description: 'The webhook, created, with its secret',
        ...json(WebhookWithSecretSchema),
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, webhookId } = c.req.valid('param')
    const input = c.req.valid('json')
    const config = c.get('config')
    const db = siteStore(c.env, siteKey)
    await requireSite(db, siteKey)
    requireTarget(config, input.url)
    const existing = await findEndpoint(db, siteKey, 'webhook', webhookId)
    if (!existing && (await listEndpoints(db, siteKey, 'webhook')).length >= MAX_WEBHOOKS)
      throw new HttpProblem({
        code: 'validation_failed',
        detail: `A site has at most ${MAX_WEBHOOKS} webhooks.`,
        errors: [{ path: 'webhookId', message: `at most ${MAX_WEBHOOKS} webhooks a site` }],
      })
    const secret = existing ? undefined : newWebhookSecret()
    await putEndpoint(db, {
      siteKey,
      kind: 'webhook',
      endpointId: webhookId,
      url: input.url,
      events: input.events,
      enabled: input.enabled,
      settings: {},
      ...(secret ? { secret: await sealSecret(config.LODESTONE_SECRET, secret) } : {}),
      now: nowIso(),
    })
    const row = await requireWebhook(db, siteKey, webhookId)
    return existing
      ? c.json(toWebhook(row), 200)
      : c.json({ ...toWebhook(row), secret: secret! }, 201)
  },
)

adminWebhooks.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/admin/sites/{siteKey}/webhooks/{webhookId}',
    summary: 'Delete a webhook',
    description:
      'Deletes the webhook with its delivery log; pending deliveries are dropped. Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: WebhookParams },
    responses: {
      200: {
        description: 'Deleted',
        ...json(
          z
            .object({ webhookId: z.string(), deleted: z.literal(true) })
            .meta({ example: { webhookId: 'crm-sync', deleted: true } }),
        ),
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, webhookId } = c.req.valid('param')
    await requireWebhook(siteStore(c.env, siteKey), siteKey, webhookId)
    await deleteEndpoint(siteStore(c.env, siteKey), siteKey, 'webhook', webhookId)
    return c.json({ webhookId, deleted: true as const }, 200)
  },
)

adminWebhooks.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/webhooks/{webhookId}/secret',
    summary: 'Rotate a webhook’s secret',
    description:
      'Answers a new `secret`, once. For 24 hours every delivery carries two signatures, by the new and the previous secret, so the receiver can switch without losing one (docs/outbound.md#signature). Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: WebhookParams },
    responses: {
      200: { description: 'The webhook with its new secret', ...json(WebhookWithSecretSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, webhookId } = c.req.valid('param')
    const db = siteStore(c.env, siteKey)
    const row = await requireWebhook(db, siteKey, webhookId)
    const secret = newWebhookSecret()
    const now = Date.now()
    await rotateEndpointSecret(
      db,
      row,
      await sealSecret(c.get('config').LODESTONE_SECRET, secret),
      new Date(now + ROTATION_OVERLAP_MS).toISOString(),
      new Date(now).toISOString(),
    )
    return c.json({ ...toWebhook(await requireWebhook(db, siteKey, webhookId)), secret }, 200)
  },
)

adminWebhooks.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/webhooks/{webhookId}/deliveries',
    summary: 'A webhook’s deliveries',
    description:
      'Newest first, each with every attempt: its time, duration, status code and error (docs/outbound.md#retries). `status` filters; `before` (the `next` of a page) pages on. Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: WebhookParams, query: DeliveryListQuerySchema },
    responses: {
      200: { description: 'The deliveries', ...json(DeliveryListSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, webhookId } = c.req.valid('param')
    const row = await requireWebhook(siteStore(c.env, siteKey), siteKey, webhookId)
    return c.json(await listDeliveries(siteStore(c.env, siteKey), row, c.req.valid('query')), 200)
  },
)

adminWebhooks.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/webhooks/{webhookId}/deliveries/{deliveryId}/retry',
    summary: 'Send a delivery again',
    description:
      'Puts the delivery back on the queue now, whatever its state: a dead or failed one after the receiver was fixed, a succeeded one to send it again (same `webhook-id`, so a receiver that keeps ids drops it). Needs `site:admin`.',
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
    const { siteKey, webhookId, deliveryId } = c.req.valid('param')
    const row = await requireWebhook(siteStore(c.env, siteKey), siteKey, webhookId)
    await retryByHand(c.env, row, deliveryId)
    return c.json({ deliveryId, status: 'pending' as const }, 202)
  },
)
