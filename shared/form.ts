import { z } from 'zod'
import { FieldNameSchema } from './site'
import { HTTP_URL, multilineText, SLUG, text } from './common'
import { FORM_KINDS } from './vocabulary'
import {
  FORM_EXAMPLE,
  FORM_INPUT_EXAMPLE,
  FORM_START_EXAMPLE,
  SITE_CONFIG_EXAMPLE,
} from './examples/form'

export const FormKindSchema = z.enum(FORM_KINDS)
export type { FormKind } from './vocabulary'

export const FIELD_TYPES = [
  'email',
  'text',
  'tel',
  'textarea',
  'select',
  'checkbox',
  'url',
  'number',
] as const
export const FieldTypeSchema = z.enum(FIELD_TYPES)

export const FormFieldSchema = z
  .object({
    name: FieldNameSchema,
    type: FieldTypeSchema.default('text'),
    required: z.boolean().default(false),
    label: text(200).min(1),
    /** Choices of a `select` field. */
    options: z.array(text(200).min(1)).max(50).optional(),
    maxLength: z.number().int().min(1).max(5000).optional(),
  })
  .strict()
export type FormField = z.output<typeof FormFieldSchema>

export const CONSENT_PURPOSE = SLUG
export const ConsentInputSchema = z
  .object({
    purpose: CONSENT_PURPOSE,
    /** The exact text shown beside the checkbox; stored once per version with its SHA-256. */
    text: multilineText(4000).min(1),
    required: z.boolean().default(false),
  })
  .strict()

export const PopupSchema = z
  .object({
    trigger: z.enum(['exit_intent', 'scroll', 'delay', 'click']),
    /** Scroll depth in percent, delay in seconds, or a CSS selector for `click`. */
    value: z.union([z.number().min(0).max(3600), text(200)]).optional(),
    frequency: z.enum(['session', 'days', 'until_submit']).default('session'),
    days: z.number().int().min(1).max(365).optional(),
    /**
     * Used instead on a device without hover (`(hover: none)`: phones, tablets), where exit intent
     * never fires: `scroll_up` (back up after `value` % of depth), `scroll` (% depth) or `delay`
     * (seconds).
     */
    mobile: z
      .object({
        trigger: z.enum(['scroll_up', 'scroll', 'delay']),
        value: z.number().min(0).max(3600).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
export type Popup = z.output<typeof PopupSchema>

;('Ja, ich möchte per E-Mail Informationen der Acme Maschinenbau GmbH zu Produkten und Veranstaltungen erhalten. Die Einwilligung kann ich jederzeit widerrufen.')
;('eyJrIjoic3RhcnQiLCJzIjoiYWNtZSIsImYiOiJ3aGl0ZXBhcGVyLTIwMjYiLCJ0IjoxNzkzNjk3MjQyMDAwfQ.2azFvvE13ydKRQwbk_1teZAYVqWOfltAixwuUkZK_Rk')
/** `PUT /v1/admin/sites/{siteKey}/forms/{formId}` */
export const FormInputSchema = z
  .object({
    kind: FormKindSchema,
    title: text(200).min(1),
    description: multilineText(2000).optional(),
    fields: z
      .array(FormFieldSchema)
      .min(1)
      .max(30)
      .refine(
        (fields) => fields.some((field) => field.name === 'email'),
        'a form must ask for email',
      )
      .refine(
        (fields) => new Set(fields.map((field) => field.name)).size === fields.length,
        'field names must be unique',
      ),
    consents: z
      .array(ConsentInputSchema)
      .max(10)
      .default([])
      .refine(
        (consents) => new Set(consents.map((consent) => consent.purpose)).size === consents.length,
        'one consent per purpose',
      ),
    asset: z
      .object({ url: HTTP_URL, filename: text(200).min(1) })
      .strict()
      .optional(),
    popup: PopupSchema.optional(),
    submitLabel: text(100).optional(),
  })
  .strict()
  .meta({ example: FORM_INPUT_EXAMPLE })
export type FormInput = z.input<typeof FormInputSchema>

export const FormConsentSchema = z.object({
  purpose: z.string(),
  textId: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  text: z.string(),
  required: z.boolean(),
})
export type FormConsent = z.infer<typeof FormConsentSchema>

/** A form as the admin API answers it. */
export const FormSchema = z
  .object({
    formId: z.string(),
    kind: FormKindSchema,
    title: z.string(),
    description: z.string().nullable(),
    fields: z.array(FormFieldSchema),
    consents: z.array(FormConsentSchema),
    asset: z.object({ url: z.string(), filename: z.string() }).nullable(),
    popup: PopupSchema.nullable(),
    submitLabel: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ example: FORM_EXAMPLE })
export type Form = z.infer<typeof FormSchema>

/** `GET /v1/sites/{siteKey}/config`: what the widget needs; the asset URL stays gated. */
export const SiteConfigSchema = z
  .object({
    siteKey: z.string(),
    locale: z.enum(['de', 'en']),
    /** The Turnstile site key, where the site turned Turnstile on. */
    turnstile: z.string().optional(),
    forms: z.array(
      FormSchema.omit({ asset: true, updatedAt: true }).extend({ gated: z.boolean() }),
    ),
  })
  .meta({ example: SITE_CONFIG_EXAMPLE })
export type SiteConfig = z.infer<typeof SiteConfigSchema>
export type PublicForm = SiteConfig['forms'][number]

/** `GET /v1/sites/{siteKey}/forms/{formId}/start`: fetched when a form is shown, never cached. */
export const FormStartSchema = z
  .object({
    /**
     * A server-signed start time (docs/spam-and-abuse.md#minimum-fill-time), sent back as
     * `startToken`.
     */
    startToken: z.string(),
    /** With a `visitorId`: names of the fields already on that visitor's lead (progressive profiling). */
    known: z.array(z.string()),
  })
  .meta({ example: FORM_START_EXAMPLE })
export type FormStartAnswer = z.infer<typeof FormStartSchema>
