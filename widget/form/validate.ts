import type { FormField } from '../../shared/form'
import type { FieldReason } from '../../shared/problem'

/** What a field's value is checked against; consents are checked as required checkboxes. */
export type Rule = Pick<FormField, 'name' | 'type' | 'required'> & { maxLength?: number }

/** The value of each field as read from the form: text trimmed, checkboxes as booleans. */
export type Values = Record<string, string | boolean>

/**
 * Why a value was refused, named as the collector names it (`errors[].reason`); the form turns
 * it into a message in its language.
 */
export type Problem = Extract<FieldReason, 'required' | 'email' | 'url' | 'number' | 'too_long'>

/**
 * The syntax a value of each checked type must have; the type is also the name of the problem.
 * The email check is loose, but agrees with the worker on lengths and hyphens: a local part of
 * at most 64 characters, labels of at most 63 that neither start nor end with `-`, any script
 * (`info@müller.de`). A number is a decimal number, as the worker takes it. The worker checks
 * the rest (docs/completeness.md#normalisation).
 */
const SYNTAX: Partial<Record<string, RegExp>> = {
  email: /^[^\s@]{1,64}@((?!-)[^\s@.]{1,63}(?<!-)\.)+[^\s@.]+$/,
  url: /^https?:\/\/\S+\.\S+$/i,
  number: /^-?\d+(\.\d+)?$/,
}

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
          ? 'too_long'
          : SYNTAX[type]?.test(value) == false && (type as Problem))
    if (problem) problems[name] = problem
  }
  return problems
}
