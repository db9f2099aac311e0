import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'
import type { Locale } from '../../../shared/common'
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEMS,
  type FieldReason,
  type Problem,
  type ProblemCode,
} from '../../../shared/problem'
import type { AppEnv } from '../env'
import { negotiateLocale } from './locale'

/**
 * A text for people: one per language where a visitor can meet it, else one (English) string
 * (docs/wire-contract.md#errors).
 */
export type Message = string | Record<Locale, string>

/** One refused field: its path, why (for clients with their own texts) and what to tell people. */
export interface FieldError {
  path: string
  message: Message
  reason?: FieldReason
}

/** Shorthand for a field error in both languages. */
export const fieldError = (
  path: string,
  reason: FieldReason,
  en: string,
  de: string,
): FieldError => ({ path, reason, message: { en, de } })

const say = (message: Message, locale: Locale) =>
  typeof message === 'string' ? message : message[locale]

/**
 * The `title` of each status. Titles are part of the wire, so this table
 * stays as clients have seen it: 410 (`link_expired`, `download_expired`) has
 * no entry and answers `Error`.
 */
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
}

/** Codes whose status the list fixes: every code but `http_error`. */
type FixedStatusCode = {
  [C in ProblemCode]: (typeof PROBLEMS)[C] extends number ? C : never
}[ProblemCode]

/** What a problem says; its status comes from the code (`http_error` alone brings its own). */
export type ProblemInit = {
  detail: Message
  /** Per-field messages, for `validation_failed` and its kin. */
  errors?: FieldError[]
  /** Extra answer headers, such as `www-authenticate` or `retry-after`. */
  headers?: Record<string, string>
} & ({ code: FixedStatusCode } | { code: 'http_error'; status: number })

/**
 * An error that becomes an `application/problem+json` answer (RFC 9457).
 * Thrown anywhere in a request; `renderProblem` turns it into the answer.
 */
export class HttpProblem extends Error {
  readonly code: ProblemCode
  readonly status: number
  readonly detail: Message
  readonly errors?: FieldError[]
  readonly headers?: Record<string, string>

  constructor(init: ProblemInit) {
    super(say(init.detail, 'en'))
    this.code = init.code
    this.status = init.code === 'http_error' ? init.status : PROBLEMS[init.code]
    this.detail = init.detail
    this.errors = init.errors
    this.headers = init.headers
  }

  /** The answer's body, its texts in `locale`; `title`, `code` and `reason` stay as they are. */
  toProblem(locale: Locale = 'en'): Problem {
    return {
      type: `https://lodestone.dev/problems/${this.code}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: say(this.detail, locale),
      code: this.code,
      ...(this.errors
        ? {
            errors: this.errors.map(({ path, message, reason }) => ({
              path,
              message: say(message, locale),
              ...(reason ? { reason } : {}),
            })),
          }
        : {}),
    }
  }
}

/**
 * Any error thrown while answering a request, as the problem it answers
 * with: our own problems as they are, the framework's 4xx refusals under
 * `malformed_request` (400) or `http_error` (its status), everything else
 * a bland `internal_error` that shows nothing of the cause.
 */
export function toHttpProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error
  if (error instanceof HTTPException && error.status < 500) {
    const detail = error.message || 'The request could not be processed.'
    return error.status === 400
      ? new HttpProblem({ code: 'malformed_request', detail })
      : new HttpProblem({ code: 'http_error', status: error.status, detail })
  }
  return new HttpProblem({
    code: 'internal_error',
    detail: {
      en: 'Something went wrong on our side.',
      de: 'Bei uns ist etwas schiefgelaufen.',
    },
  })
}

/**
 * The one renderer of problem answers, for `onError`, `notFound` and the
 * body limit alike. Rendered through the context so that headers set before
 * the error (the CORS answer headers of a public route) stay on the answer.
 */
export function renderProblem(c: Context<AppEnv>, problem: HttpProblem): Response {
  for (const [name, value] of Object.entries(problem.headers ?? {})) c.header(name, value)
  // The language of the texts: the reader's (RFC 9110 §12.5.4), else the site's where the request
  // named one (docs/wire-contract.md#errors), else English.
  const locale = negotiateLocale(c.req.header('accept-language'), c.get('siteLocale') ?? 'en')
  c.header('content-language', locale)
  c.header('vary', 'Accept-Language', { append: true })
  return c.body(JSON.stringify(problem.toProblem(locale)), problem.status as ContentfulStatusCode, {
    'content-type': PROBLEM_CONTENT_TYPE,
  })
}

/**
 * Zod issues as `errors: [{path, message, reason}]`, paths in JSON-pointer-like dotted form.
 * Schema messages are for developers and stay English; `reason` lets a form say it in its own
 * words.
 */
export function zodErrors(error: ZodError): FieldError[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
    reason: issue.code === 'too_big' ? 'too_long' : 'invalid',
  }))
}

export function validationProblem(error: ZodError, where = 'request body'): HttpProblem {
  return new HttpProblem({
    code: 'validation_failed',
    detail:
      where === 'request body'
        ? { en: 'The request body is not valid.', de: 'Die Anfrage ist nicht gültig.' }
        : `The ${where} is not valid.`,
    errors: zodErrors(error),
  })
}
