import { h, render, type TargetedSubmitEvent } from 'preact'
import type { Utm } from '../../shared/common'
import type { PublicField, PublicForm } from '../../shared/form'
import type { LeadSubmission } from '../../shared/leads'
import type { Problem as ProblemBody, ProblemCode } from '../../shared/problem'
import type { EventType } from '../../shared/events'
import type { FormStart, LodestoneGlobal } from '../../shared/widget'
import type { Ctx } from '../context'
import { CONSENT, FormView, HONEYPOT, type ViewState } from './form-view'
import { pickStrings, type ShownCode } from './i18n'
import { remember } from './memory'
import { challenge } from './turnstile'
import { validate, type Rule, type Values } from './validate'

/** A form submitted in this document, or (with consent) in an earlier one: no popups for it. */
export const SUBMITTED = 'lodestone.s.'

declare const lodestone: LodestoneGlobal

/**
 * The UTM parameters of a query string (the landing page's, `ctx.u`), to the contract's bounds:
 * control characters dropped, 200 characters at most.
 */
const utmOf = (search: string) => {
  let utm: Utm | undefined
  for (const [key, value] of new URLSearchParams(search)) {
    const match = key.match(/^utm_(source|medium|campaign|term|content)$/)
    if (match)
      (utm ||= {})[match[1] as keyof Utm] = value.replace(/[\0-\x1f\x7f-\x9f]/g, '').slice(0, 200)
  }
  return utm
}

/** The site's consent texts as unticked checkboxes after the fields: shown and checked like them. */
export const consentFields = (form: PublicForm): PublicField[] =>
  form.consents.map(({ purpose, text, required }) => ({
    name: CONSENT + purpose,
    type: 'checkbox',
    label: text,
    required,
  }))

/**
 * Renders one form into a shadow root (or a popup's dialog) and runs it: `form_view` now, `form_start` on the
 * first input, validation, the submission, and `form_submit` once the lead is stored.
 * State lives in this closure; each change renders the view again (no hooks needed).
 * @returns a promise settled once the form is first shown
 */
export const mountForm = (
  root: ShadowRoot | HTMLElement,
  form: PublicForm,
  ctx: Ctx,
  onClose?: () => void,
) => {
  const { formId, locale } = form
  const { turnstile } = ctx.c
  const strings = pickStrings(ctx, locale)
  const visitor = ctx.v()
  // When a submission may leave: the minimum fill time (3 s, docs/spam-and-abuse.md#minimum-fill-time)
  // counted from when the start token arrived, which the server signed no later, plus a margin.
  let ready = 0
  // The server-signed start time (minimum fill time) and, with consent, the fields already known.
  const begin = (): Promise<FormStart> =>
    fetch(
      `${ctx.a}/v1/sites/${ctx.s}/forms/${formId}/start${visitor ? '?visitorId=' + visitor : ''}`,
    )
      .then((response) => ((ready = Date.now() + 31e2), response.ok ? response.json() : {}))
      .catch(() => ({}))
  let start = begin()
  let known: string[] = []
  const consents = consentFields(form)
  let state: ViewState = {}
  let started = false
  // One id per submission, kept across network retries so a replay answers 200, not a second lead.
  let submissionId = crypto.randomUUID()
  // With Turnstile on (widget/README.md#cloudflare-turnstile): the current token, and how to get a
  // new one.
  let token: string | undefined
  let reset: (() => void) | undefined

  const touch = (type: EventType) => ctx.t(type, undefined, undefined, formId)
  const focus = (selector: string) => root.querySelector<HTMLElement>(selector)?.focus()

  /**
   * Progressive profiling (widget/README.md#forms-and-popups): fields already on the lead's record
   * are not asked again.
   */
  const rules = () => form.fields.filter(({ name }) => name == 'email' || !known.includes(name))
  /** What the visitor is asked: the fields still wanted, then the consents. */
  const asked = () => [...rules(), ...consents]

  const paint = (next: ViewState) =>
    render(
      <FormView
        form={form}
        state={(state = next)}
        strings={strings}
        fields={asked()}
        onSubmit={submit}
        onInput={() => started || ((started = true), touch('form_start'))}
        onClose={onClose}
      />,
      root,
    )

  const submit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (state.busy) return
    const data = new FormData(event.currentTarget)
    const values: Values = {}
    const checked: Rule[] = asked()
    for (const { name, type } of checked)
      values[name] = type == 'checkbox' ? data.has(name) : String(data.get(name) ?? '').trim()
    const problems = validate(checked, values)
    const errors: Record<string, string> = {}
    for (const name in problems)
      errors[name] = strings[name.startsWith(CONSENT) ? 'consent' : problems[name]!]
    if (Object.keys(errors).length) {
      paint({ errors })
      return focus('[aria-invalid]')
    }
    // Sent without a token it would only be held as spam; the widget above asks the visitor to verify.
    if (turnstile && !token) return paint({ message: strings.consent })
    const fields: Values = {}
    for (const { name } of rules()) if (values[name]) fields[name] = values[name]!
    const body: LeadSubmission = {
      siteKey: ctx.s,
      formId,
      submissionId,
      visitorId: ctx.v(),
      fields,
      consents: form.consents.map(({ purpose, textId }) => ({
        purpose,
        granted: values[CONSENT + purpose] as boolean,
        textId,
      })),
      page: { url: location.href, referrer: document.referrer || undefined },
      utm: utmOf(ctx.u),
      honeypot: (data.get(HONEYPOT) as string) || undefined,
      turnstileToken: token,
      // The lead's mails and consent pages come in the form's language (docs/consent-and-privacy.md#language).
      locale,
    }
    // Sent sooner (autofill, a password manager) it would be held as spam: a person never sees
    // that, the busy button just waits out the rest of the minimum fill time. A string body goes
    // as text/plain: a CORS-simple request, no preflight (Fetch standard). A 409 (another request
    // changed the same lead: a double click, a second tab) is sent again after a pause, twice at
    // most; its submissionId makes that safe (docs/wire-contract.md#ids-and-retries).
    let tries = 3
    const send = (answer: FormStart): Promise<Response> =>
      new Promise<FormStart>((go) => setTimeout(go, ready - Date.now(), answer))
        .then(({ startToken }) =>
          fetch(ctx.a + '/v1/leads', {
            method: 'POST',
            body: JSON.stringify({ ...body, startToken }),
          }),
        )
        .then((response) =>
          response.status == 409 && --tries ? ((ready = Date.now() + 700), send(answer)) : response,
        )
    paint({ busy: true })
    start
      .then(send)
      .then((response) =>
        response.json().then((answer) => {
          if (response.ok) {
            touch('form_submit')
            remember(ctx, SUBMITTED + formId)
            // Ticking the form's own `tracking` checkbox grants tracking like a banner would
            // (widget/README.md#consent).
            if (values[CONSENT + 'tracking']) lodestone('consent', { tracking: true })
            paint({ result: answer })
            return focus('#_title')
          }
          if (response.status > 499) throw 0
          const problem = answer as ProblemBody
          // Refused (422 and the like): nothing was stored, so the next try is a new submission;
          // an expired start token is replaced (a fresh one restarts the minimum fill time).
          submissionId = crypto.randomUUID()
          // `satisfies` checks the code against the closed list; the literal stays inline in the bundle.
          if (problem.code == ('start_token_invalid' satisfies ProblemCode)) start = begin()
          // The collector may have spent the Turnstile token on this try (single-use): a new one.
          reset?.()
          // The form's own words for the code and each field's reason, never the collector's
          // `detail`: the visitor reads the form's language (docs/wire-contract.md#errors).
          const errors: Record<string, string> = {}
          let message = strings[problem.code as ShownCode] || strings.failed
          for (const { path, reason = 'invalid' } of problem.errors || []) {
            const name = path.replace(/^fields\./, '').replace(/^consents\./, CONSENT)
            if (values[name] !== undefined)
              errors[name] = strings[name.startsWith(CONSENT) ? 'consent' : reason]
            // The security check failed, or the page shows an old consent text: said above the button.
            else if (reason == 'turnstile' || reason == 'stale') message = strings[reason]
          }
          paint({ errors, message: Object.keys(errors).length ? undefined : message })
          focus('[aria-invalid]')
        }),
      )
      // The alert is announced by itself (WAI-ARIA `alert` role); focus stays on the button.
      .catch(() => paint({ message: strings.failed }))
  }

  // A visitor who may be known waits for the known fields, so the form does not change shape after showing.
  return (visitor ? start : Promise.resolve<FormStart>({})).then((answer) => {
    known = answer.known || []
    paint(state)
    // After the first paint, so the slot that shows the widget is there.
    if (turnstile)
      reset = challenge(
        (root.getRootNode() as ShadowRoot).host,
        turnstile,
        locale,
        (next) => (token = next),
      )
    touch('form_view')
  })
}
