import type { FormField } from '../../shared/form'

/** What a field's value is checked against; consents are checked as required checkboxes. */
export type Rule = Pick<FormField, 'name' | 'type' | 'required'> & { maxLength?: number }

/** The value of each field as read from the form: text trimmed, checkboxes as booleans. */
export type Values = Record<string, string | boolean>

/** Why a value was refused; the form turns the code into a message in the page's language. */
export type Problem = 'required' | 'email' | 'url' | 'number' | 'tooLong'

/**
 * Loose, but it agrees with the worker on lengths and hyphens: a local part of at most 64
 * characters, two or more labels of at most 63 that neither start nor end with `-`, any
 * script (`info@müller.de`). The worker checks the rest (docs/completeness.md#email).
 */
const EMAIL = /^[^\s@]{1,64}@((?!-)[^\s@.]{1,63}(?<!-)(\.(?!$)|$)){2,}$/

/**
 * Checks values against their fields before anything is sent. Pure: the same
 * input gives the same answer, so it is tested with tables of cases.
 * @returns the fields that failed, each with its first problem; empty when all pass
 */
export const validate = (rules: Rule[], values: Values): Record<string, Problem> => {
  const problems: Record<string, Problem> = {}
  for (const { name, type, required, maxLength } of rules) {
    const value = values[name]
    const problem: Problem | false | undefined = !value
      ? required && 'required'
      : typeof value == 'string' &&
        (value.length > (maxLength || 5000)
          ? 'tooLong'
          : type == 'email'
            ? !EMAIL.test(value) && 'email'
            : type == 'url'
              ? !/^https?:\/\/\S+\.\S+$/i.test(value) && 'url'
              : type == 'number' && !isFinite(+value) && 'number')
    if (problem) problems[name] = problem
  }
  return problems
}
