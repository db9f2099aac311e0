import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { hmacSha256, signToken, toBase64Url } from '../../../worker/src/lib/crypto'
import {
  applyMutation,
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
} from '../arbitraries'
import { BASE, leadBody, pageView } from '../helpers'
import { SEED, world } from './harness'

/**
 * The requests the fuzz files send, built over the world of `harness.ts`: valid bodies
 * and their shapes per endpoint, hostile headers, path segments and tokens.
 */

/** A fresh address per request from 2001:db8::/32, so rate limits per /48 do not decide the answer. */
export const clientIp = fc.oneof(
  {
    arbitrary: fc
      .integer({ min: 0, max: 0xffff })
      .map((group) => `2001:db8:${group.toString(16)}::7`),
    weight: 9,
  },
  { arbitrary: headerValue, weight: 1 },
)

export const userAgent = fc.oneof(
  { arbitrary: fc.constant('Mozilla/5.0 fuzz'), weight: 4 },
  { arbitrary: headerValue, weight: 1 },
)

export function originOf(valid: () => string): fc.Arbitrary<string | null> {
  return fc.oneof(
    { arbitrary: fc.constant(null).map(() => valid()), weight: 6 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.oneof(headerValue, fc.webUrl(), fc.constant('null')), weight: 1 },
  )
}

/** Origins other than the site's own: another site's, variants of its own, junk, none. */
export function foreignOrigin(): fc.Arbitrary<string | null> {
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

export function headers(
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

export const jsonTypes = fc.constantFrom(
  'application/json',
  'text/plain;charset=UTF-8',
  'application/json; charset=utf-8',
  'TEXT/PLAIN',
)

export function post(
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

export function validEvents(): Record<string, unknown> {
  return {
    siteKey: world.site.siteKey,
    events: [
      pageView(`${world.site.origin}/pricing`, {
        referrer: 'https://www.google.com/',
        utm: { source: 'linkedin', medium: 'paid', campaign: 'Q4', term: 'crm', content: 'a' },
        formId: 'wp',
        props: { label: 'Demo' },
      }),
      pageView(`${world.site.origin}/pricing`, {
        type: 'engaged_time',
        value: 42,
        pageViewId: crypto.randomUUID(),
      }),
    ],
  }
}

export const EVENT_SPECS: PathSpec[] = [
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
  { path: ['events', 1], kind: 'object', required: true },
  { path: ['events', 1, 'type'], kind: 'string', required: true },
  { path: ['events', 1, 'value'], kind: 'seconds', required: true },
  { path: ['events', 1, 'pageViewId'], kind: 'string', required: true },
]
/** `props.label` may be text, a number or a boolean: mutated only where a payload may stay valid. */
export const EVENT_PATHS: Path[] = [
  ...EVENT_SPECS.map((spec) => spec.path),
  ['events', 0, 'props', 'label'],
]
export const EVENT_OBJECTS: Path[] = [
  [],
  ['events', 0],
  ['events', 0, 'utm'],
  ['events', 0, 'props'],
  ['events', 1],
]
export const EVENT_STRICT: Path[] = [[], ['events', 0], ['events', 0, 'utm'], ['events', 1]]

export const siteOrigin = () => world.site.origin

// ---- POST /v1/leads

export function validLead(): Record<string, unknown> {
  return { ...leadBody(world.site), visitorId: crypto.randomUUID(), turnstileToken: 'x' }
}

export const LEAD_SPECS: PathSpec[] = [
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
export const LEAD_PATHS: Path[] = LEAD_SPECS.map((spec) => spec.path)
export const LEAD_OBJECTS: Path[] = [[], ['fields'], ['consents', 0], ['page'], ['utm']]
/** `fields` is not strict in the schema, but a key the form does not have is refused. */
export const LEAD_STRICT: Path[] = [[], ['fields'], ['consents', 0], ['page'], ['utm']]

/** Every key a payload object may hold: an "extra" key must be none of them. */
export const KNOWN_KEYS = [
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

/** The kinds of payload every POST endpoint gets, as arbitraries over a fresh valid body. */
export function postKinds(
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

export const siteKeySegment = fc.oneof(
  { arbitrary: fc.constant(null).map(() => world.site.siteKey), weight: 3 },
  { arbitrary: fc.constant(null).map(() => world.other.siteKey), weight: 1 },
  { arbitrary: fc.constant(null).map(() => world.site.siteKey.toUpperCase()), weight: 1 },
  { arbitrary: fc.constant(null).map(() => `${world.site.siteKey}%00`), weight: 1 },
  { arbitrary: pathSegment, weight: 8 },
)

export const formIdSegment = fc.oneof(
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

export function get(path: fc.Arbitrary<string>, origin: fc.Arbitrary<string | null>) {
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
export function reaches(path: string, target: string): boolean {
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
export function brokenToken(valid: () => string): fc.Arbitrary<string> {
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

export function tokenSegment(
  valid: () => string,
  extra: fc.Arbitrary<string>[] = [],
): fc.Arbitrary<string> {
  return fc.oneof(brokenToken(valid), pathSegment, ...extra)
}

/** Download tokens signed with the real secret, so they pass the signature check and test what comes after it. */
export async function forgeDownloadTokens(): Promise<string[]> {
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
export function writingPaths(): string[] {
  return [
    `/v1/downloads/${world.downloadToken}`,
    `/v1/optin/${world.optinToken}`,
    `/v1/consent/${world.consentToken}/withdraw`,
  ]
}

/** A request to `template` with the token replaced by a segment that reaches none of the writing paths. */
export function tokenRequest(
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

export const noBody = fc.constant({ type: null, body: undefined })

/** Any body with any content type, as a one-click form post or a JSON withdrawal might send. */
export const anyWithdrawBody = fc.record({
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
export const refusedWithdrawBody = fc.record({
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

/** Mostly GET, sometimes a method the token routes do not answer. */
export const tokenMethod = fc.oneof(
  { arbitrary: fc.constant('GET'), weight: 9 },
  { arbitrary: oddMethod, weight: 1 },
)
