import type { Theme } from '../../shared/site'

/**
 * The form's CSS, adopted as a constructable stylesheet (MDN: `adoptedStyleSheets`):
 * no `<style>` element and no style attribute, so it works under a CSP without
 * `'unsafe-inline'`. Host pages theme it with custom properties, which inherit into
 * the shadow tree: `--lodestone-accent`, `--lodestone-on-accent`, `--lodestone-text`,
 * `--lodestone-background`, `--lodestone-border`, `--lodestone-error`,
 * `--lodestone-radius`, `--lodestone-font` (a font-family list), `--lodestone-width`. One rule per line, joined by
 * the minifier into one literal with no line breaks (16 bytes gzip fewer than a template).
 */
export const CSS =
  ':host{display:block;font-family:var(--lodestone-font,inherit);color:var(--lodestone-text,inherit);--a:var(--lodestone-accent,#1d4ed8);--e:var(--lodestone-error,#b3261e);--r:var(--lodestone-radius,6px)}' +
  ':host([data-lodestone-popup]){position:fixed}' +
  'form,.d{display:grid;gap:.8em;max-width:var(--lodestone-width,30em)}' +
  'h2{margin:0;font-size:1.3em}' +
  'p{margin:0}' +
  'label{font-weight:600}' +
  'input,select,textarea{display:block;box-sizing:border-box;width:100%;margin-top:.3em;padding:.5em;font:inherit;color:inherit;background:var(--lodestone-background,#fff);border:1px solid var(--lodestone-border,#6b6b6b);border-radius:var(--r)}' +
  '.c{display:flex;gap:.5em;align-items:start;font-weight:400;white-space:pre-line}' +
  '.c input{width:auto;margin:.2em 0 0}' +
  '[aria-invalid=true]{border-color:var(--e)}' +
  '.e{color:var(--e)}' +
  '.i{font-size:.9em}' +
  'button,.b{justify-self:start;padding:.6em 1.2em;font:inherit;font-weight:600;color:var(--lodestone-on-accent,#fff);background:var(--a);border:0;border-radius:var(--r);cursor:pointer;text-decoration:none}' +
  ':focus-visible{outline:2px solid var(--a);outline-offset:2px}' +
  '.h{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}' +
  'dialog{max-width:min(30em,90vw);padding:1.5em;color:var(--lodestone-text,#111);background:var(--lodestone-background,#fff);border:0;border-radius:var(--r)}' +
  'dialog::backdrop{background:#0009}' +
  '.x{position:absolute;top:.4em;right:.4em;padding:.2em .5em;color:inherit;background:none;font-size:1.2em}'

let sheet: CSSStyleSheet | undefined
let themed: CSSStyleSheet | undefined

/**
 * Gives `host` an open shadow root with the form's stylesheet and the site's theme
 * (widget/README.md#theming): its values set the custom properties on `:host`, as defaults that the
 * host page's own rules on the placeholder (or `[data-lodestone-popup]`) override, since a page's
 * rule for the host wins over the shadow tree's `:host` (CSS Scoping). The collector validated
 * every value (shared/site.ts ThemeSchema), so none can leave its declaration. Both sheet objects
 * are shared by every root; one page shows one site.
 */
export const styledShadow = (host: HTMLElement, theme?: Theme) => {
  const root = host.attachShadow({ mode: 'open' })
  if (!sheet) {
    ;(sheet = new CSSStyleSheet()).replaceSync(CSS)
    ;(themed = new CSSStyleSheet()).replaceSync(themeCss(theme))
  }
  root.adoptedStyleSheets = [sheet, themed!]
  return root
}

/** The theme as one `:host` rule of custom properties: `onAccent` is `--lodestone-on-accent`. */
export const themeCss = (theme?: Theme) =>
  ':host{' +
  Object.entries(theme || {})
    .map(
      ([key, value]) => '--lodestone-' + key.replace(/[A-Z]/g, '-$&').toLowerCase() + ':' + value,
    )
    .join(';') +
  '}'
