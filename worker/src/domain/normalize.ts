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
  /**
   * As typed, with the domain lower-cased (and NFC-normalised): an internationalised domain is
   * shown as the person wrote it, `info@müller.de` (docs/completeness.md#email).
   */
  email: string
  /** Lower-cased, domain as its ASCII (A-label) form: what two submissions are compared by. */
  key: string
  /** The ASCII (A-label) domain, as lists of domains hold it: `xn--mller-kva.de`. */
  domain: string
}

/** The local part's syntax, checked on `local@example.com` so the domain is checked below. */
const EMAIL = z.email()
/** RFC 5321 §4.5.3.1: a local part has at most 64 octets, a path at most 254. */
const MAX_LOCAL = 64
const MAX_ADDRESS = 254
/** An A-label or LDH label (RFC 5890 §2.3.1): no hyphen at either end, at most 63 octets. */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
/** A top-level domain is letters or an A-label, never digits (RFC 3696 §2). */
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/
/** Label separators UTS #46 maps to a full stop (ideographic and fullwidth ones). */
const DOTS = /[.\u3002\uff0e\uff61]/
/** What the URL parser would read as something other than a host. */
const NOT_HOST = /[\s/\\?#@:%[\]<>^|"']/

/**
 * A domain's ASCII form (UTS #46, as the URL standard maps hosts: `Müller.de` and
 * `xn--mller-kva.de` are one host), or `null` when it is not a valid domain name.
 */
export function asciiDomain(domain: string): string | null {
  if (!domain || NOT_HOST.test(domain)) return null
  // A U-label's hyphens are checked as typed: `müller-` becomes `xn--mller--...`, no hyphen at the end.
  if (domain.split(DOTS).some((label) => label.startsWith('-') || label.endsWith('-'))) return null
  let host: string
  try {
    host = new URL(`http://${domain}`).hostname
  } catch {
    return null
  }
  const labels = host.split('.')
  if (host.length > 253 || labels.length < 2) return null
  if (!labels.every((label) => LABEL.test(label)) || !TLD.test(labels.at(-1)!)) return null
  return host
}

export function normaliseEmail(raw: string): NormalisedEmail | null {
  const value = raw.trim()
  const at = value.lastIndexOf('@')
  const local = value.slice(0, at)
  if (at < 1 || local.length > MAX_LOCAL) return null
  const domain = asciiDomain(value.slice(at + 1))
  if (!domain || local.length + 1 + domain.length > MAX_ADDRESS) return null
  if (!EMAIL.safeParse(`${local}@example.com`).success) return null
  const email = `${local}@${value
    .slice(at + 1)
    .normalize('NFC')
    .toLowerCase()}`
  return { email, key: `${local.toLowerCase()}@${domain}`, domain }
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

/** German words for an extension, read as libphonenumber's `ext.` (which knows `ext`, `x`, `#`). */
const GERMAN_EXTENSION = /\s*(?:durchwahl|dw\.?|app\.)\s*(\d{1,10})\s*$/i

/**
 * A phone number as E.164, with its extension kept in the RFC 3966 form: `+49301234567;ext=12`
 * (docs/completeness.md#phone).
 */
export function normalisePhone(raw: string, country: string): string | null {
  const phone = parsePhoneNumberFromString(
    raw.replace(GERMAN_EXTENSION, ' ext. $1'),
    country as CountryCode,
  )
  if (!phone || !phone.isValid()) return null
  return phone.ext ? `${phone.number};ext=${phone.ext}` : phone.number
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
  /** A released spam submission (docs/spam-and-abuse.md#release): a person judged the address. */
  options: { allowDisposable?: boolean } = {},
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
        else if (!options.allowDisposable && isDisposableDomain(parsed.domain)) {
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
