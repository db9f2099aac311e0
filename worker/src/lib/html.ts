import { contrastRatio, MIN_TEXT_CONTRAST, textColourOn, WHITE } from './contrast'
import { randomToken } from './crypto'

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

/** The look of a page: whose it is (a site's name in the banner) and its accent colour. */
export interface PageBrand {
  name: string
  /** A `#rrggbb` colour, any at all: the page picks the text drawn on it and its links' colour. */
  accent: string
}

/** The widget's default accent (widget/form/styles.ts), for pages of no site or a site without one. */
export const DEFAULT_ACCENT = '#1d4ed8'

/** The pages' body text colour, which links fall back to when the accent is too light for them. */
const BODY_TEXT = '#1f2937'

export interface PageOptions {
  brand?: PageBrand
  status?: number
}

/**
 * Plain, readable and the same on every page; the accent is the one thing a
 * brand changes: `--a` the accent, `--t` the text on it, `--l` the links on white.
 */
const STYLE = `body{margin:0;font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:${BODY_TEXT};background:#f4f5f7}
header{background:var(--a);color:var(--t);padding:.9rem 1.25rem}header p{margin:0 auto;max-width:40rem;font-weight:600}
main{box-sizing:border-box;max-width:40rem;margin:1.5rem auto;padding:1.5rem 1.25rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.5rem;line-height:1.3;margin:0 0 1rem}h2{font-size:1.15rem;margin:1.75rem 0 .25rem}
ol{padding-left:1.25rem}li{margin:.9rem 0}
blockquote{margin:.4rem 0;padding:.5rem .9rem;border-left:4px solid var(--a);background:#f3f4f6}
.m{color:#4b5563;font-size:.9rem;margin:.2rem 0}code{word-break:break-all}
a{color:var(--l)}form{margin:1.5rem 0 .5rem}
button{font:inherit;font-weight:600;padding:.65rem 1.3rem;color:var(--t);background:var(--a);border:0;border-radius:6px;cursor:pointer}
a:focus-visible,button:focus-visible{outline:3px solid #b45309;outline-offset:2px}`

/**
 * A plain page for people who follow a link from a mail: no scripts, no
 * external resources, a CSP that allows nothing but its own stylesheet
 * (by nonce) and posting its own form. The referrer policy is `same-origin`,
 * not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with
 * the form post, and the opt-in post checks its `Origin`.
 */
export function htmlPage(
  lang: string,
  title: string,
  body: string,
  { brand, status = 200 }: PageOptions = {},
): Response {
  const nonce = randomToken(16)
  const accent = brand?.accent ?? DEFAULT_ACCENT
  // Every text keeps 4.5:1 whatever the accent: on it white or dark text, on white the
  // accent for links only where it is dark enough (docs/consent-and-privacy.md#branding).
  const onAccent = textColourOn(accent)
  const link = contrastRatio(accent, WHITE) >= MIN_TEXT_CONTRAST ? accent : BODY_TEXT
  const banner = brand ? `<header><p>${escapeHtml(brand.name)}</p></header>` : ''
  const html = `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style nonce="${nonce}">:root{--a:${escapeHtml(accent)};--t:${onAccent};--l:${escapeHtml(link)}}${STYLE}</style></head><body>${banner}<main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      'cache-control': 'no-store',
      'referrer-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
    },
  })
}

export function wantsHtml(accept: string | undefined): boolean {
  return !!accept && accept.includes('text/html')
}
