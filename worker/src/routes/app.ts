import { Hono } from 'hono'
import type { AppEnv } from '../env'

/**
 * The app's pages (docs/app.md): `/app` and every route under it answer the app's `index.html`
 * from the assets server, so a link to any screen opens that screen; the hashed files under
 * `/app/assets/` never reach the worker (wrangler.toml `run_worker_first`).
 */
export const appPages = new Hono<AppEnv>()

/**
 * The app runs only its own files and talks only to this collector: no inline script, no
 * inline style sheet (Preact and uPlot set styles through the DOM, which a CSP allows), no
 * frames, no form posts elsewhere.
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

appPages.get('/app', (c) => c.redirect('/app/', 301))

appPages.get('/app/*', async (c) => {
  const index = await c.env.ASSETS.fetch(new URL('/app/', c.req.url))
  if (!index.ok) {
    return c.text('The app is not built: run npm run build.', 503, {
      'cache-control': 'no-store',
    })
  }
  return new Response(index.body, {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': APP_CSP,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    },
  })
})
