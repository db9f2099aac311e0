import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEMS,
  type Problem,
  type ProblemCode,
  type ProblemError,
} from '../../../shared/problem'

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
  detail: string
  /** Per-field messages, for `validation_failed` and its kin. */
  errors?: ProblemError[]
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
  readonly detail: string
  readonly errors?: ProblemError[]
  readonly headers?: Record<string, string>

  constructor(init: ProblemInit) {
    super(init.detail)
    this.code = init.code
    this.status = init.code === 'http_error' ? init.status : PROBLEMS[init.code]
    this.detail = init.detail
    this.errors = init.errors
    this.headers = init.headers
  }

  toProblem(): Problem {
    return {
      type: `https://lodestone.dev/problems/${this.code}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(this.errors ? { errors: this.errors } : {}),
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
  return new HttpProblem({ code: 'internal_error', detail: 'Something went wrong on our side.' })
}

/**
 * The one renderer of problem answers, for `onError`, `notFound` and the
 * body limit alike. Rendered through the context so that headers set before
 * the error (the CORS answer headers of a public route) stay on the answer.
 */
export function renderProblem(c: Context, problem: HttpProblem): Response {
  for (const [name, value] of Object.entries(problem.headers ?? {})) c.header(name, value)
  return c.body(JSON.stringify(problem.toProblem()), problem.status as ContentfulStatusCode, {
    'content-type': PROBLEM_CONTENT_TYPE,
  })
}

/** Zod issues as `errors: [{path, message}]`, paths in JSON-pointer-like dotted form. */
export function zodErrors(error: ZodError): ProblemError[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }))
}

export function validationProblem(error: ZodError, where = 'request body'): HttpProblem {
  return new HttpProblem({
    code: 'validation_failed',
    detail: `The ${where} is not valid.`,
    errors: zodErrors(error),
  })
}
