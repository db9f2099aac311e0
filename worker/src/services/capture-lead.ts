import type { LeadSubmissionResult } from '../../../shared/leads'
import { captureStatements, CAPTURE_GUARD } from '../db/capture'
import { eventStatements, writtenEventIds } from '../db/outbound'
import { findLeadByEmailKey, toKnownLead, type LeadRow } from '../db/leads'
import {
  findSubmission,
  findSubmissionAndLead,
  findSubmissionStatement,
  storedSubmissionOf,
  type StoredSubmission,
} from '../db/submissions'
import { releaseStartToken } from '../db/start-token-uses'
import {
  listJourneyCandidates,
  listUnattachedVisitorTouchpoints,
  type JourneyRow,
} from '../db/touchpoints'
import { attachableAnonymous } from '../domain/anonymous-journey'
import { normaliseFields } from '../domain/normalize'
import { originAndPath } from '../domain/url'
import {
  checkConsents,
  decideJourney,
  planCapture,
  type CaptureInput,
} from '../domain/capture-plan'
import type { Config } from '../env'
import { randomToken } from '../lib/crypto'
import { fieldError, HttpProblem } from '../lib/problem'
import type { RequestFacts } from '../lib/request-facts'
import {
  screenFields,
  screenStartTokenUse,
  screenSubmission,
  type IncomingLead,
  type ScreenDeps,
} from './capture-screen'
import { followUpConsents, replayedReceiptUrl } from './consent-mail'
import { scoreLeadNow } from './lead-model'
import { requestDailyHash } from './daily-hash'
import { signDownloadLink } from './download-link'
import { lookUpForms } from './lookups'
import { captureEvents } from './outbound/events'
import { announce } from './outbound/queue'
import { toQualifyTouchpoint, toTouchCandidate } from './touchpoint-facts'

/**
 * How long a capture keeps planning again when other requests changed the same lead meanwhile
 * (docs/wire-contract.md#ids-and-retries). Submissions of one email arrive together (a double
 * click, two tabs, two forms): each loser waits a random while, growing with each attempt (full
 * jitter, so they do not collide again in step), and plans on fresh data. 30 at once all land.
 */
const RETRY = { attempts: 60, firstWaitMs: 8, maxWaitMs: 200, budgetMs: 10_000 }

/** A random wait of up to `firstWaitMs × 2^attempt`, capped (exponential backoff, full jitter). */
function backOff(attempt: number): Promise<void> {
  const cap = Math.min(RETRY.maxWaitMs, RETRY.firstWaitMs * 2 ** attempt)
  return new Promise((resolve) => setTimeout(resolve, Math.random() * cap))
}

export interface CaptureDeps extends ScreenDeps {
  config: Config
}

/**
 * Takes one form submission in (docs/completeness.md, docs/consent-and-privacy.md):
 * screens it for spam, checks its fields and consents, then plans and writes
 * the submission, the merged lead, the consent ledger and the visitor's
 * earlier touchpoints in one batch. Returns 201 for a new submission, 200
 * for a replay of the same id.
 *
 * Reads that do not depend on each other share a round trip or run at once
 * (docs/scale.md#fewer-round-trips): the replay check and the lead of the email in one batch,
 * the start token's claim beside the visitor's earlier touchpoints, the write batch reading the
 * submission back itself, and the learned score beside the consent follow-ups.
 */
export async function captureLead(
  deps: CaptureDeps,
  request: RequestFacts,
  incoming: IncomingLead,
): Promise<{ status: 200 | 201; result: LeadSubmissionResult }> {
  const { db } = deps
  const { site, form, body } = incoming
  // A replay answers what the first answer said, its receipt link included.
  const replayed = async (stored: StoredSubmission) => {
    const result = answerReplay(stored, form.formId)
    const receiptUrl = await replayedReceiptUrl(
      deps,
      request.origin,
      site.siteKey,
      body.submissionId,
      stored.leadId,
    )
    return { status: 200 as const, result: { ...result, ...(receiptUrl ? { receiptUrl } : {}) } }
  }
  // The email's key, if the fields read, so the lead comes with the replay check. `screenFields`
  // below still decides, in its turn, what an unreadable field means.
  const readable = normaliseFields(form.fields, body.fields, site.country)
  const first = await findSubmissionAndLead(
    db,
    site.siteKey,
    body.submissionId,
    readable.ok ? readable.email.key : null,
  )
  if (first.submission) return replayed(first.submission)

  const now = new Date()
  await screenSubmission(deps, request, incoming, now)
  const { values, email } = await screenFields(deps, request, incoming, now)
  const consents = checkConsents(form, body.consents)
  if (!consents.ok)
    throw new HttpProblem({
      code: 'consent_invalid',
      detail: {
        en: 'The consents are not valid.',
        de: 'Die Einwilligungen sind nicht gültig.',
      },
      errors: consents.errors,
    })
  const { visitorId, trackingGranted } = decideJourney(body, request.gpc)
  const journey = async () => {
    const dailyHash =
      trackingGranted || visitorId ? await requestDailyHash(db, request, site.siteKey, now) : null
    const earlier = await readEarlierTouchpoints(db, site, {
      visitorId,
      dailyHash,
      pageUrl: body.page.url,
      now,
    })
    return { dailyHash, earlier }
  }
  // Claiming the token and reading the journey do not wait for each other; a refused claim
  // only wastes the reads.
  const [tokenKey, { dailyHash, earlier }, download] = await Promise.all([
    screenStartTokenUse(deps, request, incoming, now),
    journey(),
    form.asset
      ? signDownloadLink(
          deps.config,
          request.origin,
          { siteKey: site.siteKey, submissionId: body.submissionId, filename: form.asset.filename },
          now,
        )
      : undefined,
  ])

  const written = await writeCapture(deps, request, incoming, {
    values,
    email,
    consents: consents.consents,
    visitorId,
    dailyHash,
    download,
    now,
    // The lead read with the replay check, if it was the same email (the fields were readable).
    read: { known: readable.ok && readable.email.key === email.key ? first.lead : null, earlier },
  })
  if (written === 'replay') {
    const stored = await findSubmission(db, site.siteKey, body.submissionId)
    if (stored) return replayed(stored)
  } else if (written) return written
  // Nothing was stored: the token stays free for this submission's retry.
  await releaseStartToken(db, tokenKey, body.submissionId)
  throw conflict()
}

export const conflict = () =>
  new HttpProblem({
    code: 'conflict',
    detail: {
      en: 'The lead is being changed by another request; please retry.',
      de: 'Der Kontakt wird gerade von einer anderen Anfrage geändert; bitte erneut versuchen.',
    },
  })

/** What a submission writes once screened and checked (`planCapture`'s input less the reads). */
export interface CheckedSubmission {
  values: CaptureInput['values']
  email: CaptureInput['email']
  consents: CaptureInput['consents']
  visitorId: string | null
  dailyHash: string | null
  download: CaptureInput['download']
  now: Date
  released?: CaptureInput['released']
  /**
   * What the first attempt plans on, when the caller read it already: the lead of the email and
   * the visitor's earlier touchpoints. A lead changed since makes the write a no-op and the next
   * attempt reads anew, as for any other change between reading and writing.
   */
  read?: { known: LeadRow | null; earlier: CaptureInput['earlier'] }
}

/**
 * Plans and writes a checked submission in one batch, planning again while other requests change
 * the same lead. Answers 201 with its result once this request's batch stored it, `'replay'` when
 * another request stored the same submission id first, `null` when the retries ran out.
 */
export async function writeCapture(
  deps: CaptureDeps,
  request: Pick<RequestFacts, 'origin' | 'network' | 'userAgent'>,
  { site, form, body }: IncomingLead,
  checked: CheckedSubmission,
): Promise<{ status: 201; result: LeadSubmissionResult } | 'replay' | null> {
  const { db } = deps
  const { values, email, visitorId, dailyHash, now } = checked
  const giveUpAt = Date.now() + RETRY.budgetMs
  for (let attempt = 0; attempt < RETRY.attempts && Date.now() < giveUpAt; attempt++) {
    if (attempt > 0) await backOff(attempt)
    const [known, earlier] =
      attempt === 0 && checked.read
        ? [checked.read.known, checked.read.earlier]
        : await Promise.all([
            findLeadByEmailKey(db, site.siteKey, email.key),
            readEarlierTouchpoints(db, site, {
              visitorId,
              dailyHash,
              pageUrl: body.page.url,
              now,
            }),
          ])
    const plan = planCapture({
      site,
      form,
      body,
      values,
      email,
      consents: checked.consents,
      known: known ? toKnownLead(known) : null,
      earlier,
      visitorId,
      request,
      download: checked.download,
      ...(checked.released ? { released: checked.released } : {}),
      ids: { newLeadId: crypto.randomUUID(), nonce: randomToken(12) },
      now: now.toISOString(),
    })
    // The events it reports join the same batch, under the same guard (docs/outbound.md).
    const events = captureEvents(
      plan,
      deps.config.APP_URL ?? request.origin,
      known ? { stage: known.stage, temperature: known.temperature } : null,
    ).map((event) =>
      eventStatements(db, event, {
        sql: CAPTURE_GUARD,
        params: [plan.siteKey, plan.submissionId, plan.nonce],
      }),
    )
    // The batch ends by reading the submission row in the same transaction: this request's nonce
    // means it stored the submission, another nonce that another request did, none that the lead
    // changed meanwhile. No round trip of its own to read it back.
    const results = await db.batch([
      ...captureStatements(db, plan),
      ...events.flatMap((e) => e.statements),
      findSubmissionStatement(db, site.siteKey, body.submissionId),
    ])
    const stored = storedSubmissionOf(results.at(-1))
    if (stored && stored.nonce === plan.nonce) {
      // Independent of each other: the outbound announcement, the learned score (which never
      // fails the request) and the consent follow-ups.
      const [, , { receiptUrl }] = await Promise.all([
        announce(deps.outbound, writtenEventIds(results)),
        scoreLeadNow(db, site, plan.lead.id),
        followUpConsents(
          deps,
          request.origin,
          site,
          { id: plan.lead.id, email: plan.lead.email },
          { id: body.submissionId, consents: plan.consents, locale: body.locale ?? site.locale },
        ),
      ])
      return { status: 201, result: { ...stored.response, ...(receiptUrl ? { receiptUrl } : {}) } }
    }
    if (stored) return 'replay'
    // The lead changed between reading and writing: plan again on fresh data.
  }
  return null
}

/** A submission id names one submission: sent again for another form it is a client bug, not a replay. */
function answerReplay(
  stored: { formId: string; response: LeadSubmissionResult },
  formId: string,
): LeadSubmissionResult {
  if (stored.formId !== formId) {
    throw new HttpProblem({
      code: 'submission_id_reused',
      detail: {
        en: 'This submissionId was already used for another form.',
        de: 'Diese submissionId wurde schon für ein anderes Formular verwendet.',
      },
      errors: [
        fieldError(
          'submissionId',
          'invalid',
          'already used for another form',
          'schon für ein anderes Formular verwendet',
        ),
      ],
    })
  }
  return stored.response
}

const DAY_MS = 24 * 3600 * 1000

/**
 * The earlier touchpoints that join the lead, as the plan reads them: the visitor's own
 * (by visitor id) and, under the day's hash, only those the attachment rule finds to be
 * unambiguously the submitter's (docs/consent-and-privacy.md#which-anonymous-touchpoints-join-a-lead).
 */
async function readEarlierTouchpoints(
  db: D1Database,
  site: IncomingLead['site'],
  journey: { visitorId: string | null; dailyHash: string | null; pageUrl: string; now: Date },
): Promise<CaptureInput['earlier']> {
  const { visitorId, dailyHash } = journey
  const [own, anonymous] = await Promise.all([
    visitorId ? listUnattachedVisitorTouchpoints(db, site.siteKey, visitorId) : [],
    dailyHash ? readAttachableAnonymous(db, site.siteKey, journey, dailyHash) : [],
  ])
  const rows = [...own, ...anonymous].sort((a, b) => a.occurred_at.localeCompare(b.occurred_at))
  // The site's forms name the kinds of earlier form touchpoints (from the isolate's cache).
  const forms = rows.some((row) => row.form_id) ? await lookUpForms(db, site) : []
  const formsById = new Map(forms.map((f) => [f.formId, f]))
  return {
    touches: rows.map(toTouchCandidate),
    touchpoints: rows.map((row) => toQualifyTouchpoint(row, formsById)),
    eventIds: rows.map((row) => row.event_id),
  }
}

async function readAttachableAnonymous(
  db: D1Database,
  siteKey: string,
  journey: { visitorId: string | null; pageUrl: string; now: Date },
  dailyHash: string,
): Promise<JourneyRow[]> {
  const since = new Date(journey.now.getTime() - DAY_MS).toISOString()
  const candidates = await listJourneyCandidates(db, siteKey, journey.visitorId, dailyHash, since)
  const attach = new Set(
    attachableAnonymous(
      candidates.map((row) => ({
        eventId: row.event_id,
        type: row.type,
        occurredAt: row.occurred_at,
        url: row.url,
        referrer: row.referrer,
        own: row.own === 1,
      })),
      { url: originAndPath(journey.pageUrl), at: journey.now.toISOString() },
    ),
  )
  return candidates.filter((row) => attach.has(row.event_id)).map(({ own: _own, ...row }) => row)
}
