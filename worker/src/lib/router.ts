import { OpenAPIHono } from '@hono/zod-openapi'
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '../../../shared/problem'
import type { AppEnv } from '../env'
import { validationProblem } from './problem'

/**
 * A route group. Every group shares the one validation hook, so a zod failure
 * anywhere becomes the same `problem+json` answer (docs/wire-contract.md#errors).
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw validationProblem(
          result.error,
          result.target === 'json' ? 'request body' : `request ${result.target}`,
        )
      }
    },
  })
}

/** The problem answers every route group may give, by status, as OpenAPI response components. */
const PROBLEM_ANSWERS = {
  400: ['MalformedRequest', 'Malformed request'],
  401: ['Unauthorized', 'Missing or invalid token'],
  403: ['Forbidden', 'Token lacks the scope or site'],
  404: ['NotFound', 'Unknown site, form or lead'],
  422: ['ValidationFailed', 'Validation failed; `errors` lists each field'],
} as const

/**
 * Standard problem responses for the OpenAPI description: references to the
 * response components `describeProblems` registers. References rather than
 * inline content, so that a route may still answer HTML or a redirect of its
 * own beside its typed JSON answer.
 */
export const PROBLEM_RESPONSES = {
  400: { $ref: `#/components/responses/${PROBLEM_ANSWERS[400][0]}` },
  401: { $ref: `#/components/responses/${PROBLEM_ANSWERS[401][0]}` },
  403: { $ref: `#/components/responses/${PROBLEM_ANSWERS[403][0]}` },
  404: { $ref: `#/components/responses/${PROBLEM_ANSWERS[404][0]}` },
  422: { $ref: `#/components/responses/${PROBLEM_ANSWERS[422][0]}` },
} as const

/**
 * Registers the `Problem` schema (whose `code` lists the closed list of
 * codes) and the problem responses `PROBLEM_RESPONSES` refers to.
 */
export function describeProblems(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.register('Problem', ProblemSchema)
  for (const [name, description] of Object.values(PROBLEM_ANSWERS)) {
    app.openAPIRegistry.registerComponent('responses', name, {
      description,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
    })
  }
}
