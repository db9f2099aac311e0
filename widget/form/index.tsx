/**
 * The form chunk (widget/README.md#forms-and-popups): Preact, kept out of the loader
 * for its size budget and loaded by `w.js` only where a
 * `data-lodestone-form` placeholder or a popup needs it, rendered inside Shadow DOM.
 */
import { h, render } from 'preact'
import type { Locale } from '../../shared/common'
import type { PublicForm } from '../../shared/form'
import type { Theme } from '../../shared/site'
import type { WidgetTexts } from '../../shared/widget-texts'
import type { Mount } from '../context'
import { FormView } from './form-view'
import { consentFields, mountForm } from './lead-form'
import { armPopup } from './popup'
import { CSS, styledShadow, themeCss } from './styles'

let armed = false
let asked: Promise<unknown> | undefined

/**
 * Mounts every placeholder not mounted yet (the loader calls again when the DOM changes) and arms
 * popups once. The loader's config has each form in the site's language; where the page is in
 * another one (`<html lang="de-AT">` is German) that a form has, the config is asked once more in
 * it, before anything shows (docs/wire-contract.md#texts-per-language).
 */
const mount: Mount = (ctx) => {
  const lang = document.documentElement.lang.slice(0, 2).toLowerCase() as Locale
  if (!asked && ctx.c.forms.some(({ locale, locales }) => locale != lang && locales.includes(lang)))
    asked = fetch(`${ctx.a}/v1/sites/${ctx.s}/config?locale=${lang}`)
      .then((response) => response.json())
      .then((config) => config.forms && (ctx.c = config))
      .catch(() => {})
  ;(asked || Promise.resolve()).then(() => show(ctx))
}

const show: Mount = (ctx) => {
  for (const el of document.querySelectorAll<HTMLElement>('[data-lodestone-form]')) {
    try {
      const form = ctx.c.forms.find(({ formId }) => formId == el.dataset.lodestoneForm)
      // Until a form of the site mounts, the placeholder shows its own content: the host page's
      // fallback text (widget/README.md#setup-mistakes). A shadow root without a slot hides it.
      if (form && !el.shadowRoot) {
        const root = styledShadow(el, ctx.c.theme)
        mountForm(root, form, ctx)
      }
    } catch {}
  }
  if (!armed) {
    armed = true
    for (const form of ctx.c.forms) if (form.popup) armPopup(form, ctx)
  }
}

export default mount

/**
 * The app's live preview of a form being edited (docs/app.md#forms): the form as this chunk
 * renders it on a site, in `host`'s shadow root, with the theme in sheets of that root's own (the
 * app may show another site's theme next). Submitting it sends nothing.
 */
export const preview = (
  host: HTMLElement,
  form: PublicForm,
  strings: WidgetTexts,
  theme?: Theme,
) => {
  const root = host.shadowRoot || host.attachShadow({ mode: 'open' })
  const base = new CSSStyleSheet()
  const themed = new CSSStyleSheet()
  base.replaceSync(CSS)
  themed.replaceSync(themeCss(theme))
  root.adoptedStyleSheets = [base, themed]
  render(
    <FormView
      form={form}
      state={{}}
      strings={strings}
      fields={[...form.fields, ...consentFields(form)]}
      onSubmit={(event) => event.preventDefault()}
      onInput={() => {}}
    />,
    root,
  )
}
