#!/usr/bin/env node
// `npm start`: build the widget, apply the D1 migrations to the local database,
// start the collector (wrangler dev, local D1), seed the demo site through the
// admin API and serve the demo landing page from a second origin, as a real
// site would embed the widget. Nothing here needs a Cloudflare account.
//
// The collector runs as the other harnesses run it (scripts/dev/collector.mjs):
// in its own process group, ended when this script ends, fails or gets Ctrl+C.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { ensureWidget, migrate, ROOT, startCollector } from './dev/collector.mjs'

const PORT = Number(process.env.PORT ?? 8787)
const DEMO_PORT = Number(process.env.DEMO_PORT ?? 8788)
const COLLECTOR = `http://localhost:${PORT}`
const DEMO = `http://localhost:${DEMO_PORT}`

/** Local secrets: created once with random values, never committed. */
function ensureDevVars() {
  const file = join(ROOT, '.dev.vars')
  if (!existsSync(file)) {
    const lines = [
      `LODESTONE_ROOT_TOKEN=${randomBytes(24).toString('base64url')}`,
      `LODESTONE_SECRET=${randomBytes(32).toString('base64url')}`,
    ]
    writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 })
    console.log('• wrote .dev.vars with a fresh root token and signing secret')
  }
  const vars = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('=') && !line.startsWith('#'))
      .map((line) => [
        line.slice(0, line.indexOf('=')).trim(),
        line.slice(line.indexOf('=') + 1).trim(),
      ]),
  )
  return vars
}

/** Seeds the demo site and its forms through the admin API (`admin` throws unless 2xx). */
async function seed(admin) {
  const raw = readFileSync(join(ROOT, 'seed', 'demo-site.json'), 'utf8').replaceAll(
    'localhost:8788',
    `localhost:${DEMO_PORT}`,
  )
  const { siteKey, site, forms } = JSON.parse(raw)
  if (DEMO_PORT !== 8788) site.allowedOrigins = [DEMO, `http://127.0.0.1:${DEMO_PORT}`]
  const put = (path, body) => admin(path, { method: 'PUT', body: JSON.stringify(body) })
  await put(`/v1/admin/sites/${siteKey}`, site)
  for (const [formId, form] of Object.entries(forms))
    await put(`/v1/admin/sites/${siteKey}/forms/${formId}`, form)
  return { siteKey, forms: Object.keys(forms) }
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

/** The demo site: another origin, with a strict CSP that allows only the collector. */
function serveDemo() {
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${COLLECTOR}`,
    `style-src 'self' ${COLLECTOR}`,
    `connect-src 'self' ${COLLECTOR}`,
    "img-src 'self' data:",
    "frame-ancestors 'none'",
  ].join('; ')
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', DEMO).pathname)
    const [base, rel] = path.startsWith('/assets/')
      ? [join(ROOT, 'seed', 'assets'), path.slice('/assets/'.length)]
      : [join(ROOT, 'demo'), path === '/' ? 'index.html' : path.slice(1)]
    const file = normalize(join(base, rel))
    if (!file.startsWith(base) || !existsSync(file)) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    let body = readFileSync(file)
    if (extname(file) === '.html')
      body = Buffer.from(body.toString('utf8').replaceAll('http://localhost:8787', COLLECTOR))
    response
      .writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': csp,
      })
      .end(body)
  })
  return new Promise((resolveListen) => server.listen(DEMO_PORT, () => resolveListen(server)))
}

const vars = ensureDevVars()
console.log('• building the widget')
const rebuilt = ensureWidget()
console.log(rebuilt ? `  built (${rebuilt})` : '  dist/widget is up to date')
console.log('• applying D1 migrations to the local database')
migrate(undefined, { inherit: true })

console.log('• starting the collector')
// wrangler dev reads the secrets from .dev.vars; the root token is only for seeding.
const collector = await startCollector({
  port: PORT,
  rootToken: vars.LODESTONE_ROOT_TOKEN,
  inherit: true,
  // A local run may send webhooks to a receiver on this machine (docs/outbound.md#targets).
  vars: { WEBHOOK_ALLOW_PRIVATE: 'on' },
})
collector.exited.then((code) => {
  console.error(`collector exited (${code})`)
  process.exit(1)
})
const seeded = await seed(collector.admin)
await serveDemo()
console.log(`
  Lodestone is running.
  Collector:  ${COLLECTOR}   (API docs: ${COLLECTOR}/docs, widget: ${COLLECTOR}/w.js)
  Demo page:  ${DEMO}   (site "${seeded.siteKey}", forms: ${seeded.forms.join(', ')})
  App:        ${COLLECTOR}/app/   sign in with the root token: grep ROOT_TOKEN .dev.vars
              invite people with PUT /v1/admin/sites/${seeded.siteKey}/users/<email> {"role":"viewer"};
              their invitations and sign-in links land in the local outbox: npm run outbox
  Admin:      curl -H "Authorization: Bearer $(grep ROOT_TOKEN .dev.vars | cut -d= -f2)" ${COLLECTOR}/v1/admin/sites/${seeded.siteKey}/leads
  Stop with Ctrl+C.
`)
