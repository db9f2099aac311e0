/**
 * The words of the wire contract, each list written once: form kinds, stage
 * models and their stages, temperatures, consent statuses. Schemas (`z.enum`)
 * and types derive from these lists; code that decides something per word
 * keeps a `Record<Word, …>` table, so adding a word fails to compile exactly
 * where a decision for it is missing.
 *
 * Plain data without imports, so every module of `shared/` (and the widget,
 * for types) can use it without an import cycle.
 */

/** What a form is for; qualification scores and stage rules read it. */
export const FORM_KINDS = [
  'whitepaper',
  'ebook',
  'checklist',
  'newsletter',
  'webinar',
  'demo_request',
  'quote_request',
  'contact_sales',
  'survey',
] as const
export type FormKind = (typeof FORM_KINDS)[number]

/** A site's funnel: business buyers (`b2b`) or consumers (`b2c`). */
export const STAGE_MODELS = ['b2b', 'b2c'] as const
export type StageModel = (typeof STAGE_MODELS)[number]

/** B2B stages that rules move a lead through; the later ones are set by people. */
export const B2B_RULE_STAGES = ['lead', 'mql', 'sql'] as const
/** B2C stages that rules move a lead through; the later ones are set by people. */
export const B2C_RULE_STAGES = ['prospect', 'engaged', 'interested', 'need_recognized'] as const
/** Where both funnels end: won, or out (outside the funnel). */
const CLOSING_STAGES = ['customer', 'disqualified'] as const

/** A B2B lead's stages in funnel order. */
export const B2B_STAGES = [...B2B_RULE_STAGES, 'opportunity', ...CLOSING_STAGES] as const
/** A B2C lead's stages in funnel order. */
export const B2C_STAGES = [...B2C_RULE_STAGES, ...CLOSING_STAGES] as const
/** Every stage of either model, each once. */
export const STAGES = [...B2B_STAGES, ...B2C_RULE_STAGES] as const
export type Stage = (typeof STAGES)[number]

/** How recently a lead showed interest. */
export const TEMPERATURES = ['cold', 'warm', 'hot'] as const
export type Temperature = (typeof TEMPERATURES)[number]

/**
 * A consent ledger entry: given, taken back, waiting for the double opt-in
 * mail's confirmation, or confirmed through it.
 */
export const CONSENT_STATUSES = ['granted', 'withdrawn', 'pending', 'confirmed'] as const
export type ConsentStatus = (typeof CONSENT_STATUSES)[number]

/**
 * Lead fields a form can collect; `email` is always required (a lead has an email:
 * docs/glossary.md#lead). Here rather than in `site.ts`, so the app can list them without zod.
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

/** The fields a complete lead must have when a site names none (docs/completeness.md). */
export const DEFAULT_REQUIRED_FIELDS: Record<StageModel, string[]> = {
  b2b: ['email', 'firstName', 'lastName', 'company', 'jobTitle'],
  b2c: ['email', 'firstName', 'lastName'],
}

/** What a site token may do (docs/app-sign-in.md); `site:admin` holds every other scope. */
export const SCOPES = [
  'reports:read',
  'leads:read',
  'leads:write',
  'campaigns:write',
  'site:admin',
] as const

/** A person's role on one site (docs/app-sign-in.md#roles). */
export const ROLES = ['admin', 'marketer', 'sales', 'viewer'] as const

/** Why a submission was held as spam (docs/spam-and-abuse.md#spam-table). */
export const SPAM_REASONS = [
  'honeypot',
  'too_fast',
  'token_reused',
  'turnstile',
  'rate',
  'disposable',
] as const
export type SpamReason = (typeof SPAM_REASONS)[number]

/** The input types a form field may have (shared/form.ts). */
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
export type FieldType = (typeof FIELD_TYPES)[number]

/** What a site's endpoints can subscribe to (docs/outbound.md#events). */
export const OUTBOUND_EVENTS = [
  'lead.created',
  'lead.updated',
  'lead.stage_changed',
  'lead.erased',
  'consent.changed',
  'spam.held',
] as const
export type OutboundEvent = (typeof OUTBOUND_EVENTS)[number]

/** Where events go (docs/outbound.md): webhooks, sales alerts and CRMs. */
export const ENDPOINT_KINDS = ['webhook', 'slack', 'email', 'hubspot', 'pipedrive'] as const
export type EndpointKind = (typeof ENDPOINT_KINDS)[number]

/** A delivery's state (docs/outbound.md#retries). */
export const DELIVERY_STATUSES = ['pending', 'succeeded', 'skipped', 'failed', 'dead'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]
