import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY, SLUG } from '../../../../shared/common'
import type { Locale } from '../../../../shared/common'
import { formLocales, FormInputSchema, FormSchema, textIn } from '../../../../shared/form'
import { ensureConsentText, findForm, upsertForm, type FormConsentRef } from '../../db/forms'
import { randomToken, sha256Hex } from '../../lib/crypto'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'
import { requireSite } from '../../services/lookups'

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

export const adminForms = createRouter()

adminForms.openapi(
  createRoute({
    method: 'put',
    path: '/v1/admin/sites/{siteKey}/forms/{formId}',
    summary: 'Create or update a form',
    description:
      'Texts are one string or one per language (`{de, en}`; every text of a form names the same languages). Consent texts are stored once per exact wording with their SHA-256, each language as its own version; changing a text makes a new version.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: {
      params: z.object({ siteKey: SITE_KEY, formId: SLUG.meta({ example: 'whitepaper-2026' }) }),
      body: { ...json(FormInputSchema), required: true },
    },
    responses: {
      200: { description: 'Updated', ...json(FormSchema) },
      201: { description: 'Created', ...json(FormSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, formId } = c.req.valid('param')
    const input = c.req.valid('json')
    const site = await requireSite(c.env.DB, siteKey)
    const existed = (await findForm(c.env.DB, site, formId)) !== null
    const now = nowIso()
    const locales = formLocales(input, site.locale)
    const first = locales[0] ?? site.locale
    const store = async (purpose: string, text: string) =>
      ensureConsentText(c.env.DB, {
        id: `ct_${randomToken(12)}`,
        siteKey,
        purpose,
        text,
        sha256: await sha256Hex(text),
        now,
      })
    const consents: FormConsentRef[] = []
    for (const consent of input.consents) {
      // Each language's wording is a version of its own, hashed as shown.
      const texts: Partial<Record<Locale, string>> = {}
      if (typeof consent.text !== 'string')
        for (const locale of locales)
          texts[locale] = await store(consent.purpose, textIn(consent.text, locale))
      consents.push({
        purpose: consent.purpose,
        textId: texts[first] ?? (await store(consent.purpose, textIn(consent.text, first))),
        required: consent.required,
        ...(typeof consent.text === 'string' ? {} : { texts }),
      })
    }
    await upsertForm(c.env.DB, {
      siteKey,
      formId,
      kind: input.kind,
      locale: first,
      texts: {
        title: input.title,
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.submitLabel === undefined ? {} : { submitLabel: input.submitLabel }),
        ...(input.thanks === undefined ? {} : { thanks: input.thanks }),
      },
      fields: input.fields,
      consents,
      asset: input.asset ?? null,
      popup: input.popup ?? null,
      now,
    })
    const form = await findForm(c.env.DB, site, formId)
    if (!form) throw new Error('form vanished after write')
    return c.json(form, existed ? 200 : 201)
  },
)
