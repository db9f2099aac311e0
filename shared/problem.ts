import { z } from 'zod'

/** `application/problem+json` (RFC 9457) with a stable `code` and, for validation, `errors`. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
})
export type Problem = z.infer<typeof ProblemSchema>
export type ProblemError = NonNullable<Problem['errors']>[number]

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'
