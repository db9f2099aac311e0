/**
 * The form chunk (widget/README.md#forms-and-popups): Preact, kept out of the loader
 * for its size budget and loaded by `w.js` only where a
 * `data-lodestone-form` placeholder or a popup needs it, rendered inside Shadow DOM.
 */
import type { Mount } from '../context'
import { mountForm, SUBMITTED } from './lead-form'
import { armPopup, remember } from './popup'
import { adoptStyles } from './styles'

let armed = false

/** Mounts every placeholder not mounted yet (the loader calls again when the DOM changes) and arms popups once. */
const mount: Mount = (ctx) => {
  for (const el of document.querySelectorAll<HTMLElement>('[data-lodestone-form]')) {
    try {
      const form = ctx.c.forms.find(({ formId }) => formId == el.dataset.lodestoneForm)
      // Until a form of the site mounts, the placeholder shows its own content: the host page's
      // fallback text (widget/README.md#setup-mistakes). A shadow root without a slot hides it.
      if (form && !el.shadowRoot) {
        const root = el.attachShadow({ mode: 'open' })
        adoptStyles(root)
        mountForm(root, form, ctx, () => remember(ctx, SUBMITTED + form.formId))
      }
    } catch {}
  }
  if (!armed) {
    armed = true
    for (const form of ctx.c.forms) if (form.popup) armPopup(form, ctx)
  }
}

export default mount
