import { z } from 'zod'
import { LOCALE, text } from './common'
import { ModelSettingsSchema } from './model'
import { isOrigin, ORIGIN_MESSAGE } from './origin'
import { RulesSchema } from './rules'
import {
  SITE_EXAMPLE,
  SITE_INPUT_EXAMPLE,
  TOKEN_CREATED_EXAMPLE,
  TOKEN_INPUT_EXAMPLE,
  TOKEN_REVOKED_EXAMPLE,
} from './examples/site'
import { SCOPES, STAGE_MODELS, STAGES, TEMPERATURES } from './vocabulary'

export const StageModelSchema = z.enum(STAGE_MODELS)
export const StageSchema = z.enum(STAGES)
export const TemperatureSchema = z.enum(TEMPERATURES)
export type { Stage, StageModel, Temperature } from './vocabulary'

export { DEFAULT_REQUIRED_FIELDS, SCOPES, STANDARD_FIELDS } from './vocabulary'
export const FieldNameSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'letters, digits and underscores, starting with a letter')

/** An origin as browsers send it: scheme, host and optional port, nothing else. */
export const OriginSchema = z.string().max(255).refine(isOrigin, ORIGIN_MESSAGE)

export const COUNTRY = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, for example DE')

/** Exactly seven characters: the anchored pattern is its own bound, and one message is enough. */
export const ACCENT_COLOR = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'a hex colour #rrggbb, for example #1d4ed8')

/** A CSS length with a bounded number and a unit of px, em, rem or %: `6px`, `1.5em`, `100%`, `0`. */
const CSS_LENGTH = z
  .string()
  .max(10)
  .regex(
    /^(?:0|\d{1,4}(?:\.\d{1,3})?(?:px|em|rem|%))$/,
    'a length such as 6px, 1.5em, 0.5rem or 100% (at most 4 digits, then px, em, rem or %)',
  )

/** One font family: a name of letters, digits, spaces and hyphens, bare or in matching quotes. */
const FAMILY = `(?:"[A-Za-z0-9 -]{1,60}"|'[A-Za-z0-9 -]{1,60}'|[A-Za-z][A-Za-z0-9 -]{0,59})`

/**
 * A font-family list such as `Inter, "Helvetica Neue", sans-serif`: at most 10 families of safe
 * characters only, so nothing can close the CSS declaration or the rule it is written into.
 */
const FONT_FAMILY_LIST = z
  .string()
  .max(300)
  .regex(
    new RegExp(`^${FAMILY}(?: ?, ?${FAMILY}){0,9}$`),
    'a font-family list such as Inter, "Helvetica Neue", sans-serif (letters, digits, spaces, hyphens; names in matching quotes)',
  )

/**
 * The site's defaults for the form's nine custom properties (widget/README.md#theming): the form's
 * stylesheet sets them on its host, so the host page's own rules on the placeholder still win.
 */
export const ThemeSchema = z
  .object({
    accent: ACCENT_COLOR.optional(),
    onAccent: ACCENT_COLOR.optional(),
    text: ACCENT_COLOR.optional(),
    background: ACCENT_COLOR.optional(),
    border: ACCENT_COLOR.optional(),
    error: ACCENT_COLOR.optional(),
    radius: CSS_LENGTH.optional(),
    font: FONT_FAMILY_LIST.optional(),
    width: CSS_LENGTH.optional(),
  })
  .strict()
  .meta({
    example: { accent: '#0f766e', border: '#6b6b6b', radius: '8px', font: 'Inter, sans-serif' },
  })
export type Theme = z.infer<typeof ThemeSchema>

/** `PUT /v1/admin/sites/{siteKey}` */
export const SiteInputSchema = z
  .object({
    name: text(200).min(1),
    allowedOrigins: z.array(OriginSchema).min(1).max(50),
    locale: LOCALE.default('en'),
    country: COUNTRY.default('DE'),
    stageModel: StageModelSchema.default('b2b'),
    requiredFields: z.array(FieldNameSchema).max(30).optional(),
    rules: RulesSchema.optional(),
    /** Days anonymous touchpoints are kept (default 396, about 13 months). */
    retentionDays: z.number().int().min(1).max(1096).default(396),
    /** Cloudflare Turnstile on the site's forms; needs the collector's Turnstile keys. */
    turnstile: z.boolean().default(false),
    /**
     * The colour of the consent pages' banner and buttons; text on it is white or
     * dark, whichever is readable (docs/consent-and-privacy.md#branding).
     */
    accentColor: ACCENT_COLOR.optional(),
    /** The form's theme (widget/README.md#theming); left out, the site keeps the one it has; `{}` clears it. */
    theme: ThemeSchema.optional(),
    /**
     * The learned score's settings (docs/stages-and-scoring.md#learned-score); left out, the site
     * keeps the ones it has (at first the defaults: 50 positives, 90 days).
     */
    model: ModelSettingsSchema.optional(),
  })
  .strict()
  .meta({ example: SITE_INPUT_EXAMPLE })
export type SiteInput = z.input<typeof SiteInputSchema>

export const SiteSchema = z
  .object({
    siteKey: z.string(),
    name: z.string(),
    allowedOrigins: z.array(z.string()),
    locale: LOCALE,
    country: z.string(),
    stageModel: StageModelSchema,
    requiredFields: z.array(z.string()),
    rules: RulesSchema,
    retentionDays: z.number().int(),
    turnstile: z.boolean(),
    /** `null`: the pages take the default accent, #1d4ed8. */
    accentColor: ACCENT_COLOR.nullable(),
    /** The form's theme; `{}` for none. */
    theme: ThemeSchema,
    /** The learned score's settings, defaults filled in. */
    model: z.object({ minPositives: z.number().int(), negativeAfterDays: z.number().int() }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ example: SITE_EXAMPLE })
export type Site = z.infer<typeof SiteSchema>

export const ScopeSchema = z.enum(SCOPES)
export type Scope = z.infer<typeof ScopeSchema>

/** `POST /v1/admin/sites/{siteKey}/tokens` */
export const TokenInputSchema = z
  .object({
    scopes: z.array(ScopeSchema).min(1).max(SCOPES.length),
    name: text(100).optional(),
  })
  .strict()
  .meta({ example: TOKEN_INPUT_EXAMPLE })
export const TokenCreatedSchema = z
  .object({
    id: z.string(),
    token: z.string(),
    scopes: z.array(ScopeSchema),
    name: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ example: TOKEN_CREATED_EXAMPLE })
export type TokenCreated = z.infer<typeof TokenCreatedSchema>

/** `DELETE /v1/admin/sites/{siteKey}/tokens/{tokenId}`: the token is revoked. */
export const TokenRevokedSchema = z
  .object({ id: z.string(), revokedAt: z.string() })
  .meta({ example: TOKEN_REVOKED_EXAMPLE })
export type TokenRevoked = z.infer<typeof TokenRevokedSchema>

/**
 * `GET /v1/admin/sites/{siteKey}`: the site as `PUT` stores it, and whether its stage model is
 * locked (docs/stages-and-scoring.md#stage-models): once a site has a lead, their stages belong
 * to its model, so `PUT` refuses another model with `stage_model_in_use`.
 */
export const SiteDetailSchema = SiteSchema.extend({
  stageModelLocked: z
    .boolean()
    .describe('true once the site has a lead: `PUT` then refuses another `stageModel`'),
}).meta({ example: { ...SITE_EXAMPLE, stageModelLocked: true } })
export type SiteDetail = z.infer<typeof SiteDetailSchema>

/** One of a site's tokens as `GET .../tokens` lists it: never its value, nor its hash. */
export const TokenSummarySchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  scopes: z.array(ScopeSchema),
  createdAt: z.string(),
  lastUsedAt: z
    .string()
    .nullable()
    .describe(
      'when it last signed a request as a bearer token or signed in to the app (to the minute); null if never',
    ),
  revokedAt: z.string().nullable(),
})
export type TokenSummary = z.infer<typeof TokenSummarySchema>

/** `GET /v1/admin/sites/{siteKey}/tokens`: the site's tokens, newest first, revoked ones too. */
export const TokenListSchema = z.object({ tokens: z.array(TokenSummarySchema) }).meta({
  example: {
    tokens: [
      {
        id: TOKEN_CREATED_EXAMPLE.id,
        name: TOKEN_CREATED_EXAMPLE.name,
        scopes: TOKEN_CREATED_EXAMPLE.scopes,
        createdAt: TOKEN_CREATED_EXAMPLE.createdAt,
        lastUsedAt: '2026-10-02T07:15:00.000Z',
        revokedAt: null,
      },
    ],
  },
})
export type TokenList = z.infer<typeof TokenListSchema>
