import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import { pickFormLocale, textIn } from '../../../../shared/form'
import {
  AllowedOriginsSchema,
  AllowOriginInputSchema,
  InstallSchema,
  MAX_ALLOWED_ORIGINS,
} from '../../../../shared/install'
import { listForms } from '../../db/forms'
import {
  allowOrigin,
  listOriginActivity,
  listRecentEvents,
  listRefusedOrigins,
} from '../../db/origin-activity'
import { mirrorSite, siteStore } from '../../db/store'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'
import { forgetSite, requireSite } from '../../services/lookups'

const SiteParams = z.object({ siteKey: SITE_KEY })
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

/** The installation check (docs/app.md#install): what to embed, and whether it arrives. */
export const adminInstall = createRouter()

adminInstall.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/install',
    summary: 'The embed snippet and the installation check',
    description:
      "The script tag and each form's placeholder to paste (widget/README.md#embedding); per allowed origin its first page view and last event; the origins the site does not allow that asked anyway (the usual setup mistake, widget/README.md#setup-mistakes), with their count and last time; and the site's 20 newest touchpoints with their type, path, origin, form and time, never who sent them.",
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: SiteParams },
    responses: {
      200: { description: 'The installation and its check', ...json(InstallSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const site = await requireSite(c.env.DB, c.req.valid('param').siteKey)
    const db = siteStore(c.env, site.siteKey)
    const collectorUrl = new URL(c.req.url).origin
    const [forms, origins, refused, lastEvents] = await Promise.all([
      listForms(db, site),
      listOriginActivity(db, site.siteKey, site.allowedOrigins),
      listRefusedOrigins(c.env.DB, site.siteKey),
      listRecentEvents(db, site.siteKey, 20),
    ])
    return c.json(
      {
        collectorUrl,
        // Site keys and form ids are slugs (shared/common.ts), so they need no escaping here.
        snippet: `<script async src="${collectorUrl}/w.js" data-site="${site.siteKey}"></script>`,
        forms: forms.map((form) => ({
          formId: form.formId,
          title: textIn(form.title, pickFormLocale(form.locales, undefined, site.locale)),
          placeholder: `<div data-lodestone-form="${form.formId}"></div>`,
        })),
        origins,
        // An origin allowed since its refusal by a full PUT of the site is no mistake any more.
        refused: refused.filter((entry) => !site.allowedOrigins.includes(entry.origin)),
        lastEvents,
      },
      200,
    )
  },
)

adminInstall.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/origins',
    summary: 'Allow one more origin',
    description: `Adds the origin to the site's \`allowedOrigins\` (at most ${MAX_ALLOWED_ORIGINS}) in one transaction, so two at once both land and nothing else of the site changes; allowing an origin already allowed changes nothing. Its record of refusals goes. Answers the site's allowed origins.`,
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: SiteParams, body: { ...json(AllowOriginInputSchema), required: true } },
    responses: {
      200: { description: "The site's allowed origins", ...json(AllowedOriginsSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const { origin } = c.req.valid('json')
    // The public requests of this isolate read the site's origins anew from the next one on.
    const allowedOrigins = await allowOrigin(
      c.env.DB,
      siteKey,
      origin,
      MAX_ALLOWED_ORIGINS,
      nowIso(),
    ).finally(() => forgetSite(siteKey))
    await mirrorSite(c.env, siteKey)
    if (!allowedOrigins)
      throw new HttpProblem({ code: 'site_not_found', detail: `There is no site "${siteKey}".` })
    if (!allowedOrigins.includes(origin))
      throw new HttpProblem({
        code: 'validation_failed',
        detail: `The site allows ${MAX_ALLOWED_ORIGINS} origins already; remove one first (PUT /v1/admin/sites/${siteKey}).`,
        errors: [{ path: 'origin', message: `at most ${MAX_ALLOWED_ORIGINS} origins a site` }],
      })
    return c.json({ allowedOrigins }, 200)
  },
)
