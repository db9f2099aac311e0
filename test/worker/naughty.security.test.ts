import naughtyStrings from 'big-list-of-naughty-strings/blns.json'
import { describe, expect, it } from 'vitest'
import type { TouchpointInput } from '../../shared/events'
import type { FormInput } from '../../shared/form'
import type { LeadDetail, LeadSubmissionResult } from '../../shared/leads'
import { CONTROL_CHARS } from '../../shared/common'
import { ProblemSchema } from '../../shared/problem'
import { toTouchpointWrite } from '../../worker/src/db/touchpoints'
import { normaliseLine, normaliseMultiline } from '../../worker/src/domain/normalize'
import { admin, call, createSite, rowCounts, wholeJourney, type TestSite } from './helpers'

/**
 * The Big List of Naughty Strings (and a few of our own) through every text
 * field a visitor can fill: each string is stored and returned byte-exact
 * after the documented normalisation, or refused with a 422 problem that
 * writes nothing. Never a 5xx.
 */

/** What the list lacks: tabs and line breaks, padding, surrogate pairs, and every length bound. */
const OUR_OWN = [
  '\ud83d\ude00',
  '\udbff\udfff',
  'a\tb',
  'line one\nline two',
  'a\r\nb',
  'a \n\n\n\n b',
  '  padded  ',
  '\u00a0nbsp\u00a0',
  'a\u2028b',
  'a\u0085b',
  '\u001b[31mred',
  'A'.repeat(200),
  'A'.repeat(201),
  '😀'.repeat(100),
  '😀'.repeat(101),
  ' '.repeat(300),
  'x'.repeat(5000),
  'x'.repeat(5001),
]
const STRINGS = [...new Set([...(naughtyStrings as string[]), ...OUR_OWN])]
/** Half a surrogate pair: valid in a JS string and in JSON text (`"\ud800"`), but not in UTF-8. */
const LONE_SURROGATES = ['\ud800', 'a\udc00b', '\udfff\ud800']
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const CHUNK = 50
const chunks = Array.from({ length: Math.ceil(STRINGS.length / CHUNK) }, (_, k) =>
  STRINGS.slice(k * CHUNK, (k + 1) * CHUNK),
).map((strings, k) => ({
  from: k * CHUNK,
  range: `${k * CHUNK}–${k * CHUNK + strings.length - 1}`,
  strings,
}))

const LINES = ['firstName', 'lastName', 'company', 'jobTitle'] as const
const SINGLE_LINE_MAX = 200
const MULTILINE_MAX = 5000

const NAUGHTY_FORM: FormInput = {
  kind: 'contact_sales',
  title: 'Kontakt',
  fields: [
    { name: 'email', type: 'email', required: true, label: 'E-Mail' },
    ...LINES.map((name) => ({ name, type: 'text' as const, required: false, label: name })),
    { name: 'message', type: 'textarea', required: false, label: 'Nachricht' },
  ],
  consents: [
    {
      purpose: 'tracking',
      text: 'Ich bin mit der Auswertung meines Besuchs einverstanden.',
      required: false,
    },
  ],
}

/**
 * How a text field must store `value`: the normalised text (`''` is dropped), or `null` when it
 * must be refused (a control character, a lone surrogate, too long).
 */
function expectedLine(value: string): string | null {
  const line = normaliseLine(value)
  if (line === null || LONE_SURROGATE.test(value)) return null
  return line.length > SINGLE_LINE_MAX || value.length > MULTILINE_MAX ? null : line
}

function expectedMultiline(value: string): string | null {
  const text = normaliseMultiline(value)
  return text === null ||
    LONE_SURROGATE.test(value) ||
    text.length > MULTILINE_MAX ||
    value.length > MULTILINE_MAX
    ? null
    : text
}

/**
 * Values compared as JSON text with sorted keys: JSON.stringify escapes a lone surrogate, which the
 * test runner could not otherwise carry to its reporter (its messages travel as UTF-8).
 */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined'
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
  return JSON.stringify(Object.fromEntries(entries))
}

function label(index: number, value: string): string {
  const shown = [...JSON.stringify(value)]
  return `naughty #${index} ${shown.length > 80 ? `${shown.slice(0, 80).join('')}…` : shown.join('')}`
}

/** A fresh address per request, so rate limits per network do not decide the answer. */
function clientIp(index: number): string {
  return `2001:db8:${(index + 1).toString(16)}::1`
}

async function submit(
  site: TestSite,
  index: number,
  fields: Record<string, string>,
  extra: Record<string, unknown> = {},
) {
  return call('/v1/leads', {
    method: 'POST',
    headers: {
      origin: site.origin,
      'content-type': 'application/json',
      'cf-connecting-ip': clientIp(index),
      'user-agent': 'Mozilla/5.0 naughty',
    },
    body: JSON.stringify({
      siteKey: site.siteKey,
      formId: 'wp',
      submissionId: crypto.randomUUID(),
      fields: { email: `naughty-${index}@example.org`, ...fields },
      consents: [],
      page: { url: `${site.origin}/kontakt` },
      startToken: site.startToken,
      ...extra,
    }),
  })
}

async function leadDetail(site: TestSite, leadId: string): Promise<LeadDetail> {
  const response = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
  expect(response.status).toBe(200)
  return (await response.json()) as LeadDetail
}

/** A 422 `application/problem+json` whose errors name exactly `paths`. */
async function expectRefusal(response: Response, paths: string[], where: string): Promise<void> {
  expect.soft(response.status, where).toBe(422)
  expect.soft(response.headers.get('content-type'), where).toContain('application/problem+json')
  const problem = ProblemSchema.safeParse(await response.json())
  expect.soft(problem.success, where).toBe(true)
  if (problem.success)
    expect
      .soft([...new Set(problem.data.errors?.map((e) => e.path))].sort(), where)
      .toEqual([...paths].sort())
}

/** Sends each string through every text field of a lead and checks what the admin API reads back. */
async function checkLeadFields(from: number, strings: string[]): Promise<void> {
  const site = await createSite({}, NAUGHTY_FORM)
  const cases = strings.map((value, i) => ({
    index: from + i,
    value,
    line: expectedLine(value),
    multiline: expectedMultiline(value),
  }))

  // Strings every field takes go in at once; each is read back through the admin API.
  await Promise.all(
    cases
      .filter((c) => c.line !== null && c.multiline !== null)
      .map(async ({ index, value, line, multiline }) => {
        const where = label(index, value)
        const response = await submit(site, index, {
          ...Object.fromEntries(LINES.map((name) => [name, value])),
          message: value,
        })
        expect.soft(response.status, where).toBe(201)
        if (response.status !== 201) return
        const lead = await leadDetail(
          site,
          ((await response.json()) as LeadSubmissionResult).leadId,
        )
        const stored = {
          ...Object.fromEntries(LINES.map((name) => [name, line || undefined])),
          message: multiline || undefined,
        }
        expect.soft(canonical({ ...lead.fields, email: undefined }), where).toBe(canonical(stored))
        expect
          .soft(canonical(lead.submissions[0]?.fields), `${where} in the submission`)
          .toBe(canonical({ ...stored, email: `naughty-${index}@example.org` }))
      }),
  )

  // Strings some field refuses go in one at a time, each proven to write nothing.
  for (const { index, value, line, multiline } of cases.filter(
    (c) => c.line === null || c.multiline === null,
  )) {
    const where = label(index, value)
    const before = await rowCounts()
    const response = await submit(site, index, {
      ...Object.fromEntries(LINES.map((name) => [name, value])),
      message: value,
    })
    const refused = [
      ...(line === null ? LINES : []),
      ...(multiline === null ? ['message'] : []),
    ].map((name) => `fields.${name}`)
    await expectRefusal(response, refused, where)
    expect.soft(await rowCounts(), where).toEqual(before)
    if (multiline === null) continue
    // The text area takes what the single-line fields refuse (line breaks, up to 5,000 characters).
    const alone = await submit(site, index, { message: value })
    expect.soft(alone.status, `${where} in message alone`).toBe(201)
    if (alone.status !== 201) continue
    const lead = await leadDetail(site, ((await alone.json()) as LeadSubmissionResult).leadId)
    expect
      .soft(canonical(lead.fields.message), `${where} in message alone`)
      .toBe(canonical(multiline || undefined))
  }
}

describe('naughty strings in the text fields of a lead', () => {
  it.each(chunks.map(({ range, from, strings }) => [range, from, strings] as const))(
    'stores strings #%s byte-exact after normalisation, or refuses them with 422 and writes nothing',
    async (_range, from, strings) => {
      await checkLeadFields(from, [...strings])
    },
    60_000,
  )

  // Found here: a lone surrogate passed validation, and D1 stores text as UTF-8, so each half was
  // read back as three U+FFFD. Text that is not well-formed is refused now.
  it('refuses text with a lone surrogate with 422 and writes nothing', async () => {
    await checkLeadFields(STRINGS.length, LONE_SURROGATES)
  }, 60_000)
})

/** A URL of the site's with the string in its path, query and fragment. */
function pageUrl(site: TestSite, index: number, value: string): string {
  return `${site.origin}/naughty/${index}/${value}?q=${value}#${value}`
}

function isHttpUrl(value: string): boolean {
  try {
    const scheme = new URL(value).protocol
    return (
      ['http:', 'https:'].includes(scheme) &&
      [...value].length <= 2048 &&
      !LONE_SURROGATE.test(value) &&
      !CONTROL_CHARS.test(value) &&
      !/[\t\r\n]/.test(value)
    )
  } catch {
    return false
  }
}

/**
 * UTM values are single-line text: control characters, tabs and line breaks refused, at most 200
 * characters as zod counts them (code points; the lead fields' bound counts UTF-16 units).
 */
function isUtmText(value: string): boolean {
  return (
    normaliseLine(value) !== null &&
    !LONE_SURROGATE.test(value) &&
    !/[\r\n\t]/.test(value) &&
    [...value].length <= 200
  )
}

/** Sends each string in the URL, referrer and UTM of events and checks the journey the admin API reads back. */
async function checkEventFields(from: number, strings: string[]): Promise<void> {
  const site = await createSite({}, NAUGHTY_FORM)
  const visitorId = crypto.randomUUID()
  const post = (index: number, event: TouchpointInput) =>
    call('/v1/events', {
      method: 'POST',
      headers: {
        origin: site.origin,
        'content-type': 'text/plain;charset=UTF-8',
        'cf-connecting-ip': clientIp(index),
        'user-agent': 'Mozilla/5.0 naughty',
      },
      body: JSON.stringify({ siteKey: site.siteKey, visitorId, events: [event] }),
    })
  const event = (fields: Partial<TouchpointInput> & { url: string }): TouchpointInput => ({
    id: crypto.randomUUID(),
    type: 'page_view',
    ts: new Date().toISOString(),
    ...fields,
  })
  const cases = strings.flatMap((value, i) => {
    const index = from + i
    const url = pageUrl(site, index, value)
    const referrer = `https://referrer.example/${value}`
    return [
      {
        index,
        where: `${label(index, value)} in utm`,
        event: event({
          url: `${site.origin}/utm/${index}`,
          utm: { source: value, medium: value, campaign: value, term: value, content: value },
        }),
        accepted: isUtmText(value),
        refused: ['source', 'medium', 'campaign', 'term', 'content'].map(
          (key) => `events.0.utm.${key}`,
        ),
      },
      {
        index,
        where: `${label(index, value)} in url and referrer`,
        event: event({ url, referrer }),
        accepted: isHttpUrl(url) && isHttpUrl(referrer),
        refused: [
          ...(isHttpUrl(url) ? [] : ['events.0.url']),
          ...(isHttpUrl(referrer) ? [] : ['events.0.referrer']),
        ],
      },
    ]
  })

  const accepted = cases.filter((c) => c.accepted)
  await Promise.all(
    accepted.map(async (c) => {
      const response = await post(c.index, c.event)
      expect.soft(response.status, c.where).toBe(202)
      expect.soft(await response.json(), c.where).toEqual({ accepted: 1, duplicates: 0 })
    }),
  )
  for (const c of cases.filter((c) => !c.accepted)) {
    const before = await rowCounts()
    await expectRefusal(await post(c.index, c.event), c.refused, c.where)
    expect.soft(await rowCounts(), c.where).toEqual(before)
  }

  // The visitor becomes a lead; its journey, read through the admin API, holds every stored event
  // as the worker's documented normalisation (toTouchpointWrite) says it is stored.
  const lead = await submit(
    site,
    from,
    {},
    {
      visitorId,
      consents: [{ purpose: 'tracking', granted: true, textId: site.consentTextIds.tracking }],
    },
  )
  expect(lead.status).toBe(201)
  const journey = await wholeJourney(
    site.siteKey,
    ((await lead.json()) as LeadSubmissionResult).leadId,
  )
  const byId = new Map(journey.map((item) => [item.id, item]))
  for (const c of accepted) {
    const stored = toTouchpointWrite(c.event, new Date())
    const item = byId.get(c.event.id)
    expect.soft(item !== undefined, `${c.where} is in the journey`).toBe(true)
    if (!item) continue
    expect.soft(canonical({ url: item.url, referrer: item.referrer, utm: item.utm }), c.where).toBe(
      canonical({
        url: stored.url,
        referrer: stored.referrer,
        utm: { source: stored.utmSource, medium: stored.utmMedium, campaign: stored.utmCampaign },
      }),
    )
  }
  expect(journey).toHaveLength(accepted.length)
}

describe('naughty strings in the page URL, referrer and UTM of events', () => {
  it.each(chunks.map(({ range, from, strings }) => [range, from, strings] as const))(
    'stores strings #%s byte-exact after normalisation, or refuses them with 422 and writes nothing',
    async (_range, from, strings) => {
      await checkEventFields(from, [...strings])
    },
    60_000,
  )

  // Found here, as for lead fields: a lone surrogate in a UTM value, URL or referrer was stored as
  // U+FFFD replacement characters. Refused now.
  it('refuses a URL, referrer or UTM value with a lone surrogate with 422 and writes nothing', async () => {
    await checkEventFields(STRINGS.length, LONE_SURROGATES)
  }, 60_000)
})
