import { env, exports } from 'cloudflare:workers'
import { createHmac } from 'node:crypto'
import { expect } from 'vitest'
import type { FormInput } from '../../shared/form'
import type { JourneyPage, LeadDetail, LeadSubmission } from '../../shared/leads'
import type { Problem } from '../../shared/problem'
import type { SiteInput, TokenCreated } from '../../shared/site'
import { toBase64Url } from '../../worker/src/lib/crypto'

export const ROOT = env.LODESTONE_ROOT_TOKEN
export const BASE = 'https://collector.test'

/**
 * Every test uses its own site, since tests share storage: those of a file, and the files one
 * worker runs one after another (`isolate: false` in vitest.config.ts).
 */
export function uniqueSiteKey(prefix = 'site'): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`
}

export function originOf(siteKey: string): string {
  return `https://${siteKey}.example`
}

export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${BASE}${path}`, init))
}

export function admin(
  path: string,
  method: string,
  body?: unknown,
  token = ROOT,
): Promise<Response> {
  return call(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

/** A new token of `siteKey` with `scopes`, made with the root token. */
export async function scopedToken(siteKey: string, scopes: string[]): Promise<string> {
  const response = await admin(`/v1/admin/sites/${siteKey}/tokens`, 'POST', { scopes })
  expect(response.status).toBe(201)
  return ((await response.json()) as TokenCreated).token
}

export const WHITEPAPER_FORM: FormInput = {
  kind: 'whitepaper',
  title: 'Whitepaper 2026',
  fields: [
    { name: 'email', type: 'email', required: true, label: 'E-Mail' },
    { name: 'firstName', type: 'text', required: true, label: 'Vorname' },
    { name: 'lastName', type: 'text', required: true, label: 'Nachname' },
    { name: 'company', type: 'text', required: false, label: 'Firma' },
    { name: 'jobTitle', type: 'text', required: false, label: 'Position' },
    { name: 'phone', type: 'tel', required: false, label: 'Telefon' },
  ],
  consents: [
    {
      purpose: 'marketing_email',
      text: 'Ja, ich möchte per E-Mail Informationen erhalten.',
      required: true,
    },
    {
      purpose: 'tracking',
      text: 'Ich bin mit der Auswertung meines Besuchs einverstanden.',
      required: false,
    },
  ],
  asset: { url: 'https://cdn.example/whitepaper-2026.pdf', filename: 'whitepaper-2026.pdf' },
}

/** The whitepaper form in German and English (docs/wire-contract.md#texts-per-language). */
export const BILINGUAL_FORM: FormInput = {
  kind: 'whitepaper',
  title: { de: 'Whitepaper 2026', en: 'White paper 2026' },
  submitLabel: { de: 'Herunterladen', en: 'Download' },
  thanks: { de: 'Danke!', en: 'Thanks!' },
  fields: [
    {
      name: 'email',
      type: 'email',
      required: true,
      label: 'E-Mail',
      placeholder: { de: 'name@firma.de', en: 'name@company.com' },
    },
    { name: 'firstName', type: 'text', required: true, label: { de: 'Vorname', en: 'First name' } },
    { name: 'lastName', type: 'text', required: true, label: { de: 'Nachname', en: 'Last name' } },
    {
      name: 'employees',
      type: 'select',
      label: { de: 'Mitarbeitende', en: 'Employees' },
      help: { de: 'Im ganzen Unternehmen', en: 'In the whole company' },
      options: ['1–49', { value: '50+', label: { de: '50 und mehr', en: '50 or more' } }],
    },
    { name: 'phone', type: 'tel', label: { de: 'Telefon', en: 'Phone' } },
  ],
  consents: [
    {
      purpose: 'marketing_email',
      text: {
        de: 'Ja, ich möchte per E-Mail Informationen erhalten.',
        en: 'Yes, I would like to receive information by email.',
      },
      required: true,
    },
    { purpose: 'tracking', text: 'Tracking: ja / yes.', required: false },
  ],
}

export interface TestSite {
  siteKey: string
  origin: string
  consentTextIds: Record<string, string>
  /**
   * A fresh start token of form `wp` on every read, issued a minute ago, as if the visitor took
   * that long: a token serves one submission, as the widget fetches one per form shown.
   */
  readonly startToken: string
}

/**
 * A start token as `issueStartToken` signs one (`payload.signature`, worker/src/lib/crypto.ts),
 * but synchronous, so `leadBody` stays a plain function.
 */
export function startTokenFor(siteKey: string, formId: string, issuedAt: number): string {
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(9)))
  const claim = { k: 'start', s: siteKey, f: formId, t: issuedAt, n: nonce }
  const body = toBase64Url(new TextEncoder().encode(JSON.stringify(claim)))
  const signature = createHmac('sha256', env.LODESTONE_SECRET).update(body).digest()
  return `${body}.${toBase64Url(new Uint8Array(signature))}`
}

/**
 * Creates a site with the whitepaper form `wp` and answers its consent text ids. A key made with
 * `uniqueSiteKey('large')` puts the site in the store DB_LARGE (vitest.config.ts).
 */
export async function createSite(
  overrides: Partial<SiteInput> = {},
  form: FormInput = WHITEPAPER_FORM,
  siteKey = uniqueSiteKey(),
): Promise<TestSite> {
  const origin = originOf(siteKey)
  const site = await admin(`/v1/admin/sites/${siteKey}`, 'PUT', {
    name: 'Acme GmbH',
    allowedOrigins: [origin],
    locale: 'de',
    ...overrides,
  })
  expect(site.status).toBe(201)
  const created = await admin(`/v1/admin/sites/${siteKey}/forms/wp`, 'PUT', form)
  expect(created.status).toBe(201)
  const body = (await created.json()) as { consents: { purpose: string; textId: string }[] }
  return {
    siteKey,
    origin,
    consentTextIds: Object.fromEntries(body.consents.map((c) => [c.purpose, c.textId])),
    get startToken() {
      return startTokenFor(siteKey, 'wp', Date.now() - 60_000)
    },
  }
}

export function leadBody(site: TestSite, overrides: Partial<LeadSubmission> = {}): LeadSubmission {
  return {
    siteKey: site.siteKey,
    formId: 'wp',
    submissionId: crypto.randomUUID(),
    fields: {
      email: 'Anna.Berg@Firma.DE',
      firstName: 'Anna',
      lastName: 'Berg',
      company: 'Firma GmbH',
      jobTitle: 'Geschäftsführerin',
      phone: '030 1234567',
    },
    consents: [
      { purpose: 'marketing_email', granted: true, textId: site.consentTextIds.marketing_email! },
    ],
    page: { url: `${site.origin}/whitepaper`, referrer: '' },
    utm: { source: 'linkedin', medium: 'paid', campaign: 'Q4-Whitepaper' },
    startToken: site.startToken,
    ...overrides,
  }
}

export function postLead(
  site: TestSite,
  body: unknown,
  {
    origin = site.origin,
    contentType = 'application/json',
    ip = '203.0.113.77',
    language = undefined as string | undefined,
  } = {},
): Promise<Response> {
  return call('/v1/leads', {
    method: 'POST',
    headers: {
      origin,
      'content-type': contentType,
      'cf-connecting-ip': ip,
      'user-agent': 'Mozilla/5.0 test',
      ...(language ? { 'accept-language': language } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export function postEvents(
  origin: string,
  body: unknown,
  {
    contentType = 'text/plain;charset=UTF-8',
    ip = '203.0.113.77',
    userAgent = 'Mozilla/5.0 test',
  } = {},
): Promise<Response> {
  return call('/v1/events', {
    method: 'POST',
    headers: {
      origin,
      'content-type': contentType,
      'cf-connecting-ip': ip,
      'user-agent': userAgent,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export function pageView(url: string, overrides: Record<string, unknown> = {}) {
  return {
    id: crypto.randomUUID(),
    type: 'page_view',
    ts: new Date().toISOString(),
    url,
    referrer: '',
    ...overrides,
  }
}

export const TABLES = [
  'sites',
  'site_origins',
  'tokens',
  'consent_texts',
  'forms',
  'leads',
  'lead_visitors',
  'touchpoints',
  'submissions',
  'consent_ledger',
  'stage_history',
  'campaigns',
  'campaign_spend',
  'spam',
  'lead_tokens',
  'outbox',
  'users',
  'user_site_roles',
  'sessions',
  'sign_in_links',
] as const

/** Row counts of every table, to prove a refused request wrote nothing. */
export async function rowCounts(): Promise<Record<string, number>> {
  const results = await env.DB.batch(
    TABLES.map((table) => env.DB.prepare(`SELECT count(*) AS n FROM ${table}`)),
  )
  return Object.fromEntries(
    TABLES.map((table, i) => [table, (results[i]!.results[0] as { n: number }).n]),
  )
}

export async function expectProblem(
  response: Response,
  status: number,
  code?: string,
): Promise<Problem> {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toContain('application/problem+json')
  const problem = (await response.json()) as Problem
  expect(problem.status).toBe(status)
  expect(problem.type).toMatch(/^https:\/\//)
  expect(problem.title).toBeTruthy()
  expect(problem.detail).toBeTruthy()
  if (code) expect(problem.code).toBe(code)
  return problem
}

/**
 * The local rate limiter counts in windows aligned to the wall clock (60 s). A test that
 * sends a flood and expects the limit to hold must not straddle two windows, so it starts
 * in a fresh one when less than `seconds` are left of the current window.
 */
export async function startInFreshRateWindow(seconds = 20, period = 60): Promise<void> {
  const left = period * 1000 - (Date.now() % (period * 1000))
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50))
}

/** A lead's whole journey, newest first: the lead detail's first page and every older page. */
export async function wholeJourney(
  siteKey: string,
  leadId: string,
  limit = 200,
): Promise<LeadDetail['journey']> {
  const response = await admin(`/v1/admin/sites/${siteKey}/leads/${leadId}`, 'GET')
  expect(response.status).toBe(200)
  const detail = (await response.json()) as LeadDetail
  const journey = [...detail.journey]
  for (let cursor = detail.journeyNextCursor; cursor;) {
    const query = new URLSearchParams({ cursor, limit: String(limit) })
    const page = await admin(`/v1/admin/sites/${siteKey}/leads/${leadId}/journey?${query}`, 'GET')
    expect(page.status).toBe(200)
    const body = (await page.json()) as JourneyPage
    journey.push(...body.journey)
    cursor = body.nextCursor
  }
  return journey
}
