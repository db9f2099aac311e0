import type { SiteConfig } from './form'

/**
 * Widget-only types: what the browser reads beyond the zod contract.
 * Nothing here is validated at runtime; the widget imports it with `import type`.
 */

/**
 * `GET /v1/sites/{siteKey}/config` as the widget reads it. The optional members
 * are asked of the worker (see the widget's report) and the widget works without them:
 * - `startToken`: a server-signed start time (SPEC §6, minimum fill time), sent back
 *   unchanged as `LeadSubmission.startToken`; fresh on every answer (`no-store`).
 * - `known`: for `?visitorId=` with `tracking` consent, names of the fields already on
 *   the visitor's lead record, so progressive profiling asks only for what is missing.
 * - `turnstile`: the site's Cloudflare Turnstile site key where the site turns it on.
 */
export type WidgetConfig = SiteConfig & {
  startToken?: string
  known?: string[]
  turnstile?: string
}

/** Calls a host page can make on the `lodestone` global (SPEC §6, STYLE rule 11). */
export type WidgetCommand =
  | ['consent', { tracking: boolean }]
  | ['track', 'cta_click' | 'download', Record<string, string | number | boolean>?]

/** The global: a function, with `q` holding calls made before the loader ran. */
export type LodestoneGlobal = ((...command: WidgetCommand) => void) & {
  q?: IArguments[] | unknown[][]
  /** Set once the loader installed itself. */
  l?: 1
}
