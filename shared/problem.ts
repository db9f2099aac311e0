import { z } from 'zod'
import { PROBLEM_EXAMPLE } from './examples/problem'

/**
 * Every `code` a problem answer can carry, with the HTTP status it always
 * comes with. The list is closed: the worker cannot answer a code that is not
 * here, the OpenAPI document lists these codes, and a client can compare with
 * them type-checked. Each code names one cause, so a client (or a translation
 * of its messages) can act on the code alone; `detail` is for people.
 *
 * `http_error` alone has no fixed status: it is a framework refusal (see its
 * comment), answered with the framework's own status.
 */
export const PROBLEMS = {
  /** The framework could not read the request (for example an unreadable path); no more specific code applies. */
  malformed_request: 400,
  /** The body is not valid JSON, or not valid UTF-8 (which JSON text must be). */
  malformed_json: 400,
  /** No bearer token was sent, or it is not a valid, unrevoked token. */
  unauthorized: 401,
  /** The token is valid but lacks the scope or the site the request needs. */
  forbidden: 403,
  /** A write with the session cookie came from another origin, or said none (docs/app-sign-in.md#csrf). */
  cross_site_request: 403,
  /** The browser's `Origin` is not among the site's allowed origins (or is missing). */
  origin_not_allowed: 403,
  /** No route answers this path and method. */
  not_found: 404,
  /** The site key names no site. */
  site_not_found: 404,
  /** The site has no form of this id. */
  form_not_found: 404,
  /** The site has no lead of this id. */
  lead_not_found: 404,
  /** A consent link's, sign-in link's or invitation's token is not valid. */
  link_not_found: 404,
  /** A download link is not valid, or its asset is gone. */
  download_not_found: 404,
  /** There is no active token of this id. */
  token_not_found: 404,
  /** The site has no learned score yet (docs/stages-and-scoring.md#learned-score). */
  model_not_found: 404,
  /** The site has no user of this email address. */
  user_not_found: 404,
  /** The site holds no spam submission of this id (released, deleted or purged). */
  spam_not_found: 404,
  /** The site has no webhook of this id (docs/outbound.md#webhooks). */
  webhook_not_found: 404,
  /** The webhook (or integration) has no delivery of this id. */
  delivery_not_found: 404,
  /** The site has no integration of this kind set up (docs/outbound.md). */
  integration_not_found: 404,
  /** The delivery is being attempted right now; a retry by hand waits until that attempt ends. */
  delivery_in_flight: 409,
  /** Another request changed the same lead meanwhile; retrying is safe. */
  conflict: 409,
  /** The `submissionId` was already used for a submission of another form. */
  submission_id_reused: 409,
  /** The site already has leads in its stage model, so it cannot switch models. */
  stage_model_in_use: 409,
  /** The held spam submission kept only its field names, or its form is gone: it cannot become a lead. */
  spam_not_releasable: 409,
  /** A consent, sign-in or invitation link was used already or has expired. */
  link_expired: 410,
  /** A download link has expired. */
  download_expired: 410,
  /** The body is larger than the route group accepts. */
  body_too_large: 413,
  /** The body is sent with a content type the route does not read. */
  unsupported_media_type: 415,
  /** The request does not match its schema; `errors` lists each field. */
  validation_failed: 422,
  /** The consents sent do not match the form's (unknown text, missing required consent); `errors` lists them. */
  consent_invalid: 422,
  /** The submission was held back as suspected spam (honeypot, too fast, failed Turnstile). */
  spam_suspected: 422,
  /** The email address is from a disposable-address provider. */
  disposable_email: 422,
  /** The form's start token is missing, forged or expired: fetch a new one and submit again. */
  start_token_invalid: 422,
  /** The site asks for Turnstile but the collector has no Turnstile keys. */
  turnstile_unavailable: 422,
  /** An outbound URL is not https, or points to a private, loopback or local address (docs/outbound.md#targets). */
  target_not_allowed: 422,
  /** Too few leads with an outcome to train the learned score (at least 10 of each class). */
  too_few_examples: 422,
  /** Too many requests from this network for this site; `retry-after` says when to try again. */
  rate_limited: 429,
  /** Something failed on the collector's side; nothing about it is shown. */
  internal_error: 500,
  /** Another 4xx refusal raised by the framework (for example a typed route's unsupported media type), with the framework's status. */
  http_error: null,
} as const satisfies Record<string, number | null>

/**
 * Why a field of `errors` was refused, where a client shows its own text for it
 * (docs/wire-contract.md#errors). Closed like the codes; `message` says the same for people.
 */
export const FIELD_REASONS = [
  /** A required field is empty, or a required consent not given. */
  'required',
  /** Longer than the field allows. */
  'too_long',
  /** Not an email address. */
  'email',
  /** An address of a disposable-address provider. */
  'disposable',
  /** Not a phone number (of the site's country, unless it starts with +). */
  'phone',
  /** Not an http(s) web address. */
  'url',
  /** Not a number. */
  'number',
  /** Not one of a select field's choices. */
  'option',
  /** A consent text the form no longer shows (the page is older than the form). */
  'stale',
  /** The Turnstile security check did not pass. */
  'turnstile',
  /** Anything else: the wrong type, control characters, a field the form does not have. */
  'invalid',
] as const
export type FieldReason = (typeof FIELD_REASONS)[number]

/** A code of the closed list. */
export type ProblemCode = keyof typeof PROBLEMS
export const PROBLEM_CODES = Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]]

/**
 * `application/problem+json` (RFC 9457) with a stable `code` and, for validation, `errors`.
 * `detail` and each `message` are in the language of `Accept-Language` (de or en), else the
 * site's locale, else English; `code` and `reason` never change with it.
 */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(PROBLEM_CODES),
    errors: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          reason: z.enum(FIELD_REASONS).optional(),
        }),
      )
      .optional(),
  })
  .meta({ example: PROBLEM_EXAMPLE })
export type Problem = z.infer<typeof ProblemSchema>
export type ProblemError = NonNullable<Problem['errors']>[number]

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'
