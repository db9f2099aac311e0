import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'
import { z } from 'zod'
import { CONTROL_CHARS } from '../../../shared/common'
import type { FormField } from '../../../shared/form'
import { fieldError, type FieldError } from '../lib/problem'
import { isDisposableDomain } from './disposable'

/** A select option's value: a plain option is its own value. */
const optionValue = (option: NonNullable<FormField['options']>[number]) =>
  typeof option === 'string' ? option : option.value

/** A normalised field value: text, or a checkbox's boolean. */
export type FieldValue = string | boolean

export interface NormalisedEmail {
  /** As typed, with the domain lower-cased (docs/completeness.md#email). */
  email: string
  /** Lower-cased whole: what two submissions are compared by. */
  key: string
  domain: string
}

const EMAIL = z.email()

export function normaliseEmail(raw: string): NormalisedEmail | null {
  const value = raw.trim()
  if (value.length > 254 || !EMAIL.safeParse(value).success) return null
  const at = value.lastIndexOf('@')
  const domain = value.slice(at + 1).toLowerCase()
  const email = `${value.slice(0, at)}@${domain}`
  return { email, key: email.toLowerCase(), domain }
}

/** Trims, collapses runs of white space to one space; `null` when control characters remain. */
export function normaliseLine(raw: string): string | null {
  if (CONTROL_CHARS.test(raw)) return null
  return raw.replace(/\s+/g, ' ').trim()
}

/** Multi-line text keeps its line breaks, at most one blank line between paragraphs. */
export function normaliseMultiline(raw: string): string | null {
  if (CONTROL_CHARS.test(raw)) return null
  return raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

export function normalisePhone(raw: string, country: string): string | null {
  const phone = parsePhoneNumberFromString(raw, country as CountryCode)
  return phone && phone.isValid() ? phone.number : null
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

const DEFAULT_MAX: Record<string, number> = { textarea: 5000, email: 254, url: 2048 }

export type NormaliseResult =
  | { ok: true; email: NormalisedEmail; values: Record<string, FieldValue> }
  | { ok: false; disposable: boolean; errors: FieldError[] }

/**
 * Checks and normalises a submission's fields against its form
 * (docs/completeness.md#normalisation). Empty values are dropped (they never overwrite what a lead
 * said before); a field the form does not have is refused.
 */
export function normaliseFields(
  fields: FormField[],
  raw: Record<string, FieldValue>,
  country: string,
): NormaliseResult {
  const errors: FieldError[] = []
  const byName = new Map(fields.map((field) => [field.name, field]))
  const values: Record<string, FieldValue> = {}
  let email: NormalisedEmail | null = null
  let disposable = false

  for (const [name, input] of Object.entries(raw)) {
    const field = byName.get(name)
    const path = `fields.${name}`
    if (!field) {
      errors.push(
        fieldError(
          path,
          'invalid',
          'is not a field of this form',
          'ist kein Feld dieses Formulars',
        ),
      )
      continue
    }
    if (field.type === 'checkbox') {
      if (typeof input !== 'boolean')
        errors.push(
          fieldError(path, 'invalid', 'must be true or false', 'muss wahr oder falsch sein'),
        )
      else values[name] = input
      continue
    }
    if (typeof input !== 'string') {
      errors.push(fieldError(path, 'invalid', 'must be text', 'muss Text sein'))
      continue
    }
    const text = field.type === 'textarea' ? normaliseMultiline(input) : normaliseLine(input)
    if (text === null) {
      errors.push(
        fieldError(
          path,
          'invalid',
          'must not contain control characters',
          'darf keine Steuerzeichen enthalten',
        ),
      )
      continue
    }
    if (text === '') continue
    const max = field.maxLength ?? DEFAULT_MAX[field.type] ?? 200
    if (text.length > max) {
      errors.push(
        fieldError(
          path,
          'too_long',
          `must be at most ${max} characters`,
          `darf höchstens ${max} Zeichen lang sein`,
        ),
      )
      continue
    }
    switch (field.type) {
      case 'email': {
        const parsed = normaliseEmail(text)
        if (!parsed)
          errors.push(
            fieldError(
              path,
              'email',
              'is not a valid email address',
              'ist keine gültige E-Mail-Adresse',
            ),
          )
        else if (isDisposableDomain(parsed.domain)) {
          disposable = true
          errors.push(
            fieldError(
              path,
              'disposable',
              'Please use a permanent email address, not a disposable one.',
              'Bitte verwenden Sie eine dauerhafte E-Mail-Adresse, keine Wegwerfadresse.',
            ),
          )
        } else {
          values[name] = parsed.email
          if (name === 'email') email = parsed
        }
        break
      }
      case 'tel': {
        const phone = normalisePhone(text, country)
        if (!phone)
          errors.push(
            fieldError(
              path,
              'phone',
              'is not a valid phone number',
              'ist keine gültige Telefonnummer',
            ),
          )
        else values[name] = phone
        break
      }
      case 'url':
        if (!isHttpUrl(text))
          errors.push(
            fieldError(
              path,
              'url',
              'must be an http or https URL',
              'muss eine http- oder https-Adresse sein',
            ),
          )
        else values[name] = text
        break
      case 'number':
        if (!/^-?\d+(\.\d+)?$/.test(text))
          errors.push(fieldError(path, 'number', 'must be a number', 'muss eine Zahl sein'))
        else values[name] = text
        break
      case 'select':
        // Options are compared by value: the label may be in the visitor's language.
        if (field.options && !field.options.some((option) => optionValue(option) === text)) {
          errors.push(
            fieldError(
              path,
              'option',
              'is not one of the choices',
              'ist keine der Auswahlmöglichkeiten',
            ),
          )
        } else values[name] = text
        break
      default:
        values[name] = text
    }
  }

  if (!email && !errors.some((error) => error.path === 'fields.email')) {
    errors.push(
      fieldError(
        'fields.email',
        'required',
        'an email address is required',
        'eine E-Mail-Adresse ist erforderlich',
      ),
    )
  }
  if (errors.length || !email) return { ok: false, disposable, errors }
  return { ok: true, email, values }
}
