import { OpenAPIHono } from '@hono/zod-openapi'
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

/** Standard problem responses for the OpenAPI description. */
export const PROBLEM_RESPONSES = {
  400: { description: 'Malformed request' },
  401: { description: 'Missing or invalid token' },
  403: { description: 'Token lacks the scope or site' },
  404: { description: 'Unknown site, form or lead' },
  422: { description: 'Validation failed; `errors` lists each field' },
} as const
