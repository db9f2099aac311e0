import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY, SLUG } from '../../../../shared/common'
import { FormInputSchema, FormSchema } from '../../../../shared/form'
import { ensureConsentText, findForm, upsertForm } from '../../db/forms'
import { findSite } from '../../db/sites'
import { randomToken, sha256Hex } from '../../lib/crypto'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { authenticate, requireScope } from '../../middleware/auth'

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

export const adminForms = createRouter()

adminForms.openapi(
  createRoute({
    method: 'put',
    path: '/v1/admin/sites/{siteKey}/forms/{formId}',
    summary: 'Create or update a form',
    description:
      'Consent texts are stored once per exact wording with their SHA-256; changing a text makes a new version.',
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
    if (!(await findSite(c.env.DB, siteKey))) {
      throw new HttpProblem({ code: 'site_not_found', detail: `There is no site "${siteKey}".` })
    }
    const existed = (await findForm(c.env.DB, siteKey, formId)) !== null
    const now = nowIso()
    const consents = []
    for (const consent of input.consents) {
      const textId = await ensureConsentText(c.env.DB, {
        id: `ct_${randomToken(12)}`,
        siteKey,
        purpose: consent.purpose,
        text: consent.text,
        sha256: await sha256Hex(consent.text),
        now,
      })
      consents.push({ purpose: consent.purpose, textId, required: consent.required })
    }
    await upsertForm(c.env.DB, {
      siteKey,
      formId,
      kind: input.kind,
      title: input.title,
      description: input.description ?? null,
      fields: input.fields,
      consents,
      asset: input.asset ?? null,
      popup: input.popup ?? null,
      submitLabel: input.submitLabel ?? null,
      now,
    })
    const form = await findForm(c.env.DB, siteKey, formId)
    if (!form) throw new Error('form vanished after write')
    return c.json(form, existed ? 200 : 201)
  },
)
