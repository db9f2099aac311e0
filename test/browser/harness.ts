/**
 * The browser tests' world, which tests what customers embed: the *built* widget served by a real
 * `wrangler dev` collector on local D1, HTML fixture pages served from another
 * origin (one folder per scenario under `fixtures/`, whose name is also its site
 * key), and Chromium (found by ./chromium.ts) driven by playwright-core.
 * Everything asserted on went through the admin API, as a marketer would read it.
 * The collector, the widget build and the local D1 come from the one dev harness,
 * scripts/dev/collector.mjs, as `npm start` and the bench use them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { inject } from 'vitest'
import type { FormInput } from '../../shared/form'
import type { LeadDetail, LeadList } from '../../shared/leads'
import type { SiteInput } from '../../shared/site'
import { ensureWidget, migrate, query, startCollector } from '../../scripts/dev/collector.mjs'
import { CHROMIUM_ARGS } from './chromium'

const FIXTURES = path.join(import.meta.dirname, 'fixtures')

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
function serveFixtures(
  collector: string,
): Promise<{ server: Server; origin: string; written: Map<string, string> }> {
  // Pages a test wrote at run time (`servePage`), by path; they win over files.
  const written = new Map<string, string>()
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture')
    const page = written.get(url.pathname)
    if (page !== undefined) {
      response
        .writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' })
        .end(page)
      return
    }
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
      resolve({ server, origin: `http://localhost:${port}`, written })
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
  /** `locale` is the browser's language (`navigator.language`, `Accept-Language`). */
  newContext: (options?: { gpc?: boolean; locale?: string }) => Promise<BrowserContext>
  /** Creates or updates a site (key = the scenario folder) allowing the fixture origin, and its forms. */
  setupSite: (
    siteKey: string,
    forms: Record<string, FormInput>,
    site?: Partial<SiteInput>,
  ) => Promise<void>
  /** The collector's root token (fresh for each harness): what the first owner pastes into the app. */
  rootToken: string
  /** An admin API call with the root token; throws unless 2xx. */
  admin: <T>(pathname: string, init?: RequestInit) => Promise<T>
  /** The leads of a site, newest first, as the admin API lists them. */
  leads: (siteKey: string) => Promise<LeadList['leads']>
  /** One lead in full: fields, journey, consents. */
  lead: (siteKey: string, leadId: string) => Promise<LeadDetail>
  /** One SQL statement on the collector's local D1 (the mail outbox, say); answers its rows. */
  query: <Row = Record<string, unknown>>(sql: string) => Row[]
  stop: () => Promise<void>
  /** Serves `html` at `pathname` of the fixture server (both its origins), as a site owner pastes a page. */
  servePage: (pathname: string, html: string) => void
  /**
   * The same fixture server under another origin (`http://127.0.0.1:<port>`), which no site
   * allows unless a test says so: a page on a wrong origin.
   */
  otherPages: string
}

/** Cloudflare's documented Turnstile test keys (always pass); the collector needs both to allow `turnstile: true`. */
export const TURNSTILE_TEST_VARS = {
  TURNSTILE_SITE_KEY: '1x00000000000000000000AA',
  TURNSTILE_SECRET: '1x0000000000000000000000000000000AA',
}

/**
 * Starts the collector on a fresh local D1, the fixture server and Chromium.
 * `vars` become extra `wrangler dev --var NAME:value` (the Turnstile keys, say);
 * `executablePath` overrides the browser the global setup found. Whatever it
 * started is stopped again if a later step fails, and by `stop()`.
 */
export async function startHarness(
  options: { vars?: Record<string, string>; executablePath?: string } = {},
): Promise<Harness> {
  // Undone in reverse order by `stop()`, or at once when a later step throws.
  const undo: (() => Promise<unknown> | void)[] = []
  const stop = async () => {
    for (const step of undo.splice(0).reverse()) await Promise.resolve(step()).catch(() => {})
  }
  try {
    // Also here, not only in the global setup: under `vitest --watch` the sources change between runs.
    ensureWidget()
    const state = mkdtempSync(path.join(tmpdir(), 'lodestone-browser-'))
    undo.push(() => rmSync(state, { recursive: true, force: true }))
    migrate(state)
    // Touchpoints written in the request, so a test reads them right after the page sent them
    // (queue mode: test/worker/events.queue.happy.test.ts, docs/scale.md#queue-buffered-touchpoints).
    const collector = await startCollector({
      persistTo: state,
      vars: { TOUCHPOINT_QUEUE: 'off', ...options.vars },
    })
    undo.push(collector.stop)
    const fixtures = await serveFixtures(collector.origin)
    undo.push(() => new Promise((resolve) => fixtures.server.close(resolve)))
    const browser = await chromium.launch({
      executablePath: options.executablePath ?? inject('chromium'),
      headless: true,
      args: CHROMIUM_ARGS,
    })
    undo.push(() => browser.close())
    const harness = harnessOver(collector, fixtures.origin, browser, stop, state)
    return {
      ...harness,
      servePage: (pathname, html) => void fixtures.written.set(pathname, html),
      otherPages: fixtures.origin.replace('//localhost:', '//127.0.0.1:'),
    }
  } catch (error) {
    await stop()
    throw error
  }
}

function harnessOver(
  collector: Awaited<ReturnType<typeof startCollector>>,
  pages: string,
  browser: Browser,
  stop: () => Promise<void>,
  state: string,
): Omit<Harness, 'servePage' | 'otherPages'> {
  const admin = collector.admin
  return {
    collector: collector.origin,
    pages,
    browser,
    newContext: async ({ gpc, locale } = {}) => {
      const context = await browser.newContext({
        acceptDownloads: true,
        ...(locale ? { locale } : {}),
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
          allowedOrigins: [pages],
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
    rootToken: collector.rootToken,
    admin,
    leads: async (siteKey) => (await admin<LeadList>(`/v1/admin/sites/${siteKey}/leads`)).leads,
    lead: (siteKey, leadId) => admin<LeadDetail>(`/v1/admin/sites/${siteKey}/leads/${leadId}`),
    query: (sql) => query(state, sql),
    stop,
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
