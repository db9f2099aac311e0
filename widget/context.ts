import type { Utm } from '../shared/common'
import type { EventType } from '../shared/events'
import type { WidgetConfig } from '../shared/widget'

/** Event properties as the loader accepts them (sanitised before they are queued). */
export type Props = Record<string, string | number | boolean>

/**
 * What the loader hands the form chunk. One-letter names because property names
 * survive minification and both files count against the size budget (widget/README.md#size-budget).
 */
export type Ctx = {
  /** The site key, from `data-site`. */
  s: string
  /** The collector's origin, from `data-api` or the script's own origin. */
  a: string
  /** The site's configuration. */
  c: WidgetConfig
  /** Queues a touchpoint (the loader answers its id). */
  t: (type: EventType, props?: Props, utm?: Utm, formId?: string) => unknown
  /**
   * The visitor id, only while `tracking` consent holds (docs/consent-and-privacy.md#tracking); its
   * absence means: store nothing.
   */
  v: () => string | undefined
  /**
   * The query (`location.search`) of the page this document was loaded with: its UTM parameters
   * are the first touch of the visit (read by the form chunk, widget/form/lead-form.tsx).
   */
  u: string
}

/** The form chunk's entry: mounts placeholders not yet mounted and arms popups once. */
export type Mount = (ctx: Ctx) => void
