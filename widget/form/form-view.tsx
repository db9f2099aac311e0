import { h, type TargetedSubmitEvent } from 'preact'
import type { LeadSubmissionResult } from '../../shared/leads'
import type { PublicField, PublicForm } from '../../shared/form'
import type { Strings } from './i18n'

/** The honeypot's name; field names must start with a letter, so it cannot clash with one. */
export const HONEYPOT = '_website'
/** Consent checkboxes are named after their purpose with this prefix. */
export const CONSENT = 'consent:'

/** What the form shows beyond its configuration. */
export type ViewState = {
  /** A message per field name (or consent checkbox name). */
  errors?: Record<string, string>
  /** A message not tied to one field. */
  message?: string
  busy?: boolean
  result?: LeadSubmissionResult
}

/** Browser autofill hints for the standard lead fields (WCAG 1.3.5, HTML `autocomplete`). */
const AUTOCOMPLETE: Record<string, string> = {
  email: 'email',
  firstName: 'given-name',
  lastName: 'family-name',
  company: 'organization',
  jobTitle: 'organization-title',
  phone: 'tel',
  website: 'url',
  country: 'country-name',
}

type Props = {
  form: PublicForm
  state: ViewState
  strings: Strings
  /**
   * The fields to ask: the form's, less those already known (progressive profiling), then its
   * consents as checkboxes named `consent:<purpose>`.
   */
  fields: PublicField[]
  onSubmit: (event: TargetedSubmitEvent<HTMLFormElement>) => void
  onInput: () => void
  /** Present in a popup: closes it. */
  onClose?: () => void
}

/** Text ids are unique per shadow root, so plain ids are enough for `for` and `aria-describedby`. */
const errorId = (name: string) => name + '-error'

/** A control's message, if it has one; called as a function, not mounted as a component: fewer bytes. */
const errorText = (name: string, errors?: Record<string, string>) =>
  errors?.[name] ? (
    <p id={errorId(name)} class="e" part="error">
      {errors[name]}
    </p>
  ) : null

/** ARIA wiring of a control: invalid state, its message and its help (WAI-ARIA `aria-describedby`). */
const describe = (name: string, errors?: Record<string, string>, help?: string) => {
  const ids = [errors?.[name] && errorId(name), help && name + '-help'].filter(Boolean).join(' ')
  return { 'aria-invalid': !!errors?.[name] || undefined, 'aria-describedby': ids || undefined }
}

/**
 * One lead-magnet form: its fields, the site's consent texts as unticked checkboxes,
 * a honeypot, and after a submission the thanks and the download. Inputs are
 * uncontrolled; the submit handler reads them with `FormData`.
 */
export const FormView = ({ form, fields, state, strings, onSubmit, onInput, onClose }: Props) => {
  const { errors, result } = state
  // Last in the DOM, so a dialog's initial focus lands on the first field (HTML: dialog focusing steps).
  const close = onClose && (
    <button type="button" class="x" aria-label={strings.close} onClick={onClose}>
      ×
    </button>
  )
  // `lang` on the form's root: a German form on an English page is read out in German (WCAG 3.1.2).
  if (result)
    return (
      <div class="d" role="status" lang={form.locale} part="form">
        <h2 id="_title" tabIndex={-1} part="title">
          {form.thanks || strings.thanks}
        </h2>
        {result.download && (
          <a class="b" part="button" href={result.download.url} download={result.download.filename}>
            {strings.download}: {result.download.filename}
          </a>
        )}
        {result.receiptUrl && (
          <a href={result.receiptUrl} target="_blank" rel="noopener">
            {strings.receipt}
          </a>
        )}
        {close}
      </div>
    )
  return (
    <form
      noValidate
      lang={form.locale}
      aria-labelledby="_title"
      onSubmit={onSubmit}
      onInput={onInput}
      part="form"
    >
      <h2 id="_title" part="title">
        {form.title}
      </h2>
      {form.description && <p part="description">{form.description}</p>}
      {fields.map(({ name, type, label, help, placeholder, required, options, maxLength }) => {
        const control = {
          id: name,
          name,
          required,
          maxLength,
          placeholder,
          autoComplete: AUTOCOMPLETE[name],
          part: 'input',
          ...describe(name, errors, help),
        }
        return (
          <div key={name}>
            {type == 'checkbox' ? (
              <label class="c" part="label">
                <input type="checkbox" {...control} />
                {label}
              </label>
            ) : (
              <label for={name} part="label">
                {label}
                {required && <span aria-hidden="true"> *</span>}
              </label>
            )}
            {type == 'textarea' ? (
              <textarea rows={4} {...control} />
            ) : type == 'select' ? (
              <select {...control}>
                <option value="" />
                {options?.map((option) =>
                  typeof option == 'string' ? (
                    <option key={option}>{option}</option>
                  ) : (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ),
                )}
              </select>
            ) : (
              // One of email, tel, text, url, number here; Preact types each input type apart.
              type != 'checkbox' && <input type={type as 'text'} {...control} />
            )}
            {help && (
              <p id={name + '-help'} class="i" part="help">
                {help}
              </p>
            )}
            {errorText(name, errors)}
          </div>
        )
      })}
      {/* Cloudflare Turnstile, where the site has it: its container is light DOM (see turnstile.ts). */}
      <slot name="t" />
      {/* Bots fill every field; people never see this one (hidden from sight, focus and assistive tech). */}
      <div class="h" aria-hidden="true">
        <label for={HONEYPOT}>{strings.honeypot}</label>
        <input id={HONEYPOT} name={HONEYPOT} tabIndex={-1} autoComplete="off" />
      </div>
      {state.message && (
        <p class="e" role="alert" part="error">
          {state.message}
        </p>
      )}
      {/* Busy while it sends, or waits out the minimum fill time: disabled against a second submit. */}
      <button type="submit" disabled={state.busy} aria-busy={state.busy} part="button">
        {state.busy ? strings.sending : form.submitLabel || strings.submit}
      </button>
      {close}
    </form>
  )
}
