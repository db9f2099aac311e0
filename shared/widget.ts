import type { SiteConfig } from './form'

/**
 * Widget-only types: what the browser reads beyond the zod contract.
 * Nothing here is validated at runtime; the widget imports it with `import type`.
 */

/**
 * `GET /v1/sites/{siteKey}/config` as the widget reads it. `turnstile` is the
 * Cloudflare Turnstile site key, present only where the site turned Turnstile on:
 * then the form renders the widget and sends its token as `turnstileToken`.
 */
export type WidgetConfig = SiteConfig

/**
 * `GET /v1/sites/{siteKey}/forms/{formId}/start[?visitorId=]`, asked of the worker:
 * fetched when a form is shown, never cached (`no-store`).
 * - `startToken`: a server-signed start time (docs/spam-and-abuse.md#minimum-fill-time), sent back
 *   unchanged as `LeadSubmission.startToken`;
 * - `known`: with a `visitorId` (so with `tracking` consent), the names of the fields
 *   already on that visitor's lead record; progressive profiling asks only for the rest.
 * Until the worker answers it, the form works without both.
 */
export type FormStart = { startToken?: string; known?: string[] }

/** Calls a host page can make on the `lodestone` global (widget/README.md#the-global). */
export type WidgetCommand =
  | ['consent', { tracking: boolean }]
  | ['track', 'cta_click' | 'download', Record<string, string | number | boolean>?]

/** The global: a function, with `q` holding calls made before the loader ran. */
export type LodestoneGlobal = ((...command: WidgetCommand) => void) & {
  q?: IArguments[] | unknown[][]
  /** Set once the loader installed itself. */
  l?: 1
}
