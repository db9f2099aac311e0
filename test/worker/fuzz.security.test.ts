import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import { ProblemSchema } from '../../shared/problem'
import { issueStartToken } from '../../worker/src/domain/start-token'
import { hmacSha256, signToken, toBase64Url } from '../../worker/src/lib/crypto'
import {
  applyMutation,
  describeRequest,
  foreignContentType,
  type FuzzRequest,
  headerValue,
  hostileString,
  hostileValue,
  longString,
  mutation,
  oddMethod,
  pathSegment,
  type Path,
  type PathSpec,
  protoObject,
  queryString,
  rawBody,
  refusedMutation,
  truncated,
  wrongType,
} from './arbitraries'
import {
  admin,
  BASE,
  call,
  createSite,
  leadBody,
  pageView,
  rowCounts,
  type TestSite,
} from './helpers'

/**
 * Property-based proof of docs/wire-contract.md#errors on every public endpoint: whatever arrives
 * (random JSON, a valid payload with one field broken, raw bytes, strange
 * content types, hostile path segments), the answer is never 5xx, every
 * refusal is `application/problem+json`, and a refused request writes
 * nothing. Each endpoint gets at least 10,000 payloads.
 *
 * "Writes nothing" is checked with triggers this file installs on every
 * table: they count each row inserted, updated or deleted, so an UPDATE on
 * refusal shows as clearly as an INSERT.
 */

/** Fixed, so a failure replays; fast-check reports the seed and the counterexample. */
const SEED = 20_261_124
/** Payloads sent at once in a run of a property whose payloads must all be refused. */
const CHUNK = 50
const MIN_PER_ENDPOINT = 10_000
/** 1 in CI; lower it locally to try a change quickly (the last test then fails on the count). */
const SCALE = 1

const ENDPOINTS = [
  'events',
  'leads',
  'config',
  'start',
  'downloads',
  'optin',
  'consent',
  'withdraw',
] as const
type Endpoint = (typeof ENDPOINTS)[number]
const sent = Object.fromEntries(ENDPOINTS.map((name) => [name, 0])) as Record<Endpoint, number>

/**
 * Refusals that keep the attempt in the spam table by design (docs/spam-and-abuse.md#spam-table).
 */
const HELD_AS_SPAM = new Set(['spam_suspected', 'disposable_email', 'rate_limited'])

// ---------------------------------------------------------------- write probe

type Writes = Record<string, number>

async function installWriteProbe(): Promise<void> {
  const { results } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table'
       AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' AND name <> 'fuzz_writes'`,
  ).all<{ name: string }>()
  const statements = [
    env.DB.prepare(
      'CREATE TABLE IF NOT EXISTS fuzz_writes (tbl TEXT PRIMARY KEY, n INTEGER NOT NULL)',
    ),
  ]
  for (const { name } of results) {
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      statements.push(
        env.DB.prepare(
          `CREATE TRIGGER IF NOT EXISTS fuzz_${name}_${op.toLowerCase()} AFTER ${op} ON ${name}
           BEGIN INSERT INTO fuzz_writes (tbl, n) VALUES ('${name}', 1) ON CONFLICT (tbl) DO UPDATE SET n = n + 1; END`,
        ),
      )
    }
  }
  await env.DB.batch(statements)
}

async function removeWriteProbe(): Promise<void> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'fuzz_%'",
  ).all<{ name: string }>()
  await env.DB.batch([
    ...results.map(({ name }) => env.DB.prepare(`DROP TRIGGER ${name}`)),
    env.DB.prepare('DROP TABLE IF EXISTS fuzz_writes'),
  ])
}

async function writes(): Promise<Writes> {
  const { results } = await env.DB.prepare('SELECT tbl, n FROM fuzz_writes').all<{
    tbl: string
    n: number
  }>()
  return Object.fromEntries(results.map(({ tbl, n }) => [tbl, n]))
}

function written(before: Writes, after: Writes): Writes {
  return Object.fromEntries(
    Object.entries(after)
      .map(([table, n]) => [table, n - (before[table] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  )
}

/**
 * True when `rows` holds nothing but at most `held` spam rows: each attempt held as spam writes
 * one row at most (`rate` is held once a minute per site, so a flood writes fewer).
 */
function onlySpam(rows: Writes, held: number): boolean {
  const { spam = 0, ...others } = rows
  return Object.keys(others).length === 0 && spam >= 0 && spam <= held
}

// ---------------------------------------------------------------- sending and checking

interface Answer {
  status: number
  contentType: string
  text: string
  code: string | null
}

function failure(why: string, request: FuzzRequest, answer?: Answer): Error {
  const answered = answer
    ? `\n  answer: ${answer.status} ${answer.contentType} ${answer.text.slice(0, 400)}`
    : ''
  return new Error(`${why}\n  request: ${describeRequest(request)}${answered}`)
}

/** Never 5xx; every refusal is a complete `application/problem+json` whose status is the answer's. */
function checkAnswer(request: FuzzRequest, answer: Answer): void {
  if (answer.status >= 500) throw failure('answered 5xx', request, answer)
  if (answer.status < 400) return
  if (!answer.contentType.includes('application/problem+json'))
    throw failure('a refusal that is not problem+json', request, answer)
  if (request.method === 'HEAD') return
  let body: unknown
  try {
    body = JSON.parse(answer.text)
  } catch {
    throw failure('a problem body that is not JSON', request, answer)
  }
  const problem = ProblemSchema.safeParse(body)
  if (
    !problem.success ||
    problem.data.status !== answer.status ||
    !problem.data.type.startsWith('https://') ||
    !problem.data.title ||
    !problem.data.detail
  ) {
    throw failure('a problem without status, type, title and detail', request, answer)
  }
  answer.code = problem.data.code
}

async function send(endpoint: Endpoint, request: FuzzRequest): Promise<Answer> {
  sent[endpoint]++
  const withBody =
    request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD'
  const response = await call(request.path, {
    method: request.method,
    headers: request.headers,
    ...(withBody ? { body: request.body } : {}),
  })
  const answer = {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
    code: null,
  }
  checkAnswer(request, answer)
  return answer
}

interface BatchOptions {
  /** The endpoint may answer 2xx to some of these payloads (it still must write nothing). */
  mayAccept?: boolean
  /** A refusal that holds the attempt as spam writes one spam row (POST /v1/leads). */
  spamHeld?: boolean
}

/**
 * Payloads sent CHUNK at a time: none may be answered 5xx, none accepted
 * (unless `mayAccept`), and the chunk must write nothing but the spam rows
 * of the attempts it held as spam.
 */
async function fuzzWithoutWrites(
  endpoint: Endpoint,
  requests: fc.Arbitrary<FuzzRequest>,
  payloads: number,
  { mayAccept = false, spamHeld = false }: BatchOptions = {},
): Promise<void> {
  const counts = await rowCounts()
  await fc.assert(
    fc.asyncProperty(fc.array(requests, { minLength: CHUNK, maxLength: CHUNK }), async (chunk) => {
      const before = await writes()
      const answers = await Promise.all(chunk.map((request) => send(endpoint, request)))
      answers.forEach((answer, i) => {
        if (!mayAccept && answer.status < 400)
          throw failure('accepted a payload that must be refused', chunk[i]!, answer)
      })
      const held = spamHeld
        ? answers.filter((answer) => HELD_AS_SPAM.has(answer.code ?? '')).length
        : 0
      const rows = written(before, await writes())
      if (!onlySpam(rows, held)) {
        throw new Error(
          `wrote ${JSON.stringify(rows)} answering only refusals (${held} held as spam); one of:\n${chunk.map(describeRequest).join('\n')}`,
        )
      }
    }),
    { seed: SEED, numRuns: Math.ceil((payloads * SCALE) / CHUNK) },
  )
  if (!spamHeld) expect(await rowCounts()).toEqual(counts)
}

/**
 * Payloads that may be valid, one at a time: none answered 5xx, and each
 * refusal writes nothing (a refusal that holds the attempt as spam writes
 * exactly one spam row, where `spamHeld`).
 */
async function fuzzOneByOne(
  endpoint: Endpoint,
  requests: fc.Arbitrary<FuzzRequest>,
  payloads: number,
  { spamHeld = false } = {},
): Promise<void> {
  let known: Writes | null = null
  await fc.assert(
    fc.asyncProperty(requests, async (request) => {
      const before = known ?? (await writes())
      known = null
      const answer = await send(endpoint, request)
      const after = await writes()
      known = after
      if (answer.status < 400) return
      const rows = written(before, after)
      const held = spamHeld && HELD_AS_SPAM.has(answer.code ?? '') ? 1 : 0
      if (!onlySpam(rows, held))
        throw failure(`a refusal wrote ${JSON.stringify(rows)}`, request, answer)
    }),
    { seed: SEED, numRuns: Math.ceil(payloads * SCALE) },
  )
}

// ---------------------------------------------------------------- the world under test

interface World {
  site: TestSite
  other: TestSite
  submissionId: string
  downloadToken: string
  optinToken: string
  consentToken: string
}

let world: World

async function buildWorld(): Promise<World> {
  const site = await createSite()
  const other = await createSite()
  const newsletter = await admin(`/v1/admin/sites/${site.siteKey}/forms/nl`, 'PUT', {
    kind: 'newsletter',
    title: 'Newsletter',
    fields: [{ name: 'email', type: 'email', required: true, label: 'E-Mail' }],
    consents: [
      {
        purpose: 'marketing_email',
        text: 'Ja, ich möchte den Newsletter erhalten.',
        required: true,
      },
    ],
  })
  expect(newsletter.status).toBe(201)
  const textId = ((await newsletter.json()) as { consents: { textId: string }[] }).consents[0]!
    .textId

  const gated = leadBody(site)
  const download = await call('/v1/leads', {
    method: 'POST',
    headers: {
      origin: site.origin,
      'content-type': 'application/json',
      'cf-connecting-ip': '2001:db8:ffff::1',
    },
    body: JSON.stringify(gated),
  })
  expect(download.status).toBe(201)
  const downloadUrl = ((await download.json()) as LeadSubmissionResult).download!.url

  const signup = await call('/v1/leads', {
    method: 'POST',
    headers: {
      origin: site.origin,
      'content-type': 'application/json',
      'cf-connecting-ip': '2001:db8:fffe::1',
    },
    body: JSON.stringify({
      siteKey: site.siteKey,
      formId: 'nl',
      submissionId: crypto.randomUUID(),
      fields: { email: 'fuzz.newsletter@example.org' },
      consents: [{ purpose: 'marketing_email', granted: true, textId }],
      page: { url: `${site.origin}/blog` },
      startToken: await issueStartToken(
        env.LODESTONE_SECRET,
        site.siteKey,
        'nl',
        Date.now() - 60_000,
      ),
    }),
  })
  expect(signup.status).toBe(201)
  const { leadId } = (await signup.json()) as LeadSubmissionResult
  const mail = await env.DB.prepare('SELECT body FROM outbox WHERE lead_id = ?1')
    .bind(leadId)
    .first<{ body: string }>()
  const optin = /\/v1\/optin\/([A-Za-z0-9_-]+)/.exec(mail!.body)
  const consent = /\/v1\/consent\/([A-Za-z0-9_-]+)/.exec(mail!.body)
  return {
    site,
    other,
    submissionId: gated.submissionId,
    downloadToken: downloadUrl.split('/').pop()!,
    optinToken: optin![1]!,
    consentToken: consent![1]!,
  }
}

beforeAll(async () => {
  await installWriteProbe()
  world = await buildWorld()
  console.log(`fuzz seed ${SEED}: set SEED in this file to replay another run`)
}, 60_000)

afterAll(async () => {
  await removeWriteProbe()
})

// ---------------------------------------------------------------- request builders

/** A fresh address per request from 2001:db8::/32, so rate limits per /48 do not decide the answer. */
const clientIp = fc.oneof(
  {
    arbitrary: fc
      .integer({ min: 0, max: 0xffff })
      .map((group) => `2001:db8:${group.toString(16)}::7`),
    weight: 9,
  },
  { arbitrary: headerValue, weight: 1 },
)

const userAgent = fc.oneof(
  { arbitrary: fc.constant('Mozilla/5.0 fuzz'), weight: 4 },
  { arbitrary: headerValue, weight: 1 },
)

function originOf(valid: () => string): fc.Arbitrary<string | null> {
  return fc.oneof(
    { arbitrary: fc.constant(null).map(() => valid()), weight: 6 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.oneof(headerValue, fc.webUrl(), fc.constant('null')), weight: 1 },
  )
}

/** Origins other than the site's own: another site's, variants of its own, junk, none. */
function foreignOrigin(): fc.Arbitrary<string | null> {
  return fc
    .oneof(
      fc.constant(null),
      fc.constant('null'),
      fc.constant(null).map(() => world.other.origin),
      fc.constant(null).map(() => `${world.site.origin}/`),
      fc.constant(null).map(() => world.site.origin.toUpperCase()),
      fc.constant(null).map(() => world.site.origin.replace('https:', 'http:')),
      fc.constant(null).map(() => `${world.site.origin}:8443`),
      fc.constant(null).map(() => `https://evil.example?${world.site.origin}`),
      headerValue,
      fc.webUrl(),
    )
    .filter((origin) => origin !== world.site.origin)
}

function headers(
  origin: string | null,
  contentType: string | null,
  ip: string,
  agent: string,
): Record<string, string> {
  return {
    ...(origin === null ? {} : { origin }),
    ...(contentType === null ? {} : { 'content-type': contentType }),
    'cf-connecting-ip': ip,
    'user-agent': agent,
  }
}

const jsonTypes = fc.constantFrom(
  'application/json',
  'text/plain;charset=UTF-8',
  'application/json; charset=utf-8',
  'TEXT/PLAIN',
)

function post(
  path: string,
  body: fc.Arbitrary<string | Uint8Array>,
  origin: fc.Arbitrary<string | null>,
  type: fc.Arbitrary<string | null>,
) {
  return fc
    .record({ body, origin, type, ip: clientIp, agent: userAgent })
    .map(({ body, origin, type, ip, agent }): FuzzRequest => ({
      method: 'POST',
      path,
      headers: headers(origin, type, ip, agent),
      body,
    }))
}

// ---- POST /v1/events

function validEvents(): Record<string, unknown> {
  return {
    siteKey: world.site.siteKey,
    events: [
      pageView(`${world.site.origin}/pricing`, {
        referrer: 'https://www.google.com/',
        utm: { source: 'linkedin', medium: 'paid', campaign: 'Q4', term: 'crm', content: 'a' },
        formId: 'wp',
        props: { label: 'Demo' },
      }),
    ],
  }
}

const EVENT_SPECS: PathSpec[] = [
  { path: ['siteKey'], kind: 'string', required: true },
  { path: ['visitorId'], kind: 'string', required: false },
  { path: ['events'], kind: 'array', required: true },
  { path: ['events', 0], kind: 'object', required: true },
  { path: ['events', 0, 'id'], kind: 'string', required: true },
  { path: ['events', 0, 'type'], kind: 'string', required: true },
  { path: ['events', 0, 'ts'], kind: 'string', required: true },
  { path: ['events', 0, 'url'], kind: 'string', required: true },
  { path: ['events', 0, 'referrer'], kind: 'string', required: false },
  { path: ['events', 0, 'utm'], kind: 'object', required: false },
  ...['source', 'medium', 'campaign', 'term', 'content'].map((key): PathSpec => ({
    path: ['events', 0, 'utm', key],
    kind: 'text',
    required: false,
  })),
  { path: ['events', 0, 'formId'], kind: 'string', required: false },
  { path: ['events', 0, 'props'], kind: 'object', required: false },
]
/** `props.label` may be text, a number or a boolean: mutated only where a payload may stay valid. */
const EVENT_PATHS: Path[] = [
  ...EVENT_SPECS.map((spec) => spec.path),
  ['events', 0, 'props', 'label'],
]
const EVENT_OBJECTS: Path[] = [[], ['events', 0], ['events', 0, 'utm'], ['events', 0, 'props']]
const EVENT_STRICT: Path[] = [[], ['events', 0], ['events', 0, 'utm']]

const siteOrigin = () => world.site.origin
const eventsText = () => JSON.stringify(validEvents())

// ---- POST /v1/leads

function validLead(): Record<string, unknown> {
  return { ...leadBody(world.site), visitorId: crypto.randomUUID(), turnstileToken: 'x' }
}

const LEAD_SPECS: PathSpec[] = [
  { path: ['siteKey'], kind: 'string', required: true },
  { path: ['formId'], kind: 'string', required: true },
  { path: ['submissionId'], kind: 'string', required: true },
  { path: ['visitorId'], kind: 'string', required: false },
  { path: ['fields'], kind: 'object', required: true },
  { path: ['fields', 'email'], kind: 'text', required: true },
  ...['firstName', 'lastName', 'company', 'jobTitle', 'phone'].map((key): PathSpec => ({
    path: ['fields', key],
    kind: 'text',
    required: false,
  })),
  // Without consents the required marketing_email consent is missing.
  { path: ['consents'], kind: 'array', required: true },
  { path: ['consents', 0], kind: 'object', required: true },
  { path: ['consents', 0, 'purpose'], kind: 'string', required: true },
  { path: ['consents', 0, 'granted'], kind: 'boolean', required: true },
  { path: ['consents', 0, 'textId'], kind: 'string', required: true },
  { path: ['page'], kind: 'object', required: true },
  { path: ['page', 'url'], kind: 'string', required: true },
  { path: ['page', 'referrer'], kind: 'string', required: false },
  { path: ['utm'], kind: 'object', required: false },
  ...['source', 'medium', 'campaign', 'term', 'content'].map((key): PathSpec => ({
    path: ['utm', key],
    kind: 'text',
    required: false,
  })),
  { path: ['honeypot'], kind: 'text', required: false },
  { path: ['startToken'], kind: 'string', required: true },
  { path: ['turnstileToken'], kind: 'string', required: false },
]
const LEAD_PATHS: Path[] = LEAD_SPECS.map((spec) => spec.path)
const LEAD_OBJECTS: Path[] = [[], ['fields'], ['consents', 0], ['page'], ['utm']]
/** `fields` is not strict in the schema, but a key the form does not have is refused. */
const LEAD_STRICT: Path[] = [[], ['fields'], ['consents', 0], ['page'], ['utm']]

/** Every key a payload object may hold: an "extra" key must be none of them. */
const KNOWN_KEYS = [
  'siteKey',
  'formId',
  'submissionId',
  'visitorId',
  'fields',
  'consents',
  'page',
  'utm',
  'honeypot',
  'startToken',
  'turnstileToken',
  'email',
  'firstName',
  'lastName',
  'company',
  'jobTitle',
  'phone',
  'purpose',
  'granted',
  'textId',
  'url',
  'referrer',
  'source',
  'medium',
  'campaign',
  'term',
  'content',
  'events',
  'id',
  'type',
  'ts',
  'props',
  'label',
]

const leadText = () => JSON.stringify(validLead())

/** The kinds of payload every POST endpoint gets, as arbitraries over a fresh valid body. */
function postKinds(
  path: string,
  valid: () => Record<string, unknown>,
  shape: { specs: PathSpec[]; paths: Path[]; objects: Path[]; strict: Path[] },
) {
  const fresh = fc.constant(null).map(() => valid())
  const validText = fresh.map((body) => JSON.stringify(body))
  return {
    /** Any JSON at all: it never names a real site, so it is always refused. */
    randomJson: post(
      path,
      fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
      originOf(siteOrigin),
      jsonTypes,
    ),
    /** Bytes, text, deep nesting, truncated JSON. */
    raw: post(
      path,
      validText.chain(rawBody),
      originOf(siteOrigin),
      fc.oneof(jsonTypes, fc.constant(null)),
    ),
    /** A valid body sent with a content type the endpoint does not read. */
    contentType: post(path, validText, fc.constant(null).map(siteOrigin), foreignContentType),
    /** A valid body from an origin the site does not allow. */
    origin: post(path, validText, foreignOrigin(), jsonTypes),
    /** A valid body with one change the contract refuses. */
    refused: post(
      path,
      fc
        .tuple(fresh, refusedMutation(shape.specs, shape.strict, KNOWN_KEYS))
        .map(([body, change]) => JSON.stringify(applyMutation(body, change))),
      fc.constant(null).map(siteOrigin),
      jsonTypes,
    ),
    /** A valid body with one field set to anything, or an extra key; may be valid, so sent one at a time. */
    mutated: post(
      path,
      fc
        .tuple(fresh, mutation(shape.paths, shape.objects))
        .map(([body, change]) => JSON.stringify(applyMutation(body, change))),
      originOf(siteOrigin),
      fc.oneof({ arbitrary: jsonTypes, weight: 9 }, { arbitrary: fc.constant(null), weight: 1 }),
    ),
  }
}

// ---- GET /v1/sites/{siteKey}/config and /forms/{formId}/start

const siteKeySegment = fc.oneof(
  { arbitrary: fc.constant(null).map(() => world.site.siteKey), weight: 3 },
  { arbitrary: fc.constant(null).map(() => world.other.siteKey), weight: 1 },
  { arbitrary: fc.constant(null).map(() => world.site.siteKey.toUpperCase()), weight: 1 },
  { arbitrary: fc.constant(null).map(() => `${world.site.siteKey}%00`), weight: 1 },
  { arbitrary: pathSegment, weight: 8 },
)

const formIdSegment = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      'wp',
      'nl',
      'WP',
      'wp%00',
      'nope',
      'wp..',
      '__proto__',
      'constructor',
    ),
    weight: 3,
  },
  { arbitrary: pathSegment, weight: 5 },
)

function get(path: fc.Arbitrary<string>, origin: fc.Arbitrary<string | null>) {
  return fc
    .record({
      path,
      origin,
      method: fc.oneof(
        { arbitrary: fc.constant('GET'), weight: 9 },
        { arbitrary: oddMethod, weight: 1 },
      ),
      accept: fc.oneof(
        fc.constant(null),
        fc.constantFrom('text/html', 'application/json', '*/*'),
        headerValue,
      ),
      ip: clientIp,
      agent: userAgent,
      body: fc.option(
        fc.oneof(
          hostileString,
          fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
        ),
        { nil: undefined },
      ),
    })
    .map(({ path, origin, method, accept, ip, agent, body }): FuzzRequest => ({
      method,
      path,
      headers: { ...headers(origin, null, ip, agent), ...(accept === null ? {} : { accept }) },
      ...(body === undefined ? {} : { body }),
    }))
}

// ---- tokens

/** `path` reaches `target` once the URL is parsed (dot segments, query, fragment) and percent-decoded. */
function reaches(path: string, target: string): boolean {
  const decode = (value: string) =>
    value
      .split('/')
      .map((segment) => {
        try {
          return decodeURIComponent(segment)
        } catch {
          return segment
        }
      })
      .join('/')
  const resolved = new URL(`${BASE}${path}`).pathname
  return resolved === target || decode(resolved) === decode(target)
}

/** A real token changed so that it is no longer valid: cut, one character replaced, wrapped, reversed. */
function brokenToken(valid: () => string): fc.Arbitrary<string> {
  const token = fc.constant(null).map(valid)
  return fc
    .oneof(
      fc.tuple(token, fc.nat()).map(([t, n]) => t.slice(0, n % t.length)),
      fc
        .tuple(token, fc.nat(), fc.constantFrom(...'AZaz09-_.=+/~%!'.split('')))
        .map(([t, n, char]) => `${t.slice(0, n % t.length)}${char}${t.slice((n % t.length) + 1)}`),
      fc
        .tuple(token, fc.nat(), pathSegment)
        .map(([t, n, s]) => `${t.slice(0, n % t.length)}${s}${t.slice(n % t.length)}`),
      fc.tuple(token, pathSegment).map(([t, s]) => `${t}${s}`),
      fc.tuple(token, pathSegment).map(([t, s]) => `${s}${t}`),
      token.map((t) => t.toUpperCase()),
      token.map((t) => [...t].reverse().join('')),
      token.map((t) => t.split('.').reverse().join('.')),
      token.map((t) => `${t}.${t}`),
      token.map((t) => `${t}/..`),
    )
    .filter((t) => t !== valid())
}

function tokenSegment(
  valid: () => string,
  extra: fc.Arbitrary<string>[] = [],
): fc.Arbitrary<string> {
  return fc.oneof(brokenToken(valid), pathSegment, ...extra)
}

/** Signed with the real secret, so they pass the signature check and test what comes after it. */
let forgedDownloads: string[] = []

async function forgeDownloadTokens(): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000)
  const claim = fc
    .record(
      {
        s: fc.oneof(
          fc.constant(world.site.siteKey),
          fc.constant(world.other.siteKey),
          hostileValue,
        ),
        sub: fc.oneof(fc.constant(world.submissionId), fc.uuid(), hostileValue),
        exp: fc.oneof(
          fc.integer({ min: 0, max: now - 1 }),
          fc.integer({ min: now + 60, max: now + 10_000_000 }),
          wrongType,
          hostileString,
        ),
      },
      { requiredKeys: [] },
    )
    .filter(
      (c) =>
        !(
          c.s === world.site.siteKey &&
          c.sub === world.submissionId &&
          typeof c.exp === 'number' &&
          c.exp > now
        ),
    )
  const claims = fc.sample(
    fc.oneof(claim, protoObject, fc.array(fc.jsonValue(), { maxLength: 3 })),
    { numRuns: 300, seed: SEED },
  )
  const bodies = fc.sample(fc.uint8Array({ maxLength: 64 }), { numRuns: 60, seed: SEED })
  const secret = env.LODESTONE_SECRET
  return [
    ...(await Promise.all(claims.map((c) => signToken(secret, c as object)))),
    ...(await Promise.all(
      bodies.map(async (bytes) => {
        const body = toBase64Url(bytes)
        return `${body}.${toBase64Url(await hmacSha256(secret, body))}`
      }),
    )),
  ]
}

/** The paths where a real token would change something; no generated token may reach them. */
function writingPaths(): string[] {
  return [
    `/v1/downloads/${world.downloadToken}`,
    `/v1/optin/${world.optinToken}`,
    `/v1/consent/${world.consentToken}/withdraw`,
  ]
}

/** A request to `template` with the token replaced by a segment that reaches none of the writing paths. */
function tokenRequest(
  template: (token: string) => string,
  segment: fc.Arbitrary<string>,
  method: fc.Arbitrary<string>,
  body: fc.Arbitrary<{ type: string | null; body: string | undefined }>,
) {
  return fc
    .record({
      token: segment,
      query: fc.oneof(
        { arbitrary: fc.constant(''), weight: 4 },
        { arbitrary: queryString, weight: 1 },
      ),
      method,
      body,
      accept: fc.option(fc.constantFrom('text/html', 'application/json', '*/*'), { nil: null }),
      ip: clientIp,
      agent: userAgent,
    })
    .map(({ token, query, method, body, accept, ip, agent }): FuzzRequest => ({
      method,
      path: `${template(token)}${query}`,
      headers: { ...headers(null, body.type, ip, agent), ...(accept === null ? {} : { accept }) },
      ...(body.body === undefined ? {} : { body: body.body }),
    }))
    .filter((request) => !writingPaths().some((target) => reaches(request.path, target)))
}

const noBody = fc.constant({ type: null, body: undefined })

/** Any body with any content type, as a one-click form post or a JSON withdrawal might send. */
const anyWithdrawBody = fc.record({
  type: fc.oneof(
    fc.constant(null),
    fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain'),
    foreignContentType,
  ),
  body: fc.option(
    fc.oneof(
      hostileString,
      fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
      fc.constant('List-Unsubscribe=One-Click'),
    ),
    { nil: undefined },
  ),
})

/** JSON bodies a withdrawal must refuse: broken JSON, no object, wrong `purposes`, extra keys, too big. */
const refusedWithdrawBody = fc.record({
  type: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'),
  body: fc.oneof(
    truncated('{"purposes":["marketing_email"]}').filter((text) => text !== ''),
    fc
      .jsonValue()
      .filter((value) => typeof value !== 'object' || value === null || Array.isArray(value))
      .map((value) => JSON.stringify(value) ?? 'null'),
    fc
      .oneof(
        fc.constantFrom<unknown>(
          null,
          1,
          true,
          'marketing_email',
          {},
          [],
          [1],
          [null],
          ['MARKETING'],
          ['a'.repeat(65)],
          Array.from({ length: 21 }, () => 'a'),
        ),
        wrongType.filter((value) => !Array.isArray(value)),
        fc.array(
          hostileString.filter(
            (value) => !/^[a-z0-9][a-z0-9_-]*$/.test(value) || value.length > 64,
          ),
          { minLength: 1, maxLength: 3 },
        ),
      )
      .map((purposes) => JSON.stringify({ purposes })),
    fc
      .tuple(fc.constantFrom('__proto__', 'constructor', 'purpose', 'all'), hostileValue)
      .map(
        ([key, value]) =>
          `{"purposes":["marketing_email"],${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}`,
      ),
    longString
      .filter((text) => text.length > 4096)
      .map((text) => JSON.stringify({ purposes: [text] })),
  ),
})

// ---------------------------------------------------------------- the properties

const TIMEOUT = 180_000

describe('the write probe', () => {
  it('counts every row an accepted submission inserts and updates, so a write on refusal cannot go unseen', async () => {
    const before = await writes()
    const body = leadBody(world.site)
    const request: FuzzRequest = {
      method: 'POST',
      path: '/v1/leads',
      headers: headers(
        world.site.origin,
        'application/json',
        '2001:db8:fffd::1',
        'Mozilla/5.0 fuzz',
      ),
      body: JSON.stringify(body),
    }
    expect((await send('leads', request)).status).toBe(201)
    expect(written(before, await writes())).toMatchObject({
      submissions: expect.any(Number),
      leads: expect.any(Number),
      consent_ledger: 1,
    })
  })
})

describe('fuzzing POST /v1/events', () => {
  const kinds = () =>
    postKinds('/v1/events', validEvents, {
      specs: EVENT_SPECS,
      paths: EVENT_PATHS,
      objects: EVENT_OBJECTS,
      strict: EVENT_STRICT,
    })

  it(
    'refuses random JSON, raw bytes and truncated JSON with a problem and writes nothing',
    async () => {
      await fuzzWithoutWrites('events', kinds().randomJson, 1_500)
      await fuzzWithoutWrites('events', kinds().raw, 1_500)
    },
    TIMEOUT,
  )

  it(
    'refuses a valid batch with a foreign content type or origin and writes nothing',
    async () => {
      await fuzzWithoutWrites('events', kinds().contentType, 1_000)
      await fuzzWithoutWrites('events', kinds().origin, 1_000)
    },
    TIMEOUT,
  )

  it(
    'refuses a valid batch with one field of the wrong type, too long, with a control character, missing or extra',
    async () => {
      await fuzzWithoutWrites('events', kinds().refused, 4_000)
    },
    TIMEOUT,
  )

  it(
    'never answers 5xx to a batch with one field set to anything, and a refused batch writes nothing',
    async () => {
      await fuzzOneByOne('events', kinds().mutated, 1_000)
    },
    TIMEOUT,
  )
})

describe('fuzzing POST /v1/leads', () => {
  const kinds = () =>
    postKinds('/v1/leads', validLead, {
      specs: LEAD_SPECS,
      paths: LEAD_PATHS,
      objects: LEAD_OBJECTS,
      strict: LEAD_STRICT,
    })

  it(
    'refuses random JSON, raw bytes and truncated JSON with a problem and writes nothing',
    async () => {
      await fuzzWithoutWrites('leads', kinds().randomJson, 1_500, { spamHeld: true })
      await fuzzWithoutWrites('leads', kinds().raw, 1_500, { spamHeld: true })
    },
    TIMEOUT,
  )

  it(
    'refuses a valid submission with a foreign content type or origin and writes nothing',
    async () => {
      await fuzzWithoutWrites('leads', kinds().contentType, 1_000, { spamHeld: true })
      await fuzzWithoutWrites('leads', kinds().origin, 1_000, { spamHeld: true })
    },
    TIMEOUT,
  )

  it(
    'refuses a valid submission with one field of the wrong type, too long, with a control character, missing or extra',
    async () => {
      await fuzzWithoutWrites('leads', kinds().refused, 4_000, { spamHeld: true })
    },
    TIMEOUT,
  )

  it(
    'never answers 5xx to a submission with one field set to anything, and a refusal writes nothing but held spam',
    async () => {
      await fuzzOneByOne('leads', kinds().mutated, 1_000, { spamHeld: true })
    },
    TIMEOUT,
  )
})

describe('fuzzing GET /v1/sites/{siteKey}/config and /forms/{formId}/start', () => {
  it(
    'answers hostile site keys, origins, queries and methods without 5xx and never writes',
    async () => {
      const path = fc
        .tuple(siteKeySegment, queryString)
        .map(([key, query]) => `/v1/sites/${key}/config${query}`)
      await fuzzWithoutWrites('config', get(path, originOf(siteOrigin)), 10_000, {
        mayAccept: true,
      })
    },
    TIMEOUT,
  )

  it(
    'answers hostile site keys, form ids, visitor ids and methods without 5xx and never writes',
    async () => {
      const path = fc
        .tuple(siteKeySegment, formIdSegment, queryString)
        .map(([key, form, query]) => `/v1/sites/${key}/forms/${form}/start${query}`)
      await fuzzWithoutWrites('start', get(path, originOf(siteOrigin)), 10_000, { mayAccept: true })
    },
    TIMEOUT,
  )
})

describe('fuzzing the token endpoints', () => {
  const method = fc.oneof(
    { arbitrary: fc.constant('GET'), weight: 9 },
    { arbitrary: oddMethod, weight: 1 },
  )

  it(
    'refuses broken, random and forged download tokens with a problem and writes nothing',
    async () => {
      forgedDownloads = await forgeDownloadTokens()
      const valid = () => world.downloadToken
      const segment = tokenSegment(valid, [
        fc.constantFrom(...forgedDownloads),
        fc.constantFrom(...forgedDownloads).chain((t) => brokenToken(() => t)),
      ])
      await fuzzWithoutWrites(
        'downloads',
        tokenRequest((t) => `/v1/downloads/${t}`, segment, method, noBody),
        10_000,
      )
    },
    TIMEOUT,
  )

  it(
    'refuses broken and random opt-in tokens with a problem and writes nothing',
    async () => {
      const valid = () => world.optinToken
      const segment = tokenSegment(valid, [fc.constant(null).map(() => world.consentToken)])
      await fuzzWithoutWrites(
        'optin',
        tokenRequest((t) => `/v1/optin/${t}`, segment, method, noBody),
        10_000,
      )
    },
    TIMEOUT,
  )

  it(
    'answers receipt requests with broken, random and real tokens without 5xx and never writes',
    async () => {
      const valid = () => world.consentToken
      const segment = fc.oneof(
        {
          arbitrary: tokenSegment(valid, [fc.constant(null).map(() => world.optinToken)]),
          weight: 9,
        },
        { arbitrary: fc.constant(null).map(valid), weight: 1 },
      )
      await fuzzWithoutWrites(
        'consent',
        tokenRequest((t) => `/v1/consent/${t}`, segment, method, noBody),
        10_000,
        {
          mayAccept: true,
        },
      )
    },
    TIMEOUT,
  )

  it(
    'refuses withdrawals with a broken token or a bad JSON body and writes nothing, while consents are active',
    async () => {
      const valid = () => world.consentToken
      const post = fc.oneof(
        { arbitrary: fc.constant('POST'), weight: 9 },
        { arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE'), weight: 1 },
      )
      const broken = tokenRequest(
        (t) => `/v1/consent/${t}/withdraw`,
        tokenSegment(valid),
        post,
        anyWithdrawBody,
      )
      await fuzzWithoutWrites('withdraw', broken, 7_500)
      const badBody = fc
        .tuple(
          refusedWithdrawBody,
          clientIp,
          fc.option(fc.constantFrom('text/html', 'application/json'), { nil: null }),
        )
        .map(([body, ip, accept]): FuzzRequest => ({
          method: 'POST',
          path: `/v1/consent/${world.consentToken}/withdraw`,
          headers: {
            ...headers(null, body.type, ip, 'Mozilla/5.0 fuzz'),
            ...(accept === null ? {} : { accept }),
          },
          body: body.body,
        }))
      await fuzzWithoutWrites('withdraw', badBody, 2_000)
    },
    TIMEOUT,
  )

  it(
    'answers withdrawals with any body and content type without 5xx, and a refusal writes nothing',
    async () => {
      const request = fc
        .tuple(
          anyWithdrawBody,
          clientIp,
          fc.option(fc.constantFrom('text/html', 'application/json'), { nil: null }),
        )
        .map(([body, ip, accept]): FuzzRequest => ({
          method: 'POST',
          path: `/v1/consent/${world.consentToken}/withdraw`,
          headers: {
            ...headers(null, body.type, ip, 'Mozilla/5.0 fuzz'),
            ...(accept === null ? {} : { accept }),
          },
          ...(body.body === undefined ? {} : { body: body.body }),
        }))
      await fuzzOneByOne('withdraw', request, 500)
    },
    TIMEOUT,
  )
})

describe('cases the fuzzing found: POST /v1/consent/{token}/withdraw', () => {
  // Found by fuzzing: the withdrawal read its JSON body only under the lower-case `application/json`,
  // but media types are case-insensitive (RFC 9110 §8.3.1). With `Application/JSON` the body was
  // ignored, malformed JSON was not refused, and every consent was withdrawn instead of those named.
  it('reads a JSON withdrawal whatever the case of its media type, and withdraws only the purposes named', async () => {
    const site = await createSite()
    const form = await admin(`/v1/admin/sites/${site.siteKey}/forms/nl`, 'PUT', {
      kind: 'newsletter',
      title: 'Newsletter',
      fields: [{ name: 'email', type: 'email', required: true, label: 'E-Mail' }],
      consents: [
        {
          purpose: 'marketing_email',
          text: 'Ja, ich möchte den Newsletter erhalten.',
          required: true,
        },
        {
          purpose: 'tracking',
          text: 'Ich bin mit der Auswertung meines Besuchs einverstanden.',
          required: false,
        },
      ],
    })
    const consents = ((await form.json()) as { consents: { purpose: string; textId: string }[] })
      .consents
    const signup = await call('/v1/leads', {
      method: 'POST',
      headers: {
        origin: site.origin,
        'content-type': 'application/json',
        'cf-connecting-ip': '2001:db8:fffc::1',
      },
      body: JSON.stringify({
        siteKey: site.siteKey,
        formId: 'nl',
        submissionId: crypto.randomUUID(),
        fields: { email: 'case.check@example.org' },
        consents: consents.map(({ purpose, textId }) => ({ purpose, granted: true, textId })),
        page: { url: `${site.origin}/blog` },
        startToken: await issueStartToken(
          env.LODESTONE_SECRET,
          site.siteKey,
          'nl',
          Date.now() - 60_000,
        ),
      }),
    })
    expect(signup.status).toBe(201)
    const { leadId } = (await signup.json()) as LeadSubmissionResult
    const mail = await env.DB.prepare('SELECT body FROM outbox WHERE lead_id = ?1')
      .bind(leadId)
      .first<{ body: string }>()
    const token = /\/v1\/consent\/([A-Za-z0-9_-]+)/.exec(mail!.body)![1]!

    const before = await rowCounts()
    const malformed = await call(`/v1/consent/${token}/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON' },
      body: '{',
    })
    expect.soft(malformed.status, 'malformed JSON is refused').toBe(400)
    expect.soft(await rowCounts(), 'the refusal writes nothing').toEqual(before)
    const withdrawal = await call(`/v1/consent/${token}/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON' },
      body: JSON.stringify({ purposes: ['tracking'] }),
    })
    expect.soft(withdrawal.status).toBe(200)
    expect
      .soft(await withdrawal.json(), 'only the purpose named is withdrawn')
      .toEqual({ withdrawn: ['tracking'] })
  })
})

describe('cases the fuzzing found: POST /v1/leads', () => {
  // Found by fuzzing: zod 4 skips a `__proto__` key of a record without validating it (so the
  // prototype of its output stays safe), so `fields.__proto__` was dropped silently and the
  // submission stored, where any other field the form does not have is refused with 422.
  it('refuses a __proto__ key in fields like any other field the form does not have, and writes nothing', async () => {
    const good = leadBody(world.site)
    // Parsed from JSON, so that `__proto__` is an own key that JSON.stringify writes out.
    const fields = Object.assign(
      JSON.parse('{"__proto__":"x"}') as Record<string, unknown>,
      good.fields,
    )
    const body = JSON.stringify({ ...good, fields })
    expect(body).toContain('"__proto__":"x"')
    const before = await rowCounts()
    const response = await call('/v1/leads', {
      method: 'POST',
      headers: {
        origin: world.site.origin,
        'content-type': 'application/json',
        'cf-connecting-ip': '2001:db8:fffb::1',
      },
      body,
    })
    expect.soft(response.status).toBe(422)
    expect.soft(await rowCounts(), 'the refusal writes nothing').toEqual(before)
  })
})

describe('after the fuzzing', () => {
  it(`sent at least ${MIN_PER_ENDPOINT} payloads to each public endpoint`, () => {
    console.log(`payloads sent: ${JSON.stringify(sent)}`)
    for (const endpoint of ENDPOINTS)
      expect(sent[endpoint], endpoint).toBeGreaterThanOrEqual(MIN_PER_ENDPOINT)
  })

  it('left no polluted prototype behind', () => {
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  })
})
