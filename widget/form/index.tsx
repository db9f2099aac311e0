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
      if (el.shadowRoot) continue
      const root = el.attachShadow({ mode: 'open' })
      const form = ctx.c.forms.find(({ formId }) => formId == el.dataset.lodestoneForm)
      if (form) {
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
