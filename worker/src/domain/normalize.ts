import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'
import { z } from 'zod'
import { CONTROL_CHARS } from '../../../shared/common'
import type { FormField } from '../../../shared/form'
import type { ProblemError } from '../../../shared/problem'
import { isDisposableDomain } from './disposable'

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
  | { ok: false; disposable: boolean; errors: ProblemError[] }

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
  const errors: ProblemError[] = []
  const byName = new Map(fields.map((field) => [field.name, field]))
  const values: Record<string, FieldValue> = {}
  let email: NormalisedEmail | null = null
  let disposable = false

  for (const [name, input] of Object.entries(raw)) {
    const field = byName.get(name)
    const path = `fields.${name}`
    if (!field) {
      errors.push({ path, message: 'is not a field of this form' })
      continue
    }
    if (field.type === 'checkbox') {
      if (typeof input !== 'boolean') errors.push({ path, message: 'must be true or false' })
      else values[name] = input
      continue
    }
    if (typeof input !== 'string') {
      errors.push({ path, message: 'must be text' })
      continue
    }
    const text = field.type === 'textarea' ? normaliseMultiline(input) : normaliseLine(input)
    if (text === null) {
      errors.push({ path, message: 'must not contain control characters' })
      continue
    }
    if (text === '') continue
    const max = field.maxLength ?? DEFAULT_MAX[field.type] ?? 200
    if (text.length > max) {
      errors.push({ path, message: `must be at most ${max} characters` })
      continue
    }
    switch (field.type) {
      case 'email': {
        const parsed = normaliseEmail(text)
        if (!parsed) errors.push({ path, message: 'is not a valid email address' })
        else if (isDisposableDomain(parsed.domain)) {
          disposable = true
          errors.push({
            path,
            message: 'Please use a permanent email address, not a disposable one.',
          })
        } else {
          values[name] = parsed.email
          if (name === 'email') email = parsed
        }
        break
      }
      case 'tel': {
        const phone = normalisePhone(text, country)
        if (!phone) errors.push({ path, message: 'is not a valid phone number' })
        else values[name] = phone
        break
      }
      case 'url':
        if (!isHttpUrl(text)) errors.push({ path, message: 'must be an http or https URL' })
        else values[name] = text
        break
      case 'number':
        if (!/^-?\d+(\.\d+)?$/.test(text)) errors.push({ path, message: 'must be a number' })
        else values[name] = text
        break
      case 'select':
        if (field.options && !field.options.includes(text)) {
          errors.push({ path, message: 'is not one of the choices' })
        } else values[name] = text
        break
      default:
        values[name] = text
    }
  }

  if (!email && !errors.some((error) => error.path === 'fields.email')) {
    errors.push({ path: 'fields.email', message: 'an email address is required' })
  }
  if (errors.length || !email) return { ok: false, disposable, errors }
  return { ok: true, email, values }
}
