import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../shared/common'
import { SiteConfigSchema } from '../../../shared/form'
import { listForms } from '../db/forms'
import { createRouter, PROBLEM_RESPONSES } from '../lib/router'
import { requireSiteForOrigin } from '../middleware/cors'

export const config = createRouter()

config.openapi(
  createRoute({
    method: 'get',
    path: '/v1/sites/{siteKey}/config',
    summary: "The site's forms, fields, consent texts and locale, for the widget",
    request: { params: z.object({ siteKey: SITE_KEY }) },
    responses: {
      200: { description: 'The configuration', content: { 'application/json': { schema: SiteConfigSchema } } },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const site = await requireSiteForOrigin(c, c.req.valid('param').siteKey)
    const forms = await listForms(c.env.DB, site.siteKey)
    c.header('cache-control', 'public, max-age=60')
    return c.json(
      {
        siteKey: site.siteKey,
        locale: site.locale,
        // The asset URL stays on the server: it is handed out only after a submission.
        forms: forms.map(({ asset, updatedAt: _updatedAt, ...form }) => ({
          ...form,
          gated: asset !== null,
        })),
      },
      200,
    )
  },
)
