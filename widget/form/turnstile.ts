/**
 * Cloudflare Turnstile (widget/README.md#cloudflare-turnstile) for sites that turn it on: the
 * config then carries the site key, and only then is Cloudflare's script loaded, once per page,
 * explicit rendering.
 *
 * The widget goes into a light-DOM container, a child of the form's shadow host shown
 * inside the form through `<slot name="t">`, not into the shadow tree itself. Releases of
 * `api.js` have looked their iframes up with `document.querySelector` (reset, execute,
 * remove, the watchdog), which cannot see into a shadow root; newer ones keep them in a
 * shadow root of their own, but `api.js` is evergreen and cannot be pinned, and the light
 * DOM works with either.
 */

/** The part of Cloudflare's global that the form uses. */
declare const turnstile: {
  render: (container: HTMLElement, options: object) => string | undefined
  reset: (widgetId?: string) => void
}

/** `render=explicit`: the script renders nothing by itself (no `.cf-turnstile` scan). */
const API = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit'

let api: Promise<unknown> | undefined

/**
 * Renders Turnstile for one form: a container appended to `host` (slotted into the form),
 * the script appended to `document.head` on first use (never inline; a page that already
 * has `turnstile` keeps its own). `onToken` gets each new token, and nothing once a token
 * expires or the check fails. A script that cannot load leaves the form without a token.
 * @returns a reset: forgets the token and asks Cloudflare for a new one (tokens are single-use)
 */
export const challenge = (
  host: Element,
  sitekey: string,
  language: string,
  onToken: (token?: string) => void,
) => {
  const d = document
  const box = d.createElement('div')
  const clear = () => onToken()
  let id: string | undefined
  box.slot = 't'
  host.append(box)
  api ||= new Promise((resolve) => {
    if ('turnstile' in window) return resolve(0)
    const script = d.createElement('script')
    script.src = API
    script.onload = resolve
    d.head.append(script)
  })
  api
    .then(() => {
      id = turnstile.render(box, {
        sitekey,
        language,
        callback: onToken,
        'expired-callback': clear,
        'error-callback': clear,
      })
    })
    .catch(clear)
  return () => {
    clear()
    if (id) turnstile.reset(id)
  }
}
