import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY, SLUG, UUID } from '../../../shared/common'
import { FormStartSchema, pickFormLocale, SiteConfigSchema } from '../../../shared/form'
import { WIDGET_TEXTS } from '../../../shared/widget-texts'
import { siteStore } from '../db/store'
import { toPublicForm } from '../domain/public-form'
import { primaryLocale } from '../lib/locale'
import { findLeadByVisitor, toLeadRecord } from '../db/leads'
import { issueStartToken } from '../domain/start-token'
import { createRouter, PROBLEM_RESPONSES } from '../lib/router'
import { requireSiteForOrigin } from '../middleware/cors'
import { lookUpForms, requireForm } from '../services/lookups'

export const config = createRouter()

config.openapi(
  createRoute({
    method: 'get',
    path: '/v1/sites/{siteKey}/config',
    summary: "The site's forms, fields, consent texts and locale, for the widget",
    description:
      "Each form in one language (docs/wire-contract.md#texts-per-language): `locale`, the page's language (`<html lang>` as written, such as `de-AT`), where the form has it, else the site's.",
    request: {
      params: z.object({ siteKey: SITE_KEY }),
      query: z.object({
        // Any language tag is taken (one we do not speak means the site's), and other keys are
        // ignored: a page's odd `lang` must never cost it its form.
        locale: z.string().max(100).optional().meta({ example: 'de-AT' }),
      }),
    },
    responses: {
      200: {
        description: 'The configuration',
        content: { 'application/json': { schema: SiteConfigSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const site = await requireSiteForOrigin(c, c.req.valid('param').siteKey)
    const wanted = primaryLocale(c.req.valid('query').locale)
    const shown = (await lookUpForms(siteStore(c.env, site.siteKey), site)).map((form) =>
      toPublicForm(form, pickFormLocale(form.locales, wanted, site.locale)),
    )
    c.header('cache-control', 'public, max-age=60')
    return c.json(
      {
        siteKey: site.siteKey,
        locale: site.locale,
        ...(site.turnstile && c.get('config').TURNSTILE_SITE_KEY
          ? { turnstile: c.get('config').TURNSTILE_SITE_KEY }
          : {}),
        ...(Object.keys(site.theme).length ? { theme: site.theme } : {}),
        forms: shown,
        texts: Object.fromEntries(shown.map(({ locale }) => [locale, WIDGET_TEXTS[locale]])),
      },
      200,
    )
  },
)

config.openapi(
  createRoute({
    method: 'get',
    path: '/v1/sites/{siteKey}/forms/{formId}/start',
    summary: 'Start filling a form',
    description:
      'Fetched each time a form is shown: a server-signed start time for the minimum fill time (one token serves one submission: another submission with it is held as spam), and, with the `visitorId` of a visitor who consented to tracking, the names (never the values) of the fields its lead already gave, so the form asks only for the rest.',
    request: {
      params: z.object({ siteKey: SITE_KEY, formId: SLUG.meta({ example: 'whitepaper-2026' }) }),
      query: z
        .object({
          visitorId: UUID.optional().meta({ example: '64b42d45-e9b8-446e-9b69-83523fe24127' }),
        })
        .strict(),
    },
    responses: {
      200: {
        description: 'The start',
        content: { 'application/json': { schema: FormStartSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, formId } = c.req.valid('param')
    const { visitorId } = c.req.valid('query')
    const site = await requireSiteForOrigin(c, siteKey)
    const form = await requireForm(siteStore(c.env, site.siteKey), site, formId)
    const lead = visitorId
      ? await findLeadByVisitor(siteStore(c.env, site.siteKey), site.siteKey, visitorId)
      : null
    const record = lead ? toLeadRecord(lead) : {}
    c.header('cache-control', 'no-store')
    return c.json(
      {
        startToken: await issueStartToken(
          c.get('config').LODESTONE_SECRET,
          site.siteKey,
          formId,
          Date.now(),
        ),
        known: form.fields
          .map((field) => field.name)
          .filter((name) => record[name] !== undefined && record[name] !== ''),
      },
      200,
    )
  },
)
