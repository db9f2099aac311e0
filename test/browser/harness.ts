/**
 * The browser tests' world, which tests what customers embed: the *built* widget served by a real
 * `wrangler dev` collector on local D1, HTML fixture pages served from another
 * origin (one folder per scenario under `fixtures/`, whose name is also its site
 * key), and Debian's Chromium driven by playwright-core. Everything asserted on
 * went through the admin API, as a marketer would read it.
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import type { FormInput } from '../../shared/form'
import type { LeadDetail, LeadList } from '../../shared/leads'
import type { SiteInput } from '../../shared/site'
import { freePort, waitFor } from '../../scripts/bench/collector.mjs'

const ROOT = path.resolve(import.meta.dirname, '../..')
const FIXTURES = path.join(import.meta.dirname, 'fixtures')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Node 22 from devDependencies first: wrangler needs Node ≥ 22.12. */
const ENV = {
  ...process.env,
  PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_COLOR: '1',
  // The widget is built as it ships, whatever the test runner set.
  NODE_ENV: 'production',
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { cwd: ROOT, env: ENV, encoding: 'utf8' })
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`)
  }
}

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs)
  }
  return newest
}

/** Builds the widget unless `dist/widget/w.js` is newer than every widget source. */
export function buildWidget() {
  const built = path.join(ROOT, 'dist/widget/w.js')
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'widget')),
    statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs,
  )
  if (existsSync(built) && statSync(built).mtimeMs > sources) return
  run('npx', ['vite', 'build', '--mode', 'chunk'])
  run('npx', ['vite', 'build', '--mode', 'loader'])
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.pdf': 'application/pdf',
}

/**
 * Serves `fixtures/<scenario>/...`. In every text file `{{COLLECTOR}}` becomes the
 * collector's origin and `{{SITE}}` the scenario's site key; a `headers.json` beside a
 * scenario's pages adds response headers (its Content-Security-Policy, say).
 */
function serveFixtures(collector: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture')
    const parts = decodeURIComponent(url.pathname).split('/').filter(Boolean)
    const scenario = parts[0] ?? ''
    let file = path.normalize(path.join(FIXTURES, ...parts))
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html')
    // Single-page apps answer every path of theirs with their one page.
    if (!existsSync(file)) file = path.join(FIXTURES, scenario, 'index.html')
    if (!file.startsWith(FIXTURES + path.sep) || !existsSync(file)) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    const headersFile = path.join(FIXTURES, scenario, 'headers.json')
    const headers: Record<string, string> = existsSync(headersFile)
      ? JSON.parse(readFileSync(headersFile, 'utf8').replaceAll('{{COLLECTOR}}', collector))
      : {}
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream'
    let body: Buffer | string = readFileSync(file)
    if (type.startsWith('text/'))
      body = body
        .toString('utf8')
        .replaceAll('{{COLLECTOR}}', collector)
        .replaceAll('{{SITE}}', scenario)
    response
      .writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...headers })
      .end(body)
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      resolve({ server, origin: `http://localhost:${port}` })
    }),
  )
}

export type Harness = {
  /** The collector's origin, e.g. `http://127.0.0.1:40123`. */
  collector: string
  /** The fixture pages' origin, e.g. `http://localhost:40124`: another origin, as a real site is. */
  pages: string
  browser: Browser
  /** A fresh browser context (its own storage); `gpc` makes `navigator.globalPrivacyControl` true. */
  newContext: (options?: { gpc?: boolean }) => Promise<BrowserContext>
  /** Creates or updates a site (key = the scenario folder) allowing the fixture origin, and its forms. */
  setupSite: (
    siteKey: string,
    forms: Record<string, FormInput>,
    site?: Partial<SiteInput>,
  ) => Promise<void>
  /** An admin API call with the root token; throws unless 2xx. */
  admin: <T>(pathname: string, init?: RequestInit) => Promise<T>
  /** The leads of a site, newest first, as the admin API lists them. */
  leads: (siteKey: string) => Promise<LeadList['leads']>
  /** One lead in full: fields, journey, consents. */
  lead: (siteKey: string, leadId: string) => Promise<LeadDetail>
  stop: () => Promise<void>
}

/** Cloudflare's documented Turnstile test keys (always pass); the collector needs both to allow `turnstile: true`. */
export const TURNSTILE_TEST_VARS = {
  TURNSTILE_SITE_KEY: '1x00000000000000000000AA',
  TURNSTILE_SECRET: '1x0000000000000000000000000000000AA',
}

/**
 * Starts the collector on a fresh local D1, the fixture server and Chromium.
 * `vars` become extra `wrangler dev --var NAME:value` (the Turnstile keys, say).
 */
export async function startHarness(
  options: { vars?: Record<string, string> } = {},
): Promise<Harness> {
  buildWidget()
  const state = mkdtempSync(path.join(tmpdir(), 'lodestone-browser-'))
  const rootToken = randomBytes(24).toString('base64url')
  const secret = randomBytes(32).toString('base64url')
  run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state])

  const port = await freePort()
  const inspector = await freePort()
  const collector = `http://127.0.0.1:${port}`
  let output = ''
  const wrangler = spawn(
    'npx',
    [
      'wrangler',
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspector),
      '--persist-to',
      state,
      '--show-interactive-dev-session=false',
      '--var',
      `LODESTONE_ROOT_TOKEN:${rootToken}`,
      '--var',
      `LODESTONE_SECRET:${secret}`,
      ...Object.entries(options.vars ?? {}).flatMap(([name, value]) => [
        '--var',
        `${name}:${value}`,
      ]),
    ],
    { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  )
  wrangler.stdout!.on('data', (chunk) => (output += chunk))
  wrangler.stderr!.on('data', (chunk) => (output += chunk))
  await waitFor(`${collector}/w.js`, wrangler, () => output)

  const fixtures = await serveFixtures(collector)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })

  const admin = async <T>(pathname: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(collector + pathname, {
      ...init,
      headers: {
        authorization: `Bearer ${rootToken}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    })
    const text = await response.text()
    if (!response.ok)
      throw new Error(`${init.method ?? 'GET'} ${pathname}: ${response.status} ${text}`)
    return (text ? JSON.parse(text) : undefined) as T
  }

  return {
    collector,
    pages: fixtures.origin,
    browser,
    newContext: async ({ gpc } = {}) => {
      const context = await browser.newContext({
        acceptDownloads: true,
        // Chromium has no GPC switch; the header and the property are what a GPC browser shows.
        ...(gpc ? { extraHTTPHeaders: { 'Sec-GPC': '1' } } : {}),
      })
      if (gpc)
        await context.addInitScript(() =>
          Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
        )
      return context
    },
    setupSite: async (siteKey, forms, site = {}) => {
      await admin(`/v1/admin/sites/${siteKey}`, {
        method: 'PUT',
        body: JSON.stringify({
          name: `Browser test ${siteKey}`,
          allowedOrigins: [fixtures.origin],
          locale: 'en',
          stageModel: 'b2b',
          ...site,
        } satisfies SiteInput),
      })
      for (const [formId, form] of Object.entries(forms))
        await admin(`/v1/admin/sites/${siteKey}/forms/${formId}`, {
          method: 'PUT',
          body: JSON.stringify(form),
        })
    },
    admin,
    leads: async (siteKey) => (await admin<LeadList>(`/v1/admin/sites/${siteKey}/leads`)).leads,
    lead: (siteKey, leadId) => admin<LeadDetail>(`/v1/admin/sites/${siteKey}/leads/${leadId}`),
    stop: async () => {
      await browser.close().catch(() => {})
      await new Promise((resolve) => fixtures.server.close(resolve))
      // wrangler dev runs workerd as a child: end the whole process group we started.
      try {
        process.kill(-wrangler.pid!, 'SIGTERM')
      } catch {}
      await new Promise((resolve) => setTimeout(resolve, 300))
      rmSync(state, { recursive: true, force: true })
    },
  }
}

/** Forms the scenarios share: a gated whitepaper (asset on the fixture origin) and a popup. */
export function whitepaperForm(pages: string, extra: Partial<FormInput> = {}): FormInput {
  return {
    kind: 'whitepaper',
    title: 'Whitepaper 2026',
    fields: [
      { name: 'email', type: 'email', required: true, label: 'Email' },
      { name: 'firstName', type: 'text', required: true, label: 'First name' },
      { name: 'lastName', type: 'text', required: true, label: 'Last name' },
      { name: 'company', type: 'text', required: true, label: 'Company' },
      { name: 'jobTitle', type: 'text', required: true, label: 'Job title' },
    ],
    consents: [
      {
        purpose: 'marketing_email',
        text: 'Yes, send me news about products and events by email. I can withdraw at any time.',
        required: true,
      },
      {
        purpose: 'tracking',
        text: 'I agree that my visit to this website is linked to my contact.',
        required: false,
      },
    ],
    asset: { url: `${pages}/assets/whitepaper.pdf`, filename: 'whitepaper-2026.pdf' },
    submitLabel: 'Get the whitepaper',
    ...extra,
  }
}

export function demoRequestForm(popup: FormInput['popup']): FormInput {
  return {
    kind: 'demo_request',
    title: 'Book a demo',
    fields: [
      { name: 'email', type: 'email', required: true, label: 'Email' },
      { name: 'company', type: 'text', required: false, label: 'Company' },
    ],
    consents: [
      { purpose: 'marketing_email', text: 'You may contact me about the demo.', required: true },
    ],
    popup,
  }
}

/** The shadow root's elements, for assertions (open shadow roots pierce with `>>`-free locators in Playwright). */
export async function waitForForm(page: Page, formId: string) {
  const host = page.locator(`[data-lodestone-form="${formId}"]`)
  await host.locator('form').waitFor()
  return host
}

/** Fills the whitepaper form's fields through the page (Playwright's locators pierce open shadow roots). */
export async function fillWhitepaper(page: Page, formId: string, email: string) {
  const form = page.locator(`[data-lodestone-form="${formId}"] form`)
  await form.locator('#email').fill(email)
  await form.locator('#firstName').fill('Anna')
  await form.locator('#lastName').fill('Berg')
  await form.locator('#company').fill('Firma GmbH')
  await form.locator('#jobTitle').fill('Head of Marketing')
  await form.locator('input[name="consent:marketing_email"]').check()
  return form
}

/** The minimum fill time the collector enforces against its signed start token (worker `MIN_FILL_MS`). */
export const MIN_FILL_MS = 3_000
