import type { ZodError } from 'zod'
import { PROBLEM_CONTENT_TYPE, type Problem, type ProblemError } from '../../../shared/problem'

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

/**
 * An error that becomes an `application/problem+json` answer (RFC 9457).
 * Thrown anywhere in a request; the app's one `onError` renders it.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: ProblemError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail)
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

export function problemResponse(problem: Problem, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
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
  return new HttpProblem(422, 'validation_failed', `The ${where} is not valid.`, zodErrors(error))
}
