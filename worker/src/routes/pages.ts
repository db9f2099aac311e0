import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { escapeHtml } from '../lib/html'

/**
 * The collector's two HTML pages, outside the OpenAPI document: `/`, which says what this
 * server is and where to go, and `/docs`, the API reference of `/openapi.json`.
 */
export const pages = new Hono<AppEnv>()

/** Where the renderer of `/docs` is: a static asset of this worker, built from the pinned npm package (vite.config.ts). */
export const API_REFERENCE_SCRIPT = '/docs/reference.js'

/**
 * What `/docs` may do: run the collector's own copy of the renderer and read the collector's own
 * API, nothing from elsewhere. So an admin token typed into its request client stays with code
 * this collector serves (docs/wire-contract.md#api-reference). The renderer injects its styles
 * at run time, hence `'unsafe-inline'` for styles only; no inline script, no eval.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * Scalar's settings for the page, read from the `#api-reference` element, so the page holds no
 * inline script: no web fonts (they would come from elsewhere), no telemetry, no AI agent, no
 * developer toolbar (Scalar shows one on localhost, pointing at its hosted services).
 */
const REFERENCE_SETTINGS = {
  withDefaultFonts: false,
  showDeveloperTools: 'never',
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  persistAuth: false,
}

const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Lodestone API</title>
  </head>
  <body>
    <noscript>The reference needs JavaScript; the document itself is at <a href="/openapi.json">/openapi.json</a>.</noscript>
    <script id="api-reference" type="application/json" data-url="/openapi.json" data-configuration="${escapeHtml(JSON.stringify(REFERENCE_SETTINGS))}"></script>
    <script src="${API_REFERENCE_SCRIPT}"></script>
  </body>
</html>
`

const HOME_STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2328}code{font-size:.9em}a{color:#0a58ca}`

const HOME_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Lodestone collector</title>
    <style>${HOME_STYLE}</style>
  </head>
  <body>
    <main>
      <h1>Lodestone collector</h1>
      <p>This server collects what the Lodestone widget sends from a site: touchpoints, leads and
        their consents. It has nothing to show visitors; its API is for the widget and for the
        people who run the sites.</p>
      <h2>Where to go</h2>
      <ul>
        <li><a href="/docs">API reference</a> (<code>/docs</code>), and the same as an OpenAPI 3.1
          document: <a href="/openapi.json"><code>/openapi.json</code></a>.</li>
        <li>The widget: <code>&lt;script async src="{{ORIGIN}}/w.js" data-site="…"&gt;&lt;/script&gt;</code>
          on a page whose origin the site's <code>allowedOrigins</code> list.</li>
        <li>The app for marketers and sales: <a href="/app/"><code>/app/</code></a> (sign in with
          a mailed link, or paste a token). Site settings are changed through the admin API
          (<code>/v1/admin/…</code>, with a bearer token).</li>
        <li>The demo: only on a local run. <code>npm start</code> serves a demo landing page on
          another port (<code>http://localhost:8788</code> by default).</li>
      </ul>
    </main>
  </body>
</html>
`

let homeCsp: Promise<string> | undefined

/** The home page may apply its one style element and nothing else. */
function homeContentSecurityPolicy(): Promise<string> {
  homeCsp ??= crypto.subtle
    .digest('SHA-256', new TextEncoder().encode(HOME_STYLE))
    .then((digest) => {
      const hash = btoa(String.fromCharCode(...new Uint8Array(digest)))
      return `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`
    })
  return homeCsp
}

const pageHeaders = (csp: string) => ({
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': csp,
  'cache-control': 'public, max-age=300',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
})

pages.get('/', async (c) =>
  c.body(
    HOME_HTML.replace('{{ORIGIN}}', escapeHtml(new URL(c.req.url).origin)),
    200,
    pageHeaders(await homeContentSecurityPolicy()),
  ),
)

pages.get('/docs', (c) => c.body(DOCS_HTML, 200, pageHeaders(DOCS_CSP)))
