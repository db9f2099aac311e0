import { render } from 'preact'
import type { PublicForm } from '../../shared/form'
import type { Ctx } from '../context'
import { mountForm, SUBMITTED } from './lead-form'
import { recall, remember } from './memory'
import { styledShadow } from './styles'

const SHOWN = 'lodestone.p.'

/**
 * Runs a listener without letting anything escape into the host page: the widget must never break
 * it.
 */
const safe =
  <E>(fn: (event: E) => unknown) =>
  (event: E) => {
    try {
      fn(event)
    } catch {}
  }

/**
 * Opens a form as a modal `<dialog>` in its own shadow root. The dialog lives in the
 * top layer (HTML: `showModal()`), so the page's layout does not move: no layout shift.
 * Escape and the close button close it; focus returns to where it was.
 */
const openPopup = (form: PublicForm, ctx: Ctx) => {
  const d = document
  const host = d.createElement('div')
  host.setAttribute('data-lodestone-popup', form.formId)
  const root = styledShadow(host, ctx.c.theme)
  const dialog = d.createElement('dialog')
  dialog.setAttribute('aria-labelledby', '_title')
  dialog.addEventListener('close', () => {
    render(null, dialog)
    host.remove()
  })
  root.append(dialog)
  d.body.append(host)
  mountForm(dialog, form, ctx, () => dialog.close()).then(() => dialog.showModal())
}

/**
 * Arms a form's popup trigger (widget/README.md#forms-and-popups): exit intent, scroll depth (%),
 * delay (s), or a click on elements matching a selector; on a device without hover, the site's
 * `mobile` trigger where it has one (scroll depth, scrolling back up after a depth, or delay).
 * Automatic triggers fire at most once per page and obey the frequency cap (`session`, every
 * `days`, `until_submit`); none fires once the visitor has submitted the form. A click is the
 * visitor's own request and always opens.
 */
export const armPopup = (form: PublicForm, ctx: Ctx) => {
  const d = document
  const { frequency, days, mobile } = form.popup!
  // No hover (a phone, a tablet): no pointer leaves the top, so the site's mobile trigger instead.
  const { trigger, value } = mobile && matchMedia('(hover:none)').matches ? mobile : form.popup!
  const key = SHOWN + form.formId
  const session = frequency == 'session'
  const isOpen = () => d.querySelector(`[data-lodestone-popup="${form.formId}"]`)
  const open = () => isOpen() || recall(ctx, SUBMITTED + form.formId) || openPopup(form, ctx)

  let disarm = () => {}
  const fire = () => {
    const shown = recall(ctx, key, session)
    disarm()
    if (frequency == 'days' ? Date.now() - shown > (days || 1) * 864e5 : !session || !shown) {
      remember(ctx, key, session)
      open()
    }
  }
  const listen = <E extends Event>(
    target: EventTarget,
    type: string,
    when: (event: E) => unknown,
    then = fire,
  ) => {
    const listener = safe((event: E) => when(event) && then())
    target.addEventListener(type, listener as EventListener, { passive: true })
    disarm = () => target.removeEventListener(type, listener as EventListener)
  }

  if (trigger == 'exit_intent')
    // The pointer leaving through the top edge: `relatedTarget` is null when it leaves the window (UI Events).
    listen(d, 'mouseout', (event: MouseEvent) => !event.relatedTarget && event.clientY < 1)
  const deep = () =>
    (scrollY + innerHeight) * 100 >= d.documentElement.scrollHeight * (+(value ?? 50) || 50)
  // Past the depth, then back up by 100 px or more from the deepest point: on a phone, the reader
  // heading for the top.
  let peak = 0
  if (trigger == 'scroll_up')
    listen(
      window,
      'scroll',
      () => (deep() && peak < scrollY && (peak = scrollY), scrollY < peak - 99),
    )
  if (trigger == 'scroll') listen(window, 'scroll', deep)
  if (trigger == 'delay') setTimeout(safe(fire), +(value ?? 5) * 1e3)
  if (trigger == 'click')
    listen(d, 'click', (event) => (event.target as Element).closest(value as string), open)
}
