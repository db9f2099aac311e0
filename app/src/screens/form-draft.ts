import type { Localized } from '../../../shared/common'
import type { Form, FormInput } from '../../../shared/form'
import { FIELD_TYPES, FORM_KINDS, type FieldType, type FormKind } from '../../../shared/vocabulary'
import type { Locale as Lang } from '../../../shared/common'

/**
 * The form builder's model (docs/app.md#forms): a form as the editor holds it, every text one
 * string per language of the form, turned into the API's `FormInput` to preview and to save, and
 * checked here first with the API's paths, so the browser's errors and the API's show alike.
 */

export type Texts = Partial<Record<Lang, string>>

export { FIELD_TYPES }

export interface FieldDraft {
  /** Stable across reordering, for Preact's keys and the controls' ids. */
  key: string
  name: string
  type: FieldType
  required: boolean
  label: Texts
  help: Texts
  placeholder: Texts
  options: { value: string; label: Texts }[]
  /** The most characters an answer may have; empty: the type's own bound. */
  maxLength: string
}

export interface ConsentDraft {
  key: string
  purpose: string
  required: boolean
  text: Texts
}

export const TRIGGERS = ['exit_intent', 'scroll', 'delay', 'click'] as const
export const MOBILE_TRIGGERS = ['scroll_up', 'scroll', 'delay'] as const
export const FREQUENCIES = ['session', 'days', 'until_submit'] as const

export interface Draft {
  formId: string
  kind: FormKind
  locales: Lang[]
  title: Texts
  description: Texts
  fields: FieldDraft[]
  consents: ConsentDraft[]
  submitLabel: Texts
  thanks: Texts
  /** What follows a submission: the thank-you text alone, or with the gated file's download. */
  after: 'message' | 'download'
  assetUrl: string
  assetName: string
  display: 'inline' | 'popup'
  trigger: (typeof TRIGGERS)[number]
  /**
   * Scroll depth in %, delay in seconds, or the CSS selector of `click`; empty (not for `click`)
   * leaves the widget's default (half the page, 5 seconds).
   */
  triggerValue: string
  /** On phones and tablets, where exit intent never fires: `same` keeps the trigger above. */
  mobile: 'same' | (typeof MOBILE_TRIGGERS)[number]
  mobileValue: string
  frequency: (typeof FREQUENCIES)[number]
  days: string
}

let counter = 0
export const newKey = () => `k${Date.now().toString(36)}${(counter++).toString(36)}`

const textsOf = (text: Localized | null | undefined, locales: Lang[]): Texts => {
  if (text == null) return {}
  if (typeof text === 'string') return Object.fromEntries(locales.map((l) => [l, text]))
  return Object.fromEntries(locales.map((l) => [l, text[l] ?? '']))
}

/** A field's type by its name, as one adds it: email is email, phone is tel, and so on. */
export const typeFor = (name: string): FieldType =>
  name === 'email'
    ? 'email'
    : name === 'phone'
      ? 'tel'
      : name === 'website'
        ? 'url'
        : name === 'message'
          ? 'textarea'
          : name === 'employees'
            ? 'number'
            : 'text'

export const blankField = (name: string, label: Texts): FieldDraft => ({
  key: newKey(),
  name,
  type: typeFor(name),
  required: name === 'email',
  label,
  help: {},
  placeholder: {},
  options: [],
  maxLength: '',
})

/** A new form: an email field and nothing else, in the site's language. */
export function newDraft(locale: Lang, emailLabel: Texts): Draft {
  return {
    formId: '',
    kind: FORM_KINDS[0],
    locales: [locale],
    title: {},
    description: {},
    fields: [blankField('email', emailLabel)],
    consents: [],
    submitLabel: {},
    thanks: {},
    after: 'message',
    assetUrl: '',
    assetName: '',
    display: 'inline',
    trigger: 'exit_intent',
    triggerValue: '',
    mobile: 'same',
    mobileValue: '',
    frequency: 'session',
    days: '',
  }
}

export function draftOf(form: Form): Draft {
  const locales = form.locales.filter((l): l is Lang => l === 'de' || l === 'en')
  const popup = form.popup
  return {
    formId: form.formId,
    kind: form.kind,
    locales,
    title: textsOf(form.title, locales),
    description: textsOf(form.description, locales),
    fields: form.fields.map((field) => ({
      key: newKey(),
      name: field.name,
      type: field.type,
      required: field.required,
      label: textsOf(field.label, locales),
      help: textsOf(field.help, locales),
      placeholder: textsOf(field.placeholder, locales),
      options: (field.options ?? []).map((option) =>
        typeof option === 'string'
          ? { value: option, label: textsOf(option, locales) }
          : { value: option.value, label: textsOf(option.label, locales) },
      ),
      maxLength: field.maxLength === undefined ? '' : String(field.maxLength),
    })),
    consents: form.consents.map((consent) => ({
      key: newKey(),
      purpose: consent.purpose,
      required: consent.required,
      text: consent.texts
        ? Object.fromEntries(locales.map((l) => [l, consent.texts?.[l]?.text ?? consent.text]))
        : textsOf(consent.text, locales),
    })),
    submitLabel: textsOf(form.submitLabel, locales),
    thanks: textsOf(form.thanks, locales),
    after: form.asset ? 'download' : 'message',
    assetUrl: form.asset?.url ?? '',
    assetName: form.asset?.filename ?? '',
    display: popup ? 'popup' : 'inline',
    trigger: popup?.trigger ?? 'exit_intent',
    triggerValue: popup?.value === undefined ? '' : String(popup.value),
    mobile: popup?.mobile?.trigger ?? 'same',
    mobileValue: popup?.mobile?.value === undefined ? '' : String(popup.mobile.value),
    frequency: popup?.frequency ?? 'session',
    days: popup?.days === undefined ? '' : String(popup.days),
  }
}

/** The words of a check, in the reader's language (`form-builder-editor.tsx` has them). */
export interface CheckWords {
  needed: string
  idBad: string
  nameBad: string
  nameTwice: string
  purposeBad: string
  purposeTwice: string
  emailNeeded: string
  optionsNeeded: string
  urlBad: string
  numberBad: string
  percentBad: string
  lengthBad: string
  allLanguages: string
  selectorNeeded: string
  daysBad: string
  languagesNeeded: string
}

export type Errors = Record<string, string>

const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/
const FIELD_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/
const isNumber = (text: string, min: number, max: number) =>
  /^\d+(\.\d+)?$/.test(text.trim()) && Number(text) >= min && Number(text) <= max
/** Empty, or a number from `min` to `max`. */
const unsetOr = (text: string, min: number, max: number) => !text.trim() || isNumber(text, min, max)
const isWebAddress = (text: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(text.trim()).protocol)
  } catch {
    return false
  }
}

/** Fields whose answer is typed, so that a placeholder and a length bound mean something. */
export const typed = (type: FieldType) => type !== 'checkbox' && type !== 'select'

/** Every mistake the browser can see, by the API's path (`fields.2.label.de`). */
export function check(draft: Draft, words: CheckWords, creating: boolean): Errors {
  const found: Errors = {}
  /** A required text in every language; an optional one in every language once in any. */
  const texts = (path: string, value: Texts, required: boolean) => {
    const some = draft.locales.some((l) => value[l]?.trim())
    for (const locale of draft.locales)
      if ((required || some) && !value[locale]?.trim())
        found[`${path}.${locale}`] = required ? words.needed : words.allLanguages
  }
  if (!draft.locales.length) found.locales = words.languagesNeeded
  if (creating && !SLUG.test(draft.formId)) found.formId = words.idBad
  texts('title', draft.title, true)
  texts('description', draft.description, false)
  texts('submitLabel', draft.submitLabel, false)
  texts('thanks', draft.thanks, false)
  if (!draft.fields.some((field) => field.name === 'email')) found.fields = words.emailNeeded
  draft.fields.forEach((field, i) => {
    if (!FIELD_NAME.test(field.name)) found[`fields.${i}.name`] = words.nameBad
    else if (draft.fields.findIndex((other) => other.name === field.name) < i)
      found[`fields.${i}.name`] = words.nameTwice
    texts(`fields.${i}.label`, field.label, true)
    texts(`fields.${i}.help`, field.help, false)
    if (typed(field.type)) {
      texts(`fields.${i}.placeholder`, field.placeholder, false)
      if (!/^\d*$/.test(field.maxLength.trim()) || !unsetOr(field.maxLength, 1, 5000))
        found[`fields.${i}.maxLength`] = words.lengthBad
    }
    if (field.type === 'select') {
      if (!field.options.length) found[`fields.${i}.options`] = words.optionsNeeded
      field.options.forEach((option, j) => {
        if (!option.value.trim()) found[`fields.${i}.options.${j}.value`] = words.needed
        texts(`fields.${i}.options.${j}.label`, option.label, true)
      })
    }
  })
  draft.consents.forEach((consent, i) => {
    if (!SLUG.test(consent.purpose)) found[`consents.${i}.purpose`] = words.purposeBad
    else if (draft.consents.findIndex((other) => other.purpose === consent.purpose) < i)
      found[`consents.${i}.purpose`] = words.purposeTwice
    texts(`consents.${i}.text`, consent.text, true)
  })
  if (draft.after === 'download') {
    if (!isWebAddress(draft.assetUrl)) found['asset.url'] = words.urlBad
    if (!draft.assetName.trim()) found['asset.filename'] = words.needed
  }
  if (draft.display === 'popup') {
    if (draft.trigger === 'click' && !draft.triggerValue.trim())
      found['popup.value'] = words.selectorNeeded
    if (draft.trigger === 'scroll' && !unsetOr(draft.triggerValue, 0, 100))
      found['popup.value'] = words.percentBad
    if (draft.trigger === 'delay' && !unsetOr(draft.triggerValue, 0, 3600))
      found['popup.value'] = words.numberBad
    if (mobileApplies(draft) && draft.mobile !== 'same') {
      const percent = draft.mobile !== 'delay'
      if (!unsetOr(draft.mobileValue, 0, percent ? 100 : 3600))
        found['popup.mobile.value'] = percent ? words.percentBad : words.numberBad
    }
    if (
      draft.frequency === 'days' &&
      (!/^\d*$/.test(draft.days.trim()) || !unsetOr(draft.days, 1, 365))
    )
      found['popup.days'] = words.daysBad
  }
  return found
}

/** A click works on a phone as it does elsewhere, so only other triggers have a mobile one. */
export const mobileApplies = (draft: Draft) => draft.trigger !== 'click'

/** The draft as the API takes it; texts and numbers left empty are left out where they may be. */
export function toInput(draft: Draft): FormInput {
  const pick = (value: Texts) =>
    Object.fromEntries(draft.locales.map((l) => [l, value[l]?.trim() ?? '']))
  const optional = (value: Texts) =>
    draft.locales.some((l) => value[l]?.trim()) ? pick(value) : undefined
  const number = (text: string) => (text.trim() ? Number(text) : undefined)
  const popupValue =
    draft.trigger === 'click'
      ? draft.triggerValue.trim()
      : draft.trigger === 'exit_intent'
        ? undefined
        : number(draft.triggerValue)
  const mobileValue = number(draft.mobileValue)
  const days = number(draft.days)
  return {
    kind: draft.kind,
    title: pick(draft.title),
    ...(optional(draft.description) ? { description: optional(draft.description) } : {}),
    fields: draft.fields.map((field) => ({
      name: field.name,
      type: field.type,
      required: field.required,
      label: pick(field.label),
      ...(optional(field.help) ? { help: optional(field.help) } : {}),
      ...(typed(field.type) && optional(field.placeholder)
        ? { placeholder: optional(field.placeholder) }
        : {}),
      ...(typed(field.type) && number(field.maxLength) !== undefined
        ? { maxLength: number(field.maxLength) }
        : {}),
      ...(field.type === 'select'
        ? {
            options: field.options.map((option) => ({
              value: option.value.trim(),
              label: pick(option.label),
            })),
          }
        : {}),
    })),
    consents: draft.consents.map((consent) => ({
      purpose: consent.purpose,
      required: consent.required,
      text: pick(consent.text),
    })),
    ...(draft.after === 'download'
      ? { asset: { url: draft.assetUrl.trim(), filename: draft.assetName.trim() } }
      : {}),
    ...(draft.display === 'popup'
      ? {
          popup: {
            trigger: draft.trigger,
            ...(popupValue === undefined ? {} : { value: popupValue }),
            frequency: draft.frequency,
            ...(draft.frequency === 'days' && days !== undefined ? { days } : {}),
            ...(draft.mobile === 'same' || !mobileApplies(draft)
              ? {}
              : {
                  mobile: {
                    trigger: draft.mobile,
                    ...(mobileValue === undefined ? {} : { value: mobileValue }),
                  },
                }),
          },
        }
      : {}),
    ...(optional(draft.submitLabel) ? { submitLabel: optional(draft.submitLabel) } : {}),
    ...(optional(draft.thanks) ? { thanks: optional(draft.thanks) } : {}),
  }
}

/** Two drafts hold the same form (keys aside): whether there is anything to save. */
export const sameForm = (a: Draft, b: Draft) =>
  JSON.stringify(toInput(a)) === JSON.stringify(toInput(b)) && a.formId === b.formId

/** Moves the item at `from` to `to` (both indexes into `items`). */
export const moved = <T>(items: T[], from: number, to: number): T[] => {
  const next = [...items]
  const [item] = next.splice(from, 1)
  next.splice(to, 0, item!)
  return next
}
