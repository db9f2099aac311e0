import { z } from 'zod'

/**
 * Building blocks shared by every schema of the wire contract.
 * Every string is bounded here, never in handler code, so no route can forget a
 * bound (docs/wire-contract.md#bounded-input).
 */

/** C0/C1 control characters other than tab and newline are never accepted in text. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/

export const SITE_KEY = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes')
  .meta({ example: 'acme' })

export const SLUG = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, dashes and underscores')

export const UUID = z.string().uuid()

/**
 * An absolute http(s) URL; other schemes (javascript:, data:, file:) are refused
 * (docs/wire-contract.md#urls).
 */
/**
 * A UTF-16 surrogate without its pair: not a character, and not storable as
 * UTF-8 (D1 would replace it), so such text is refused, never altered.
 */
// eslint-disable-next-line no-control-regex
export const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const wellFormed = (value: string) => !LONE_SURROGATE.test(value)

export const HTTP_URL = z
  .string()
  .max(2048)
  .refine(wellFormed, 'must be well-formed text')
  .refine(
    (value) => !CONTROL_CHARS.test(value) && !/[\t\r\n]/.test(value),
    'must not contain control characters',
  )
  .refine((value) => {
    try {
      const url = new URL(value)
      return url.protocol === 'http:' || url.protocol === 'https:'
    } catch {
      return false
    }
  }, 'must be an http or https URL')

/** A referrer may be empty (direct visit) or an http(s) URL. */
export const REFERRER = z.union([z.literal(''), HTTP_URL])

/** A single-line text value: no control characters, bounded. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine(wellFormed, 'must be well-formed text')
    .refine((value) => !CONTROL_CHARS.test(value) && !/[\r\n\t]/.test(value), {
      message: 'must not contain control characters',
    })

/** A multi-line text value: newlines and tabs allowed, other control characters refused. */
export const multilineText = (max: number) =>
  z
    .string()
    .max(max)
    .refine(wellFormed, 'must be well-formed text')
    .refine((value) => !CONTROL_CHARS.test(value), {
      message: 'must not contain control characters',
    })

export const ISO_DATETIME = z.string().max(40).datetime({ offset: true })
export const ISO_DATE = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'not a calendar date')

export const LOCALES = ['de', 'en'] as const
export const LOCALE = z.enum(LOCALES)
export type Locale = z.infer<typeof LOCALE>

/**
 * A text given once for every visitor, or once per language
 * (docs/wire-contract.md#texts-per-language): `'Vorname'` or
 * `{de: 'Vorname', en: 'First name'}`. A record names at least one language.
 */
export const localized = (base: z.ZodString) =>
  z.union([
    base,
    z
      .object({ de: base.optional(), en: base.optional() })
      .strict()
      .refine((texts) => texts.de !== undefined || texts.en !== undefined, 'name de or en'),
  ])
export type Localized = string | { de?: string; en?: string }

export const UtmSchema = z
  .object({
    source: text(200).optional(),
    medium: text(200).optional(),
    campaign: text(200).optional(),
    term: text(200).optional(),
    content: text(200).optional(),
  })
  .strict()
  .meta({ example: { source: 'linkedin', medium: 'paid', campaign: 'q4-whitepaper' } })
export type Utm = z.infer<typeof UtmSchema>
