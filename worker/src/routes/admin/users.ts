import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import {
  SiteUserListSchema,
  USER_EMAIL,
  UserRoleInputSchema,
  UserRemovedSchema,
  UserRoleResultSchema,
} from '../../../../shared/users'
import { deleteSiteRole, findUserByEmail, listSiteUsers } from '../../db/users'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'
import { requireSite } from '../../services/lookups'
import { inviteUser } from '../../services/sign-in'

/** The people of a site and their roles (docs/app-sign-in.md#users); `site:admin` manages them. */
export const adminUsers = createRouter()

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })
const UserParams = z.object({
  siteKey: SITE_KEY,
  email: USER_EMAIL.meta({ example: 'ana@example.com' }),
})

adminUsers.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/users',
    summary: 'List the site’s users',
    description: 'The people who may sign in to this site, with their role. Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: z.object({ siteKey: SITE_KEY }) },
    responses: {
      200: { description: 'The users', ...json(SiteUserListSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    await requireSite(c.env.DB, siteKey)
    return c.json({ users: await listSiteUsers(c.env.DB, siteKey) }, 200)
  },
)

adminUsers.openapi(
  createRoute({
    method: 'put',
    path: '/v1/admin/sites/{siteKey}/users/{email}',
    summary: 'Invite a user or change their role',
    description: [
      'Gives the person the role on this site: `admin` (everything, `site:admin`), `marketer` (reports, leads, campaigns and spend), `sales` (reports, leads, stage changes) or `viewer` (reads only).',
      'A person new to the site is mailed an invitation (in `lang`, else the site’s language) with a link that signs them in once within 7 days; later they ask for a sign-in link. A role change takes effect on their next request. Needs `site:admin`.',
    ].join('\n\n'),
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: UserParams, body: { ...json(UserRoleInputSchema), required: true } },
    responses: {
      200: { description: 'The role changed', ...json(UserRoleResultSchema) },
      201: { description: 'Invited', ...json(UserRoleResultSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, email } = c.req.valid('param')
    const input = c.req.valid('json')
    const { invited } = await inviteUser(c, siteKey, email, input)
    const user = (await listSiteUsers(c.env.DB, siteKey)).find((entry) => entry.email === email)!
    return c.json({ ...user, invited }, invited ? 201 : 200)
  },
)

adminUsers.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/admin/sites/{siteKey}/users/{email}',
    summary: 'Remove a user from the site',
    description:
      'The person loses their role on this site at once; when it was their last site, their sessions end too. Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: UserParams },
    responses: {
      200: { description: 'Removed', ...json(UserRemovedSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, email } = c.req.valid('param')
    await requireSite(c.env.DB, siteKey)
    const user = await findUserByEmail(c.env.DB, email)
    if (!user || !(await deleteSiteRole(c.env.DB, user.id, siteKey, nowIso())))
      throw new HttpProblem({ code: 'user_not_found', detail: 'The site has no such user.' })
    return c.json({ email, removedAt: nowIso() }, 200)
  },
)
