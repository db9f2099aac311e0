import { z } from 'zod'
import { LOCALE, text } from './common'
import { RulesSchema } from './rules'

export const STAGE_MODELS = ['b2b', 'b2c'] as const
export const StageModelSchema = z.enum(STAGE_MODELS)
export type StageModel = z.infer<typeof StageModelSchema>

export const B2B_STAGES = ['lead', 'mql', 'sql', 'opportunity', 'customer', 'disqualified'] as const
export const B2C_STAGES = [
  'prospect',
  'engaged',
  'interested',
  'need_recognized',
  'customer',
  'disqualified',
] as const
export const STAGES = [
  'lead',
  'mql',
  'sql',
  'opportunity',
  'customer',
  'disqualified',
  'prospect',
  'engaged',
  'interested',
  'need_recognized',
] as const
export const StageSchema = z.enum(STAGES)
export type Stage = z.infer<typeof StageSchema>

export const TEMPERATURES = ['cold', 'warm', 'hot'] as const
export const TemperatureSchema = z.enum(TEMPERATURES)
export type Temperature = z.infer<typeof TemperatureSchema>

/**
 * Lead fields a form can collect; `email` is always required (a lead has an email:
 * docs/glossary.md#lead).
 */
export const STANDARD_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'company',
  'jobTitle',
  'phone',
  'website',
  'country',
  'budget',
  'timeline',
  'employees',
  'message',
] as const
export const FieldNameSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'letters, digits and underscores, starting with a letter')

/** An origin as browsers send it: scheme, host and optional port, nothing else. */
export const OriginSchema = z
  .string()
  .max(255)
  .refine((value) => {
    try {
      const url = new URL(value)
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value
    } catch {
      return false
    }
  }, 'must be an origin such as https://www.example.com (no path, no trailing slash)')

export const COUNTRY = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, for example DE')

const SITE_INPUT_EXAMPLE = {
  name: 'Acme Maschinenbau GmbH',
  allowedOrigins: ['https://www.acme.example', 'https://acme.example'],
  locale: 'de',
  country: 'DE',
  stageModel: 'b2b',
  requiredFields: ['email', 'firstName', 'lastName', 'company', 'jobTitle'],
  rules: { mqlThreshold: 15, sqlThreshold: 35, pricingPaths: ['/preise', '/preise/*'] },
  retentionDays: 396,
  turnstile: false,
} as const

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
  })
  .strict()
  .meta({ example: SITE_INPUT_EXAMPLE })
export type SiteInput = z.input<typeof SiteInputSchema>

export const DEFAULT_REQUIRED_FIELDS: Record<StageModel, string[]> = {
  b2b: ['email', 'firstName', 'lastName', 'company', 'jobTitle'],
  b2c: ['email', 'firstName', 'lastName'],
}

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
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    example: {
      siteKey: 'acme',
      ...SITE_INPUT_EXAMPLE,
      createdAt: '2026-09-15T10:00:00.000Z',
      updatedAt: '2026-10-01T08:30:00.000Z',
    },
  })
export type Site = z.infer<typeof SiteSchema>

export const SCOPES = ['reports:read', 'leads:read', 'leads:write', 'site:admin'] as const
export const ScopeSchema = z.enum(SCOPES)
export type Scope = z.infer<typeof ScopeSchema>

/** `POST /v1/admin/sites/{siteKey}/tokens` */
export const TokenInputSchema = z
  .object({
    scopes: z.array(ScopeSchema).min(1).max(SCOPES.length),
    name: text(100).optional(),
  })
  .strict()
  .meta({ example: { scopes: ['leads:read', 'reports:read'], name: 'CRM-Sync' } })
export const TokenCreatedSchema = z
  .object({
    id: z.string(),
    token: z.string(),
    scopes: z.array(ScopeSchema),
    name: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({
    example: {
      id: 'tok_xqAaWJ8s24lS',
      token: 'lst_MYfpBKMsQOTTlbgfX8vFGc9MLxqyMHXkEV7rkjVcwbo',
      scopes: ['leads:read', 'reports:read'],
      name: 'CRM-Sync',
      createdAt: '2026-10-01T08:45:00.000Z',
    },
  })
export type TokenCreated = z.infer<typeof TokenCreatedSchema>
