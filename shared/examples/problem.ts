/** Example of a problem answer (`../problem.ts`). */

export const PROBLEM_EXAMPLE = {
  type: 'https://lodestone.dev/problems/validation_failed',
  title: 'Unprocessable Content',
  status: 422,
  detail: 'Some fields are not valid.',
  code: 'validation_failed',
  errors: [{ path: 'fields.email', message: 'is not a valid email address' }],
}
