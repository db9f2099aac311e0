import { z } from 'zod'
import { FieldNameSchema, ThemeSchema } from './site'
import {
  HTTP_URL,
  LOCALE,
  LOCALES,
  localized,
  multilineText,
  SLUG,
  text,
  type Locale,
  type Localized,
} from './common'
import { FIELD_TYPES, FORM_KINDS } from './vocabulary'
import { WIDGET_TEXTS, type WidgetTexts } from './widget-texts'
import {
  FORM_DETAIL_EXAMPLE,
  FORM_EXAMPLE,
  FORM_INPUT_EXAMPLE,
  FORM_LIST_EXAMPLE,
  FORM_PREVIEW_EXAMPLE,
  FORM_START_EXAMPLE,
  SITE_CONFIG_EXAMPLE,
} from './examples/form'

export const FormKindSchema = z.enum(FORM_KINDS)
export type { FormKind } from './vocabulary'

export { FIELD_TYPES }
export const FieldTypeSchema = z.enum(FIELD_TYPES)

const SelectOptionSchema = z
  .object({ value: text(200).min(1), label: localized(text(200).min(1)) })
  .strict()

export const FormFieldSchema = z
  .object({
    name: FieldNameSchema,
    type: FieldTypeSchema.default('text'),
    required: z.boolean().default(false),
    label: localized(text(200).min(1)),
    /** A line shown below the label. */
    help: localized(text(500).min(1)).optional(),
    placeholder: localized(text(200).min(1)).optional(),
    /**
     * Choices of a `select` field: a string is value and label at once; `{value, label}` keeps
     * one value whatever the language its label is shown in.
     */
    options: z
      .array(z.union([text(200).min(1), SelectOptionSchema]))
      .max(50)
      .optional(),
    maxLength: z.number().int().min(1).max(5000).optional(),
  })
  .strict()
export type FormField = z.output<typeof FormFieldSchema>

export const CONSENT_PURPOSE = SLUG
export const ConsentInputSchema = z
  .object({
    purpose: CONSENT_PURPOSE,
    /**
     * The exact text shown beside the checkbox; each wording (each language's too) is stored once
     * as a version with its SHA-256.
     */
    text: localized(multilineText(4000).min(1)),
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

/** `PUT /v1/admin/sites/{siteKey}/forms/{formId}` */
export const FormInputSchema = z
  .object({
    kind: FormKindSchema,
    title: localized(text(200).min(1)),
    description: localized(multilineText(2000)).optional(),
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
    submitLabel: localized(text(100).min(1)).optional(),
    /** The heading shown once the form is sent (default: the widget's "Thank you!"). */
    thanks: localized(text(300).min(1)).optional(),
  })
  .strict()
  .superRefine((form, ctx) => {
    const named = formTexts(form).filter((entry) => typeof entry.text !== 'string')
    const first = named[0] && textLocales(named[0].text)
    for (const { path, text } of named)
      if (textLocales(text).join() !== first!.join())
        ctx.addIssue({
          code: 'custom',
          path,
          message: `every text of a form names the same languages (${first!.join(', ')})`,
        })
  })
  .meta({ example: FORM_INPUT_EXAMPLE })
export type FormInput = z.input<typeof FormInputSchema>

/** The languages a text names, in the order of `LOCALES`; a plain string names none. */
export const textLocales = (text: Localized): Locale[] =>
  typeof text === 'string' ? [] : LOCALES.filter((locale) => text[locale] !== undefined)

type FormTexts = Pick<
  z.output<typeof FormInputSchema>,
  'title' | 'description' | 'fields' | 'consents' | 'submitLabel' | 'thanks'
>

/** Every text of a form with its path, for the one-set-of-languages rule. */
function formTexts(form: FormTexts): { path: (string | number)[]; text: Localized }[] {
  const found: { path: (string | number)[]; text: Localized | undefined }[] = [
    { path: ['title'], text: form.title },
    { path: ['description'], text: form.description },
    { path: ['submitLabel'], text: form.submitLabel },
    { path: ['thanks'], text: form.thanks },
    ...form.fields.flatMap((field, index) => [
      { path: ['fields', index, 'label'], text: field.label },
      { path: ['fields', index, 'help'], text: field.help },
      { path: ['fields', index, 'placeholder'], text: field.placeholder },
      ...(field.options ?? []).map((option, at) => ({
        path: ['fields', index, 'options', at, 'label'],
        text: typeof option === 'string' ? option : option.label,
      })),
    ]),
    ...form.consents.map((consent, index) => ({
      path: ['consents', index, 'text'],
      text: consent.text,
    })),
  ]
  return found.filter((entry): entry is { path: (string | number)[]; text: Localized } =>
    Boolean(entry.text),
  )
}

/**
 * The languages a form is given in: those its per-language texts name (all name the same), or,
 * with plain strings only, the site's locale.
 */
export const formLocales = (form: FormTexts, siteLocale: Locale): Locale[] => {
  const named = formTexts(form).find((entry) => typeof entry.text !== 'string')
  return named ? textLocales(named.text) : [siteLocale]
}

/**
 * The language a form is shown in for a page: the page's language if the form has it, else the
 * site's, else the form's first (docs/wire-contract.md#texts-per-language).
 */
export const pickFormLocale = (
  locales: Locale[],
  wanted: Locale | undefined,
  siteLocale: Locale,
): Locale =>
  wanted && locales.includes(wanted)
    ? wanted
    : locales.includes(siteLocale)
      ? siteLocale
      : (locales[0] ?? siteLocale)

/** A text in one language: its own, or the plain string every language shares. */
export const textIn = (text: Localized, locale: Locale): string =>
  typeof text === 'string' ? text : (text[locale] ?? text.de ?? text.en ?? '')

/** A text of a form in the language it is mostly read in: its first (admin lists, reports, touchpoints). */
export const firstText = (form: Pick<Form, 'locales'>, text: Localized): string =>
  textIn(text, form.locales[0] ?? 'en')

/** One stored wording of a consent: what a ledger entry's `textId` points at. */
export const ConsentVersionSchema = z.object({
  textId: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  text: z.string(),
})
export type ConsentVersion = z.infer<typeof ConsentVersionSchema>

/**
 * A consent of a form: the version in the form's first language at the top level, and with
 * per-language texts each language's own version under `texts`.
 */
export const FormConsentSchema = ConsentVersionSchema.extend({
  purpose: z.string(),
  required: z.boolean(),
  texts: z
    .object({ de: ConsentVersionSchema.optional(), en: ConsentVersionSchema.optional() })
    .optional(),
})
export type FormConsent = z.infer<typeof FormConsentSchema>

const LocalizedOut = z.union([
  z.string(),
  z.object({ de: z.string().optional(), en: z.string().optional() }),
])

/** A form as the admin API answers it: its texts as they were given. */
export const FormSchema = z
  .object({
    formId: z.string(),
    kind: FormKindSchema,
    /** The languages the form is given in (docs/wire-contract.md#texts-per-language). */
    locales: z.array(LOCALE),
    title: LocalizedOut,
    description: LocalizedOut.nullable(),
    fields: z.array(FormFieldSchema),
    consents: z.array(FormConsentSchema),
    asset: z.object({ url: z.string(), filename: z.string() }).nullable(),
    popup: PopupSchema.nullable(),
    submitLabel: LocalizedOut.nullable(),
    thanks: LocalizedOut.nullable(),
    updatedAt: z.string(),
  })
  .meta({ example: FORM_EXAMPLE })
export type Form = z.infer<typeof FormSchema>

/** A field as the widget shows it: every text in the form's language. */
export const PublicFieldSchema = z.object({
  name: z.string(),
  type: FieldTypeSchema,
  required: z.boolean(),
  label: z.string(),
  help: z.string().optional(),
  placeholder: z.string().optional(),
  options: z
    .array(z.union([z.string(), z.object({ value: z.string(), label: z.string() })]))
    .optional(),
  maxLength: z.number().int().optional(),
})
export type PublicField = z.infer<typeof PublicFieldSchema>

/** A form as the widget shows it, in one language (`locale`). */
export const PublicFormSchema = z.object({
  formId: z.string(),
  kind: FormKindSchema,
  /** The language of every text of this form; the widget's own texts follow it. */
  locale: LOCALE,
  /** Every language the form has: another one is served with `?locale=`. */
  locales: z.array(LOCALE),
  title: z.string(),
  description: z.string().nullable(),
  fields: z.array(PublicFieldSchema),
  /** The consent texts in `locale`; a consent answer names the `textId` shown. */
  consents: z.array(ConsentVersionSchema.extend({ purpose: z.string(), required: z.boolean() })),
  popup: PopupSchema.nullable(),
  submitLabel: z.string().nullable(),
  thanks: z.string().nullable(),
  gated: z.boolean(),
})
export type PublicForm = z.infer<typeof PublicFormSchema>

const WidgetTextsSchema = z.object(
  Object.fromEntries(Object.keys(WIDGET_TEXTS.en).map((key) => [key, z.string()])) as Record<
    keyof WidgetTexts,
    z.ZodString
  >,
)

/** `GET /v1/sites/{siteKey}/config`: what the widget needs; the asset URL stays gated. */
export const SiteConfigSchema = z
  .object({
    siteKey: z.string(),
    /** The site's locale. */
    locale: LOCALE,
    /** The Turnstile site key, where the site turned Turnstile on. */
    turnstile: z.string().optional(),
    /** The site's theme for the form (widget/README.md#theming), where it set one. */
    theme: ThemeSchema.optional(),
    forms: z.array(PublicFormSchema),
    /** The widget's own texts (buttons, messages) in each language of `forms`. */
    texts: z.object({ de: WidgetTextsSchema.optional(), en: WidgetTextsSchema.optional() }),
  })
  .meta({ example: SITE_CONFIG_EXAMPLE })
export type SiteConfig = z.infer<typeof SiteConfigSchema>

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

/** `GET /v1/admin/sites/{siteKey}/forms`: every form of the site, by id. */
export const FormListSchema = z
  .object({ forms: z.array(FormSchema) })
  .meta({ example: FORM_LIST_EXAMPLE })
export type FormList = z.infer<typeof FormListSchema>

/** A stored wording of a consent purpose, and how many of this form's leads were shown it. */
export const ConsentHistorySchema = z.object({
  purpose: z.string(),
  /** Counted per site and purpose: a wording another form saved first keeps its number. */
  version: z.number().int(),
  textId: z.string(),
  text: z.string(),
  createdAt: z.string(),
  leads: z.number().int(),
})
export type ConsentHistory = z.infer<typeof ConsentHistorySchema>

/** `GET /v1/admin/sites/{siteKey}/forms/{formId}`: the form and every wording of its consents. */
export const FormDetailSchema = FormSchema.extend({
  consentHistory: z.array(ConsentHistorySchema),
}).meta({ example: FORM_DETAIL_EXAMPLE })
export type FormDetail = z.infer<typeof FormDetailSchema>

/**
 * `POST /v1/admin/sites/{siteKey}/forms/{formId}/preview`: a form not saved yet as the widget
 * would get it in one language, with the widget's texts in it and the site's theme. Nothing is
 * stored; consent texts not stored yet have `textId` `preview` and `version` 0.
 */
export const FormPreviewSchema = z
  .object({
    form: PublicFormSchema,
    texts: WidgetTextsSchema,
    theme: ThemeSchema.optional(),
  })
  .meta({ example: FORM_PREVIEW_EXAMPLE })
export type FormPreview = z.infer<typeof FormPreviewSchema>
