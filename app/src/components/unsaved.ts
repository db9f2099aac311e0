import { useEffect } from 'preact/hooks'
import { defineTexts, textsIn, useLang, type Lang } from '../i18n'

/**
 * Unsaved changes are never lost silently (docs/app.md#settings). A screen with an edited form
 * calls `useUnsavedWarning(dirty)`; while any screen is dirty:
 *
 * - closing the tab, reloading or leaving the app asks first (the browser's own `beforeunload`
 *   question; browsers show their own words, not ours);
 * - following a link inside the app, or going back and forward in its history, asks with a
 *   `confirm()` in the reader's language; "Cancel" stays on the screen;
 * - code that routes by itself (the site picker, sign-out) asks `confirmLeave()` first.
 */
const TEXTS = defineTexts({
  leave: {
    de: 'Ihre Änderungen sind noch nicht gespeichert. Seite trotzdem verlassen?',
    en: 'Your changes are not saved yet. Leave the page anyway?',
  },
})

/** The languages of the screens that are dirty now (one entry per hook). */
const dirtyScreens = new Map<symbol, Lang>()

/** Whether leaving is fine: nothing unsaved, or the reader said so. */
export function confirmLeave(): boolean {
  const lang = [...dirtyScreens.values()][0]
  return lang === undefined || window.confirm(textsIn(TEXTS, lang).leave)
}

const inAppLink = (event: MouseEvent): HTMLAnchorElement | null => {
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey)
    return null
  const link = event
    .composedPath()
    .find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement && !!node.href)
  // Links out of the app load another page, which `beforeunload` asks about already.
  if (
    !link ||
    link.origin !== location.origin ||
    !link.pathname.startsWith('/app') ||
    link.download
  )
    return null
  if (link.target && link.target !== '_self') return null
  const here = location.pathname + location.search
  return link.pathname + link.search === here ? null : link
}

export function useUnsavedWarning(dirty: boolean): void {
  const lang = useLang()
  useEffect(() => {
    if (!dirty) return
    const key = Symbol('unsaved')
    dirtyScreens.set(key, lang)
    // Where the reader is, to return to when they cancel going back in history.
    const here = location.pathname + location.search + location.hash
    const beforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault()
      // Older Chromium asks only when returnValue is set (MDN, beforeunload).
      event.returnValue = ''
    }
    // Capturing on window runs before the router's own click and popstate listeners (also on
    // window, bubbling), so a refusal stops the navigation before it starts.
    const click = (event: MouseEvent) => {
      if (inAppLink(event) && !confirmLeave()) {
        event.preventDefault()
        event.stopImmediatePropagation()
      }
    }
    const popState = (event: PopStateEvent) => {
      if (confirmLeave()) return
      event.stopImmediatePropagation()
      // The browser has moved already; put the screen's address back.
      history.pushState(null, '', here)
    }
    addEventListener('beforeunload', beforeUnload)
    addEventListener('click', click, true)
    addEventListener('popstate', popState, true)
    return () => {
      dirtyScreens.delete(key)
      removeEventListener('beforeunload', beforeUnload)
      removeEventListener('click', click, true)
      removeEventListener('popstate', popState, true)
    }
  }, [dirty, lang])
}
