import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { afterAll, beforeAll, expect } from 'vitest'
import type { LeadSubmissionResult } from '../../../shared/leads'
import { ProblemSchema } from '../../../shared/problem'
import { MAX_REFUSED_ORIGINS } from '../../../worker/src/db/origin-activity'
import { issueStartToken } from '../../../worker/src/domain/start-token'
import { describeRequest, type FuzzRequest } from '../arbitraries'
import { admin, call, createSite, leadBody, rowCounts, type TestSite } from '../helpers'

/**
 * What every fuzz file shares: the payload budget, the write probe, the
 * world of sites and tokens the payloads aim at, and the two ways of sending
 * payloads and checking the answers. Each public endpoint has its own file in
 * this folder, so each counts its own payloads and runs alone.
 *
 * The property on every endpoint (docs/wire-contract.md#errors): whatever
 * arrives, the answer is never 5xx, every refusal is `application/problem+json`,
 * and a refused request writes nothing but the spam row of an attempt that is
 * held as spam by design (docs/spam-and-abuse.md#spam-table) and the note of a
 * refused origin for the installation check (docs/app.md#install).
 * "Writes nothing" is checked with triggers installed on every table: they
 * count each row inserted, updated or deleted, so an UPDATE on refusal shows
 * as clearly as an INSERT.
 */

/** Fixed, so a failure replays; fast-check reports the seed and the counterexample. */
export const SEED = 20_261_124
/** Payloads sent at once in a run of a property whose payloads must all be refused. */
const CHUNK = 50
export const TIMEOUT = 600_000

/**
 * Payloads per public endpoint: 10,000 in CI (`FUZZ_RUNS=10000 npm test`), fewer by default so
 * that the developer loop stays fast. Read in vitest.config.ts and bound into workerd.
 */
export function fuzzRuns(): number {
  const raw = env.FUZZ_RUNS
  const runs = Number(raw)
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`FUZZ_RUNS must be a whole number of payloads per endpoint, not "${raw}"`)
  return runs
}

// ---------------------------------------------------------------- the budget

/**
 * The payloads of one endpoint, split between its kinds of payload by weight. Each test sends
 * exactly its share and checks so; when the whole file ran, it printed and checked the total.
 */
export class Budget<Kind extends string> {
  readonly total = fuzzRuns()
  private readonly shares: Record<Kind, number>
  private readonly spent = new Map<Kind, number>()
  /** Spam rows the payloads wrote, each accounted for by an answer that held it. */
  spamHeld = 0

  constructor(
    readonly endpoint: string,
    weights: Record<Kind, number>,
  ) {
    const kinds = Object.keys(weights) as Kind[]
    const sum = kinds.reduce((total, kind) => total + weights[kind], 0)
    const shares = Object.fromEntries(
      kinds.map((kind) => [kind, Math.floor((this.total * weights[kind]) / sum)]),
    ) as Record<Kind, number>
    // What flooring left over goes to the heaviest kind, so the shares add up to the total.
    const heaviest = kinds.reduce((a, b) => (weights[b] > weights[a] ? b : a))
    shares[heaviest] += this.total - kinds.reduce((total, kind) => total + shares[kind], 0)
    const starved = kinds.filter((kind) => shares[kind] === 0)
    if (starved.length > 0)
      throw new Error(
        `FUZZ_RUNS=${this.total} leaves no payload for ${starved.join(', ')} on ${endpoint}`,
      )
    this.shares = shares
    afterAll(() => this.report())
  }

  share(kind: Kind): number {
    return this.shares[kind]
  }

  record(kind: Kind, sent: number): void {
    expect(sent, `payloads of kind ${kind} sent to ${this.endpoint}`).toBe(this.shares[kind])
    this.spent.set(kind, sent)
  }

  private report(): void {
    const sent = [...this.spent.values()].reduce((total, n) => total + n, 0)
    const held = this.spamHeld > 0 ? `, ${this.spamHeld} held as spam` : ''
    console.log(`fuzz: ${sent} payloads on ${this.endpoint}${held} (seed ${SEED})`)
    // A filtered run (`-t`) sends only some kinds; the total is checked when all of them ran.
    if (this.spent.size === Object.keys(this.shares).length)
      expect(sent, `payloads sent to ${this.endpoint}`).toBe(this.total)
  }
}

// ---------------------------------------------------------------- write probe

export type Writes = Record<string, number>

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

/**
 * A refusal from an origin the site does not allow is noted for the installation check
 * (docs/app.md#install): that table is bookkeeping a refusal may write, bounded per site, so
 * the probe leaves it out and `checkRefusalBookkeeping` checks its bound instead.
 */
const REFUSAL_BOOKKEEPING = 'origin_refusals'

export async function writes(): Promise<Writes> {
  const { results } = await env.DB.prepare('SELECT tbl, n FROM fuzz_writes WHERE tbl <> ?1')
    .bind(REFUSAL_BOOKKEEPING)
    .all<{ tbl: string; n: number }>()
  return Object.fromEntries(results.map(({ tbl, n }) => [tbl, n]))
}

/** However many refusals arrived, no site remembers more refused origins than its bound. */
async function checkRefusalBookkeeping(): Promise<void> {
  const row = await env.DB.prepare(
    `SELECT coalesce(max(n), 0) AS most FROM
       (SELECT count(*) AS n FROM ${REFUSAL_BOOKKEEPING} GROUP BY site_key)`,
  ).first<{ most: number }>()
  expect(row!.most).toBeLessThanOrEqual(MAX_REFUSED_ORIGINS)
}

export function written(before: Writes, after: Writes): Writes {
  return Object.fromEntries(
    Object.entries(after)
      .map(([table, n]) => [table, n - (before[table] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  )
}

// ---------------------------------------------------------------- spam held by design

/** Refusals that hold the attempt as one spam row each: honeypot, too fast, Turnstile, disposable. */
const HELD_EACH_TIME = new Set(['spam_suspected', 'disposable_email'])

async function lastSpamId(): Promise<number> {
  const row = await env.DB.prepare('SELECT coalesce(max(id), 0) AS id FROM spam').first<{
    id: number
  }>()
  return row!.id
}

/**
 * The spam rows since `afterId` must be exactly those the answers held: one for each answer
 * `spam_suspected` or `disposable_email`, and at most one for all `rate_limited` answers
 * together (a flood is held once a minute per site). `rows` are the probe's writes meanwhile:
 * nothing but those spam rows, inserted, never updated or deleted. Answers how many there were.
 */
async function checkHeldSpam(answers: Answer[], afterId: number, rows: Writes): Promise<number> {
  const { results } = await env.DB.prepare(
    'SELECT reason, count(*) AS n FROM spam WHERE id > ?1 GROUP BY reason',
  )
    .bind(afterId)
    .all<{ reason: string; n: number }>()
  const byReason = Object.fromEntries(results.map(({ reason, n }) => [reason, n]))
  const { rate = 0, ...others } = byReason
  const heldEachTime = answers.filter((answer) => HELD_EACH_TIME.has(answer.code ?? '')).length
  const rateLimited = answers.filter((answer) => answer.code === 'rate_limited').length
  const spamRows = rate + Object.values(others).reduce((total, n) => total + n, 0)
  const expected = spamRows === 0 ? {} : { spam: spamRows }
  const problems = [
    Object.values(others).reduce((total, n) => total + n, 0) !== heldEachTime &&
      `${heldEachTime} answers held as spam, but spam rows ${JSON.stringify(others)}`,
    rate > Math.min(rateLimited, 1) && `${rate} spam rows for ${rateLimited} rate-limited answers`,
    JSON.stringify(rows) !== JSON.stringify(expected) &&
      `wrote ${JSON.stringify(rows)} where only ${spamRows} spam rows were held`,
  ].filter(Boolean)
  if (problems.length > 0) throw new Error(problems.join('; '))
  return spamRows
}

// ---------------------------------------------------------------- sending and checking

export interface Answer {
  status: number
  contentType: string
  text: string
  code: string | null
}

export function failure(why: string, request: FuzzRequest, answer?: Answer): Error {
  const answered = answer
    ? `\n  answer: ${answer.status} ${answer.contentType} ${answer.text.slice(0, 400)}`
    : ''
  return new Error(`${why}\n  request: ${describeRequest(request)}${answered}`)
}

/**
 * A mailed link (opt-in, receipt, withdrawal) refuses a person with a page, not JSON
 * (docs/consent-and-privacy.md#links): only when the client accepts HTML or posts a one-click
 * form, and the page names its language.
 */
function isLinkPage(request: FuzzRequest, answer: Answer): boolean {
  const header = (name: string) =>
    Object.entries(request.headers ?? {})
      .find(([key]) => key.toLowerCase() === name)?.[1]
      ?.toLowerCase() ?? ''
  return (
    /^\/v1\/(optin|consent)\//.test(request.path) &&
    answer.contentType.startsWith('text/html') &&
    (header('accept').includes('text/html') ||
      header('content-type').startsWith('application/x-www-form-urlencoded')) &&
    (request.method === 'HEAD' || /^<!doctype html><html lang="(de|en)">/.test(answer.text))
  )
}

/**
 * Never 5xx; every refusal is a complete `application/problem+json` whose status is the answer's,
 * or a mailed link's page for a person ({@link isLinkPage}).
 */
function checkAnswer(request: FuzzRequest, answer: Answer): void {
  if (answer.status >= 500) throw failure('answered 5xx', request, answer)
  if (answer.status < 400) return
  if (isLinkPage(request, answer)) return
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

/** Sends one request and checks its answer; not counted in any budget. */
export async function send(request: FuzzRequest): Promise<Answer> {
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
  /** A refusal may hold the attempt as spam, writing exactly its spam row (POST /v1/leads). */
  spamHeld?: boolean
}

/**
 * The budget's share of `kind`, sent CHUNK at a time: none may be answered 5xx, none accepted
 * (unless `mayAccept`), and a chunk must write nothing but the spam rows of the attempts it
 * held as spam.
 */
export async function fuzzWithoutWrites<Kind extends string>(
  budget: Budget<Kind>,
  kind: Kind,
  requests: fc.Arbitrary<FuzzRequest>,
  { mayAccept = false, spamHeld = false }: BatchOptions = {},
): Promise<void> {
  const payloads = budget.share(kind)
  const counts = await rowCounts()
  let left = payloads
  let sent = 0
  await fc.assert(
    fc.asyncProperty(fc.array(requests, { minLength: CHUNK, maxLength: CHUNK }), async (all) => {
      // The last run sends only what is left of the share; a shrinking replay sends whole chunks.
      const chunk = left > 0 ? all.slice(0, Math.min(CHUNK, left)) : all
      left -= chunk.length
      sent += chunk.length
      const before = await writes()
      const spamBefore = spamHeld ? await lastSpamId() : 0
      const answers = await Promise.all(chunk.map((request) => send(request)))
      answers.forEach((answer, i) => {
        if (!mayAccept && answer.status < 400)
          throw failure('accepted a payload that must be refused', chunk[i]!, answer)
      })
      const rows = written(before, await writes())
      try {
        if (spamHeld) budget.spamHeld += await checkHeldSpam(answers, spamBefore, rows)
        else if (Object.keys(rows).length > 0) throw new Error(`wrote ${JSON.stringify(rows)}`)
      } catch (error) {
        throw new Error(
          `${(error as Error).message} answering only refusals; one of:\n${chunk.map(describeRequest).join('\n')}`,
        )
      }
    }),
    // No shrinking: a chunk's requests are all printed, and replaying chunks would outlast the timeout.
    { seed: SEED, numRuns: Math.ceil(payloads / CHUNK), endOnFailure: true },
  )
  budget.record(kind, sent)
  await checkRefusalBookkeeping()
  if (!spamHeld) expect(await rowCounts()).toEqual(counts)
}

/**
 * The budget's share of `kind`, payloads that may be valid, one at a time: none answered 5xx,
 * and each refusal writes nothing (where `spamHeld`, a refusal that holds the attempt as spam
 * writes exactly its spam row).
 */
export async function fuzzOneByOne<Kind extends string>(
  budget: Budget<Kind>,
  kind: Kind,
  requests: fc.Arbitrary<FuzzRequest>,
  { spamHeld = false } = {},
): Promise<void> {
  const payloads = budget.share(kind)
  let known: Writes | null = null
  let sent = 0
  await fc.assert(
    fc.asyncProperty(requests, async (request) => {
      const before = known ?? (await writes())
      known = null
      const spamBefore = spamHeld ? await lastSpamId() : 0
      sent++
      const answer = await send(request)
      const after = await writes()
      known = after
      if (answer.status < 400) return
      const rows = written(before, after)
      try {
        if (spamHeld) budget.spamHeld += await checkHeldSpam([answer], spamBefore, rows)
        else if (Object.keys(rows).length > 0) throw new Error(`wrote ${JSON.stringify(rows)}`)
      } catch (error) {
        throw failure(`a refusal: ${(error as Error).message}`, request, answer)
      }
    }),
    { seed: SEED, numRuns: payloads, endOnFailure: true },
  )
  budget.record(kind, sent)
  await checkRefusalBookkeeping()
}

// ---------------------------------------------------------------- the world under test

export interface World {
  site: TestSite
  other: TestSite
  submissionId: string
  downloadToken: string
  optinToken: string
  consentToken: string
}

/** Filled before the file's first test; the arbitraries read it lazily, when they generate. */
export const world = {} as World

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

/** Call once at the top of a fuzz file: builds the world and the write probe, and removes the probe. */
export function setUpFuzzing(): void {
  beforeAll(async () => {
    await installWriteProbe()
    Object.assign(world, await buildWorld())
  }, 60_000)

  afterAll(async () => {
    await removeWriteProbe()
    // Whatever a payload held, no prototype was polluted in the isolate that answered it.
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  })
}
