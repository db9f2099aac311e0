/**
 * The loader, `w.js` (widget/README.md): plain TypeScript without Preact, built as one IIFE.
 * It counts page views and clicks, batches touchpoints to the collector, honours
 * consent (docs/consent-and-privacy.md#tracking) and imports the Preact form chunk only where a
 * form placeholder or a popup needs it. Every entry point is wrapped: nothing it does may throw
 * into the host page. Written for bytes (budget: 1.5 KB gzip), so a few idioms are terse.
 */
import type { Utm } from '../../shared/common'
import type { EventType, TouchpointInput } from '../../shared/events'
import type { LodestoneGlobal, WidgetConfig } from '../../shared/widget'
import type { Ctx, Mount, Props } from '../context'

/** The form chunk's file name, set at build time from the chunk build (vite.config.ts). */
declare const __CHUNK__: string

const w = window as Window & { lodestone?: LodestoneGlobal }
const d = document
const n = navigator as Navigator & { globalPrivacyControl?: boolean }
const loc = location
/** Every storage key starts with `lodestone.`, so withdrawing consent can clear them all. */
const VISITOR = 'lodestone.v'
const QUEUE = 'lodestone.q'

/** Wraps `fn` so that nothing it throws reaches the host page: the widget must never break it. */
const safe =
  <A extends unknown[]>(fn: (...args: A) => unknown) =>
  (...args: A): void => {
    try {
      fn(...args)
    } catch {}
  }

/**
 * Control characters (URL-decoded `%0A`, say) would fail the contract's text check and
 * sink a whole batch, so they are dropped and values cut to the contract's bounds (500 for
 * props, the default).
 */
const clean = (value: string, max = 500) => value.replace(/[\0-\x1f\x7f-\x9f]/g, '').slice(0, max)

const install = () => {
  const previous = w.lodestone
  if (previous?.l) return
  const script = d.currentScript as HTMLScriptElement
  const data = script.dataset
  const site = data.site
  const api = data.api || new URL(script.src).origin
  const events = api + '/v1/events'
  let visitor: string | undefined
  /** Tracking refused (a consent call said no, or GPC): batches say so, and never join a lead. */
  let refused = n.globalPrivacyControl
  let queue: TouchpointInput[] = []
  let timer: ReturnType<typeof setTimeout> | 0 = 0
  let tries = 0
  let lastPath: string
  let referrer = d.referrer
  /** The current page view's id; `referrer` is its URL once it is recorded. */
  let view: string | undefined
  /** Engaged seconds of the current page view not yet sent. */
  let seconds = 0
  /** Seconds left before the visitor counts as idle: 30 after each input; loading the page is one. */
  let idle = 30

  /**
   * Keeps unsent events across pages, only with consent: nothing on the device without it
   * (docs/consent-and-privacy.md#tracking).
   */
  const save = safe(() => visitor && localStorage.setItem(QUEUE, JSON.stringify(queue)))

  /**
   * Sends up to 100 queued events (the contract's batch bound). When the page is hidden
   * it uses `sendBeacon` (MDN: made to outlive the page), otherwise `fetch` with
   * `keepalive`. A string body goes as `text/plain`, a CORS-safelisted type, so there is
   * no preflight (Fetch standard). Failures return to the queue and retry with
   * exponential backoff; event ids make resending safe.
   */
  const flush = (hide?: 1): void => {
    clearTimeout(timer)
    timer = 0
    const batch = queue.splice(0, 100)
    const retry = () => {
      queue.push(...batch)
      save()
      hide || (timer = setTimeout(flush, Math.min(6e4, 1e3 * 2 ** ++tries)))
    }
    if (batch[0]) {
      const body = JSON.stringify({
        siteKey: site,
        visitorId: visitor,
        consent: refused ? 'refused' : undefined,
        events: batch,
      })
      hide
        ? // Offline, a beacon is accepted and then lost: keep the events (saved with consent) instead.
          n.onLine && n.sendBeacon(events, body)
          ? flush(hide)
          : retry()
        : fetch(events, { method: 'POST', body, keepalive: true })
            .then((response) => {
              // A 4xx other than 429 will not get better by resending: the batch is dropped.
              if (response.status > 499 || response.status == 429) throw 0
              tries = 0
              flush()
            })
            .catch(retry)
    }
    save()
  }

  /** Queues a touchpoint with a new id and the time now; answers the id. */
  const push = (event: Omit<TouchpointInput, 'id' | 'ts'>, id = crypto.randomUUID()) =>
    // toJSON is toISOString for a valid date, in fewer bytes.
    (queue.push({ id, ts: new Date().toJSON(), ...event }), (timer ||= setTimeout(flush, 1e3)), id)

  // The contract takes '' for a direct visit.
  const track = (type: EventType, props?: Props, utm?: Utm, formId?: string) =>
    push({ type, url: loc.href, referrer, utm, formId, props })

  /**
   * Queues the current page view's engaged seconds not yet sent, as an `engaged_time` on the page
   * view's URL (docs/wire-contract.md#engaged-time): when the page is hidden or left, when a
   * single-page navigation replaces the page view, and after an hour of it.
   */
  const engaged = () => {
    seconds && push({ type: 'engaged_time', url: referrer, value: seconds, pageViewId: view })
    seconds = 0
  }

  /** A page view whenever the path changed: on load and on single-page-app navigation. */
  const views = safe(() => {
    if (loc.pathname != lastPath) {
      engaged()
      lastPath = loc.pathname
      view = track('page_view')
      referrer = loc.href
    }
  })

  /**
   * With consent, a first-party visitor id and the events saved on earlier pages; without
   * it (or with Global Privacy Control, a refusal whatever else says) nothing is kept and
   * whatever was stored before is removed: withdrawing is as easy as giving
   * (docs/consent-and-privacy.md#withdrawal).
   */
  const setConsent = safe((granted: unknown) => {
    visitor = undefined
    const s = localStorage
    if ((refused = !granted || n.globalPrivacyControl))
      // for-in over a Storage visits its keys (and its methods, which lack the prefix).
      for (const store of [s, sessionStorage])
        for (const key in store) key.startsWith('lodestone.') && store.removeItem(key)
    else {
      s.setItem(VISITOR, (visitor = s.getItem(VISITOR) || crypto.randomUUID()))
      queue.push(...(JSON.parse(s.getItem(QUEUE)!) || []))
      s.removeItem(QUEUE)
    }
  })

  const ctx: Ctx = { s: site!, a: api, t: track, v: () => visitor, u: loc.search } as Ctx

  /**
   * Imports the form chunk when the site has a popup or the page a placeholder; the chunk mounts
   * what is new. Called only once the config is in `ctx.c`. The chunk is fetched and run once
   * however often this asks: `import()` of one URL answers from the document's module map (HTML:
   * "fetch a single module script").
   */
  const check = safe(
    () =>
      (ctx.c.forms.some((form) => form.popup) || d.querySelector('[data-lodestone-form]')) &&
      // A module from the collector's origin: `import()` fetches it with CORS (see vite.config.ts).
      (import(/* @vite-ignore */ api + '/' + __CHUNK__) as Promise<{ default: Mount }>)
        .then((m) => m.default(ctx))
        .catch(() => {}),
  )

  const lodestone = safe((command: string, arg?: any, props?: Record<string, unknown>) => {
    if (command == 'consent') setConsent(arg?.tracking)
    if (command == 'track' && (arg == 'cta_click' || arg == 'download')) {
      // Host-supplied props are coerced to the contract's shape: one bad call must not sink a batch.
      const clipped: Props = {}
      for (const key in props)
        if (/^[a-z]\w{0,39}$/i.test(key)) clipped[key] = clean('' + props[key])
      track(arg, clipped)
    }
  }) as LodestoneGlobal
  lodestone.l = 1
  w.lodestone = lodestone

  data.consent == 'granted' && setConsent(1)
  for (const call of previous?.q || []) lodestone(...(call as Parameters<LodestoneGlobal>))
  views()

  // The History API fires no event for pushState/replaceState (MDN: popstate), so both are wrapped.
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name]
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args)
      views()
    }
  }

  /** Every event listened to is input (docs/wire-contract.md#engaged-time): the idle countdown restarts. */
  const listen = (target: EventTarget, type: string, fn: (event: any) => unknown) =>
    target.addEventListener(
      type,
      safe((event) => ((idle = 30), fn(event))),
      true,
    )
  listen(w, 'popstate', views)
  listen(d, 'click', (event: Event) => {
    const el = (event.target as Element).closest<HTMLElement>(
      '[data-lodestone-track],[data-lodestone-download]',
    )
    const set = el?.dataset
    // Checked, not thrown and caught: a host developer pausing on caught exceptions would stop on every click.
    if (set)
      track(
        'lodestoneTrack' in set ? 'cta_click' : 'download',
        { label: clean(set.lodestoneTrack || el!.textContent!.trim()) },
        undefined,
        set.lodestoneDownload || undefined,
      )
  })
  /** The page is going away (or may): its engaged time and every queued event leave by beacon. */
  const leave = () => (engaged(), flush(1))
  listen(w, 'pagehide', leave)
  // Engaged time (docs/wire-contract.md#engaged-time): a second counts while the page is visible,
  // has focus and had input (pointer, touch – pointer events too –, keys, scrolling, coming back
  // to the page) in the last 30 s; an hour is sent at once. A hidden page is the last moment a
  // page reliably has, also before unload (MDN: visibilitychange).
  for (const type of ['pointermove', 'keydown', 'scroll', 'visibilitychange'])
    listen(d, type, () => d.hidden && leave())
  setInterval(
    safe(() => idle-- > 0 && !d.hidden && d.hasFocus() && ++seconds > 3599 && engaged()),
    1e3,
  )
  listen(w, 'online', () => flush())

  // In the site's language; the form chunk asks again in the page's where a form has it
  // (widget/form/index.tsx), so the loader stays in its budget.
  fetch(`${api}/v1/sites/${site}/config`)
    .then((response) => response.json())
    .then((config: WidgetConfig & { detail?: string }) =>
      // A refusal (an origin missing from the allowed origins, an unknown site key) is a setup
      // mistake: one console line that names the fix, and the placeholders keep their own
      // fallback content (widget/README.md#setup-mistakes).
      config.detail
        ? console.error('Lodestone:', config.detail)
        : ((ctx.c = config),
          check(),
          // Placeholders that appear later (single-page apps, late markup) mount as they come.
          new MutationObserver(check).observe(d, { childList: true, subtree: true })),
    )
    .catch(() => {})
}

safe(install)()
