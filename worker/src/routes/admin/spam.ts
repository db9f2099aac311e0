import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import { SpamListQuerySchema, SpamListSchema } from '../../../../shared/spam'
import { listSpam } from '../../db/spam'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { authenticate, requireScope } from '../../middleware/auth'

export const adminSpam = createRouter()

adminSpam.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/spam',
    summary: 'Submissions held back as spam',
    description:
      'With the reason (`honeypot`, `too_fast`, `token_reused`, `turnstile`, `rate`, `disposable`), the form, the email domain and the names of the fields sent; never the values. Purged after 30 days. Newest first.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:read')] as const,
    request: { params: z.object({ siteKey: SITE_KEY }), query: SpamListQuerySchema },
    responses: {
      200: {
        description: 'A page of held submissions',
        content: { 'application/json': { schema: SpamListSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const query = c.req.valid('query')
    const rows = await listSpam(c.env.DB, siteKey, {
      reason: query.reason,
      beforeId: query.cursor ? Number(query.cursor) : undefined,
      limit: query.limit + 1,
    })
    const items = rows.slice(0, query.limit)
    const last = items[items.length - 1]
    return c.json(
      { items, nextCursor: rows.length > query.limit && last ? String(last.id) : null },
      200,
    )
  },
)
