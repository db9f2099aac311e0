/**
 * The loads: each target is a site of its own (so its rows can be counted
 * alone), driven by autocannon with a fresh body per request, built in
 * `setupRequest`: new event ids, new submission ids, new email addresses.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import autocannon from 'autocannon'
import { uuidOf } from './bulk.mjs'

/** The page origin every bench site allows: requests carry it as `Origin`, as the widget's do. */
export const PAGE_ORIGIN = 'https://bench.example'
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) lodestone-bench'
/** The collector's minimum fill time (worker `MIN_FILL_MS`): a start token must be this old. */
export const MIN_FILL_MS = 3_000
/** The collector's `LODESTONE_SECRET` for the bench run (index.mjs passes it as a var). */
export const BENCH_SECRET = randomBytes(32).toString('base64url')

/**
 * A start token of form `formId` signed a minute ago, as `issueStartToken` signs one
 * (worker/src/domain/start-token.ts). One token serves one submission
 * (docs/spam-and-abuse.md#one-token-one-submission), so every submission gets its own, as
 * the widget fetches one per form shown; signing here keeps the start route out of the load.
 */
export function startTokenFor(siteKey, formId = 'wp') {
  const claim = { k: 'start', s: siteKey, f: formId, t: Date.now() - 60_000, n: randomUUID() }
  const body = Buffer.from(JSON.stringify(claim)).toString('base64url')
  return `${body}.${createHmac('sha256', BENCH_SECRET).update(body).digest('base64url')}`
}

export const LEAD_FORM = {
  kind: 'whitepaper',
  title: 'Whitepaper 2026',
  fields: [
    { name: 'email', type: 'email', required: true, label: 'Email' },
    { name: 'firstName', type: 'text', required: true, label: 'First name' },
    { name: 'lastName', type: 'text', required: true, label: 'Last name' },
    { name: 'company', type: 'text', required: true, label: 'Company' },
    { name: 'jobTitle', type: 'text', required: false, label: 'Job title' },
  ],
  consents: [
    {
      purpose: 'marketing_email',
      text: 'Yes, send me news about products and events by email. I can withdraw at any time.',
      required: true,
    },
  ],
  asset: { url: `${PAGE_ORIGIN}/assets/whitepaper.pdf`, filename: 'whitepaper-2026.pdf' },
}

/**
 * Creates a site allowing `PAGE_ORIGIN` and, with `form`, its form `wp`, whose start
 * route must answer. Answers what a lead body needs.
 */
export async function createSite(collector, siteKey, { form = false } = {}) {
  await collector.admin(`/v1/admin/sites/${siteKey}`, {
    method: 'PUT',
    body: JSON.stringify({ name: `Bench ${siteKey}`, allowedOrigins: [PAGE_ORIGIN] }),
  })
  if (!form) return { siteKey }
  const created = await collector.admin(`/v1/admin/sites/${siteKey}/forms/wp`, {
    method: 'PUT',
    body: JSON.stringify(LEAD_FORM),
  })
  const textId = created.consents.find((c) => c.purpose === 'marketing_email').textId
  const response = await fetch(`${collector.origin}/v1/sites/${siteKey}/forms/wp/start`, {
    headers: { origin: PAGE_ORIGIN },
  })
  if (!response.ok) throw new Error(`form start for ${siteKey}: ${response.status}`)
  return { siteKey, textId, startedAt: Date.now() }
}

/** A batch of `size` page views with fresh ids, as the widget sends it (no visitor id: no consent). */
export function eventBatch(siteKey, size) {
  const ts = new Date().toISOString()
  const events = []
  for (let i = 0; i < size; i++) {
    events.push({
      id: randomUUID(),
      type: 'page_view',
      ts,
      url: `${PAGE_ORIGIN}/pricing?utm_source=linkedin&utm_medium=paid&utm_campaign=bench`,
      referrer: 'https://www.linkedin.com/',
      utm: { source: 'linkedin', medium: 'paid', campaign: 'bench' },
    })
  }
  return JSON.stringify({ siteKey, events })
}

/**
 * One submission of form `wp` with the given submission id and email address and, when
 * given, the visitor id whose earlier touchpoints join the lead.
 */
export function leadSubmission(site, submissionId, email, visitorId) {
  return JSON.stringify({
    siteKey: site.siteKey,
    formId: 'wp',
    submissionId,
    ...(visitorId ? { visitorId } : {}),
    fields: {
      email,
      firstName: 'Anna',
      lastName: 'Berg',
      company: 'Firma GmbH',
      jobTitle: 'Head of Marketing',
    },
    consents: [{ purpose: 'marketing_email', granted: true, textId: site.textId }],
    page: { url: `${PAGE_ORIGIN}/whitepaper`, referrer: '' },
    utm: { source: 'linkedin', medium: 'paid', campaign: 'bench' },
    startToken: startTokenFor(site.siteKey),
  })
}

const HEADERS = {
  origin: PAGE_ORIGIN,
  // What `fetch(..., {keepalive: true})` and `sendBeacon` send: no CORS preflight.
  'content-type': 'text/plain;charset=UTF-8',
  'user-agent': USER_AGENT,
}

/**
 * The targets. Each answers the path, a body maker and, for the row check,
 * how many rows a 2xx answer stored (read from the answer itself).
 */
export const TARGETS = {
  noop: {
    label: 'no-op baseline',
    path: '/v1/noop',
    // The same body as one page view, so both sides do the same work outside the worker.
    body: (site) => eventBatch(site.siteKey, 1),
    stored: () => 0,
  },
  events1: {
    label: 'POST /v1/events, 1 event',
    path: '/v1/events',
    body: (site) => eventBatch(site.siteKey, 1),
    stored: (status, body) => (status === 202 ? JSON.parse(body).accepted : 0),
  },
  events20: {
    label: 'POST /v1/events, 20 events',
    path: '/v1/events',
    body: (site) => eventBatch(site.siteKey, 20),
    stored: (status, body) => (status === 202 ? JSON.parse(body).accepted : 0),
  },
  leads: {
    label: 'POST /v1/leads',
    path: '/v1/leads',
    form: true,
    body: (site) => {
      const id = randomUUID()
      return leadSubmission(site, id, `lead-${id.slice(0, 13)}@firma-${id.slice(14, 18)}.de`)
    },
    stored: (status) => (status === 201 ? 1 : 0),
  },
}

/**
 * `POST /v1/leads` naming a visitor of a pool of `pool` visitors (`uuidOf(prefix, i)`,
 * scripts/bench/bulk.mjs), each once in turn, as item 1 of issue 16 measures a submission
 * against its site's size. `used()` answers how many were named; past `pool` visitors are
 * named again (their touchpoints already attached), which the bench reports.
 */
export function visitorLeadsTarget(label, prefix, pool) {
  let next = 0
  return {
    label,
    path: '/v1/leads',
    form: true,
    body: (site) => {
      const id = randomUUID()
      const visitorId = uuidOf(prefix, next++ % pool)
      return leadSubmission(
        site,
        id,
        `lead-${id.slice(0, 13)}@firma-${id.slice(14, 18)}.de`,
        visitorId,
      )
    },
    stored: (status) => (status === 201 ? 1 : 0),
    used: () => next,
  }
}

/**
 * Loads one target for `seconds` at `connections`. Answers autocannon's
 * figures plus what the answers said was stored and how many requests were
 * still in flight when the time ran out (sent, never answered).
 */
export async function loadTarget(collector, target, site, { connections, seconds }) {
  let stored = 0
  const result = await autocannon({
    url: collector.origin,
    connections,
    duration: seconds,
    headers: HEADERS,
    requests: [
      {
        method: 'POST',
        path: target.path,
        setupRequest: (request) => ({ ...request, body: target.body(site) }),
        onResponse: (status, body) => {
          stored += target.stored(status, body)
        },
      },
    ],
  })
  return summarise(result, stored)
}

function summarise(result, stored) {
  const answered = result['1xx'] + result['2xx'] + result.non2xx
  return {
    seconds: result.duration,
    sent: result.requests.sent,
    answered,
    ok: result['2xx'],
    non2xx: result.non2xx,
    statusCodes: result.statusCodeStats,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    inFlight: Math.max(0, result.requests.sent - answered - result.errors),
    requestsPerSecond: answered / result.duration,
    storedPerSecond: stored / result.duration,
    stored,
    p50: result.latency.p50,
    p99: result.latency.p99,
  }
}

/**
 * The retry storm (issue 7): `total` submissions over `ids` submission ids at
 * `connections`, as a widget retrying on a bad network would send them. Each
 * id has its own email address, so exactly `ids` leads may come of it.
 */
export async function retryStorm(collector, site, { total, ids, connections }) {
  const submissions = Array.from({ length: ids }, (_, i) => {
    const id = randomUUID()
    return leadSubmission(site, id, `storm-${i}-${id.slice(0, 8)}@firma-storm.de`)
  })
  let next = 0
  const result = await autocannon({
    url: collector.origin,
    connections,
    amount: total,
    headers: HEADERS,
    requests: [
      {
        method: 'POST',
        path: '/v1/leads',
        setupRequest: (request) => ({ ...request, body: submissions[next++ % ids] }),
      },
    ],
  })
  return summarise(result, 0)
}
