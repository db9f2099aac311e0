import { createRoute, z } from '@hono/zod-openapi'
import { LOCALE, SITE_KEY, SLUG, type Locale } from '../../../../shared/common'
import {
  formLocales,
  FormDetailSchema,
  FormInputSchema,
  FormListSchema,
  FormPreviewSchema,
  FormSchema,
  pickFormLocale,
  textIn,
  type ConsentVersion,
  type Form,
  type FormConsent,
} from '../../../../shared/form'
import { WIDGET_TEXTS } from '../../../../shared/widget-texts'
import {
  consentHistory,
  ensureConsentText,
  findConsentText,
  findForm,
  listForms,
  upsertForm,
  type FormConsentRef,
} from '../../db/forms'
import { siteStore } from '../../db/store'
import { toPublicForm } from '../../domain/public-form'
import { randomToken, sha256Hex } from '../../lib/crypto'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'
import { forgetSite, requireForm, requireSite } from '../../services/lookups'

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

export const adminForms = createRouter()

const FORM_PARAMS = z.object({
  siteKey: SITE_KEY,
  formId: SLUG.meta({ example: 'whitepaper-2026' }),
})

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
      params: FORM_PARAMS,
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
    const existed = (await findForm(siteStore(c.env, siteKey), site, formId)) !== null
    const now = nowIso()
    const locales = formLocales(input, site.locale)
    const first = locales[0] ?? site.locale
    const store = async (purpose: string, text: string) =>
      ensureConsentText(siteStore(c.env, siteKey), {
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
    // The widget's next config and submission in this isolate read the form anew.
    await upsertForm(siteStore(c.env, siteKey), {
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
    }).finally(() => forgetSite(siteKey))
    const form = await findForm(siteStore(c.env, siteKey), site, formId)
    if (!form) throw new Error('form vanished after write')
    return c.json(form, existed ? 200 : 201)
  },
)

adminForms.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/forms',
    summary: "The site's forms",
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: z.object({ siteKey: SITE_KEY }) },
    responses: {
      200: { description: 'The forms, by id', ...json(FormListSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const site = await requireSite(c.env.DB, c.req.valid('param').siteKey)
    return c.json({ forms: await listForms(siteStore(c.env, site.siteKey), site) }, 200)
  },
)

adminForms.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/forms/{formId}',
    summary: 'A form, with every wording of its consents',
    description:
      'Besides the form as saved, `consentHistory` lists each stored wording of its consent purposes (versions count per site and purpose) and how many leads of this form were shown it.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: FORM_PARAMS },
    responses: {
      200: { description: 'The form', ...json(FormDetailSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, formId } = c.req.valid('param')
    const site = await requireSite(c.env.DB, siteKey)
    const form = await requireForm(siteStore(c.env, siteKey), site, formId, { fresh: true })
    const purposes = form.consents.map((consent) => consent.purpose)
    return c.json(
      {
        ...form,
        consentHistory: await consentHistory(siteStore(c.env, siteKey), siteKey, formId, purposes),
      },
      200,
    )
  },
)

adminForms.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/forms/{formId}/preview',
    summary: 'A form not saved yet, as the widget would show it',
    description:
      "Checks the body as `PUT` would and answers the form in one language (`locale`, else the site's) as the widget's config has it, with the widget's texts and the site's theme. Nothing is stored; a consent wording not stored yet has `textId` `preview` and `version` 0.",
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: {
      params: FORM_PARAMS,
      query: z.object({ locale: LOCALE.optional() }),
      body: { ...json(FormInputSchema), required: true },
    },
    responses: {
      200: { description: 'The preview', ...json(FormPreviewSchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey, formId } = c.req.valid('param')
    const input = c.req.valid('json')
    const site = await requireSite(c.env.DB, siteKey)
    const locales = formLocales(input, site.locale)
    const first = locales[0] ?? site.locale
    const version = async (purpose: string, text: string): Promise<ConsentVersion> => {
      const sha256 = await sha256Hex(text)
      return (
        (await findConsentText(siteStore(c.env, siteKey), siteKey, purpose, sha256)) ?? {
          textId: 'preview',
          version: 0,
          sha256,
          text,
        }
      )
    }
    const consents: FormConsent[] = []
    for (const consent of input.consents) {
      const texts: FormConsent['texts'] = {}
      if (typeof consent.text !== 'string')
        for (const locale of locales)
          texts[locale] = await version(consent.purpose, textIn(consent.text, locale))
      consents.push({
        purpose: consent.purpose,
        required: consent.required,
        ...(texts[first] ?? (await version(consent.purpose, textIn(consent.text, first)))),
        ...(typeof consent.text === 'string' ? {} : { texts }),
      })
    }
    const draft: Form = {
      formId,
      kind: input.kind,
      locales,
      title: input.title,
      description: input.description ?? null,
      fields: input.fields,
      consents,
      asset: input.asset ?? null,
      popup: input.popup ?? null,
      submitLabel: input.submitLabel ?? null,
      thanks: input.thanks ?? null,
      updatedAt: nowIso(),
    }
    const form = toPublicForm(
      draft,
      pickFormLocale(locales, c.req.valid('query').locale, site.locale),
    )
    return c.json(
      {
        form,
        texts: WIDGET_TEXTS[form.locale],
        ...(Object.keys(site.theme).length ? { theme: site.theme } : {}),
      },
      200,
    )
  },
)
