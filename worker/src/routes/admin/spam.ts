import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import {
  SpamDeletedSchema,
  SpamListQuerySchema,
  SpamListSchema,
  SpamReleasedSchema,
} from '../../../../shared/spam'
import { deleteSpam, listSpam } from '../../db/spam'
import { siteStore } from '../../db/store'
import { HttpProblem } from '../../lib/problem'
import { readRequestFacts } from '../../lib/request-facts'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { authenticate, requireScope } from '../../middleware/auth'
import { releaseSpam } from '../../services/release-spam'

export const adminSpam = createRouter()

adminSpam.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/spam',
    summary: 'Submissions held back as spam',
    description:
      'With the reason (`honeypot`, `too_fast`, `token_reused`, `turnstile`, `rate`, `disposable`), the form, the email domain, the names of the fields sent and their values (texts cut to 500 characters), and whether the copy can be released into a lead (`releasable`; copies held before the spam folder kept whole submissions cannot). Purged after 30 days. Newest first.',
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
    const rows = await listSpam(siteStore(c.env, siteKey), siteKey, {
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

const SpamParams = z.object({
  siteKey: SITE_KEY,
  id: z
    .string()
    .regex(/^\d{1,15}$/)
    .meta({ example: '1042' }),
})

adminSpam.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/spam/{id}/release',
    summary: 'Release a held submission: not spam',
    description:
      "Makes the held submission a lead through the normal capture (completeness, merge by email, qualification, the visitor's touchpoints by visitor id) without the spam checks, with its consent ledger entries as given (the texts shown then, the time received, the network and user agent), and deletes the held copy in the same write. 409 `spam_not_releasable` for copies that kept only their field names or whose form is gone. A second release of the same copy answers 404, or 200 with the same lead.",
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:write')] as const,
    request: { params: SpamParams },
    responses: {
      200: {
        description: 'Released already (the same lead)',
        content: { 'application/json': { schema: SpamReleasedSchema } },
      },
      201: {
        description: 'Released into a lead',
        content: { 'application/json': { schema: SpamReleasedSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, id } = c.req.valid('param')
    const { status, result } = await releaseSpam(
      {
        db: siteStore(c.env, siteKey),
        config: c.get('config'),
        rateLimit: async () => {},
        outbound: c.env.OUTBOUND,
      },
      readRequestFacts(c),
      siteKey,
      Number(id),
    )
    return c.json(result, status)
  },
)

adminSpam.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/admin/sites/{siteKey}/spam/{id}',
    summary: 'Delete a held submission',
    description: 'Deletes the held copy at once, before the 30 days are over.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:write')] as const,
    request: { params: SpamParams },
    responses: {
      200: {
        description: 'Deleted',
        content: { 'application/json': { schema: SpamDeletedSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, id } = c.req.valid('param')
    if (!(await deleteSpam(siteStore(c.env, siteKey), siteKey, Number(id))))
      throw new HttpProblem({
        code: 'spam_not_found',
        detail:
          'There is no held submission of this id (released, deleted or purged after 30 days).',
      })
    return c.json({ id: Number(id), deleted: true as const }, 200)
  },
)
