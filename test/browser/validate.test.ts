// The widget's pure validation, as a table of cases. It needs no browser, but it is
// widget code and runs with the widget's tests (Node, the `browser` project).
import { describe, expect, it } from 'vitest'
import { validate, type Problem, type Rule, type Values } from '../../widget/form/validate'

const RULES: Rule[] = [
  { name: 'email', type: 'email', required: true },
  { name: 'website', type: 'url', required: false },
  { name: 'employees', type: 'number', required: false },
  { name: 'message', type: 'textarea', required: false, maxLength: 10 },
  { name: 'consent:marketing_email', type: 'checkbox', required: true },
]

const VALID: Values = { email: 'a.b@firma.de', 'consent:marketing_email': true }

const CASES: [string, Values, Record<string, Problem>][] = [
  ['all required given', VALID, {}],
  ['empty form', {}, { email: 'required', 'consent:marketing_email': 'required' }],
  [
    'unticked required consent',
    { ...VALID, 'consent:marketing_email': false },
    { 'consent:marketing_email': 'required' },
  ],
  ['email without domain dot', { ...VALID, email: 'a@firma' }, { email: 'email' }],
  ['email with a space', { ...VALID, email: 'a b@firma.de' }, { email: 'email' }],
  ['email with an umlaut domain', { ...VALID, email: 'info@müller.de' }, {}],
  ['email with a sharp s domain', { ...VALID, email: 'post@straße.de' }, {}],
  ['email label ending in a hyphen', { ...VALID, email: 'anna@firma-.de' }, { email: 'email' }],
  ['email local part of 65', { ...VALID, email: `${'a'.repeat(65)}@firma.de` }, { email: 'email' }],
  ['email local part of 64', { ...VALID, email: `${'a'.repeat(64)}@firma.de` }, {}],
  ['email label of 64', { ...VALID, email: `anna@${'a'.repeat(64)}.de` }, { email: 'email' }],
  ['email with a trailing dot', { ...VALID, email: 'anna@firma.de.' }, { email: 'email' }],
  ['optional fields empty', { ...VALID, website: '', employees: '' }, {}],
  ['url without scheme', { ...VALID, website: 'firma.de' }, { website: 'url' }],
  ['url with https', { ...VALID, website: 'https://firma.de' }, {}],
  ['javascript: url', { ...VALID, website: 'javascript:alert(1)' }, { website: 'url' }],
  ['not a number', { ...VALID, employees: 'many' }, { employees: 'number' }],
  ['a number', { ...VALID, employees: '250' }, {}],
  // As the worker takes a number (docs/completeness.md#text-and-urls): decimal, no exponent.
  ['a number with an exponent', { ...VALID, employees: '1e3' }, { employees: 'number' }],
  ['a negative decimal', { ...VALID, employees: '-2.5' }, {}],
  ['past maxLength', { ...VALID, message: 'x'.repeat(11) }, { message: 'too_long' }],
  ['at maxLength', { ...VALID, message: 'x'.repeat(10) }, {}],
]

describe('validate (widget form, pure)', () => {
  it.each(CASES)('%s', (_name, values, expected) => {
    expect(validate(RULES, values)).toEqual(expected)
  })

  it('bounds text without maxLength at the contract limit of 5000 characters', () => {
    const rules: Rule[] = [{ name: 'company', type: 'text', required: false }]
    expect(validate(rules, { company: 'x'.repeat(5000) })).toEqual({})
    expect(validate(rules, { company: 'x'.repeat(5001) })).toEqual({ company: 'too_long' })
  })
})
