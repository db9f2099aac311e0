import type { Context } from 'hono'
import type { Form } from '../../../shared/form'
import type { LeadSubmissionSchema, LeadSubmissionResult } from '../../../shared/leads'
import type { Site, Stage } from '../../../shared/site'
import type { z } from 'zod'
import { captureStatements, type CapturePlan } from '../db/capture'
import { findLeadByEmailKey, splitLeadRecord, toLeadRecord, type LeadRow } from '../db/leads'
import { insertSpam, type SpamReason } from '../db/spam'
import { findSubmission } from '../db/submissions'
import { campaignKey, listUnattachedTouchpoints } from '../db/touchpoints'
import { NO_TOUCH, updateTouches, type TouchCandidate } from '../domain/attribution'
import type { Touchpoint } from '../domain/qualify'
import { mergeRecords, missingFields } from '../domain/lead-record'
import { normaliseFields } from '../domain/normalize'
import { classify, parseEngagementState, serializeEngagementState } from '../domain/qualify'
import { resolveRules } from '../../../shared/rules'
import { listForms } from '../db/forms'
import { toQualifyTouchpoint } from './touchpoint-facts'
import { checkStartToken } from '../domain/start-token'
import type { AppEnv } from '../env'
import { randomToken, signToken } from '../lib/crypto'
import { clientAddress, reduceAddress } from '../lib/network'
import { verifyTurnstile } from '../lib/turnstile'
import { HttpProblem } from '../lib/problem'
import { requestDailyHash } from '../lib/visitor'
import { enforceRateLimit } from '../middleware/rate-limit'
import { sendOptinMail } from './consent-mail'

type Submission = z.output<typeof LeadSubmissionSchema>

const MAX_ATTEMPTS = 5

/** The payload of a signed download link; see routes/downloads.ts. */
export interface DownloadClaim {
  s: string
  sub: string
  exp: number
}

/**
 * Takes one form submission in (docs/completeness.md, docs/consent-and-privacy.md): checks and
 * normalises it, then stores the submission, merges the lead by email, appends the consent ledger,
 * attaches the visitor's earlier touchpoints and answers — all in one batch. Returns 201 for a new
 * submission, 200 for a replay of the same id.
 */
export async function captureLead(
  c: Context<AppEnv>,
  site: Site,
  form: Form,
  body: Submission,
): Promise<{ status: 200 | 201; result: LeadSubmissionResult }> {
  const db = c.env.DB
  const replay = await findSubmission(db, site.siteKey, body.submissionId)
  if (replay) return { status: 200, result: answerReplay(replay, form) }

  const now = new Date()
  const nowIso = now.toISOString()
  /**
   * Suspected spam is held with its reason, never dropped and never a lead
   * (docs/spam-and-abuse.md#spam-table).
   */
  const holdAsSpam = (reason: SpamReason, emailDomain: string | null = null) =>
    insertSpam(db, {
      siteKey: site.siteKey,
      reason,
      formId: form.formId,
      emailDomain,
      payload: { formId: form.formId, fields: Object.keys(body.fields) },
      now: nowIso,
    })
  try {
    await enforceRateLimit(c, c.env.LEADS_LIMITER, site.siteKey)
  } catch (error) {
    // Held, not dropped (docs/spam-and-abuse.md#rate-limits): a flood of real-looking submissions
    // is spam with the reason `rate`.
    await holdAsSpam('rate')
    throw error
  }
  if (body.honeypot) {
    await holdAsSpam('honeypot')
    throw new HttpProblem(422, 'spam_suspected', 'The submission was held back as suspected spam.')
  }

  const start = await checkStartToken(
    c.get('config').LODESTONE_SECRET,
    body.startToken,
    site.siteKey,
    form.formId,
    now.getTime(),
  )
  if (start === 'invalid' || start === 'expired') {
    throw new HttpProblem(
      422,
      'start_token_invalid',
      'The form has expired; please reload the page and try again.',
      [
        {
          path: 'startToken',
          message: start === 'expired' ? 'has expired' : 'is missing or not valid for this form',
        },
      ],
    )
  }
  if (start === 'too_fast') {
    await holdAsSpam('too_fast')
    throw new HttpProblem(422, 'spam_suspected', 'The submission was held back as suspected spam.')
  }

  const turnstileSecret = c.get('config').TURNSTILE_SECRET
  if (site.turnstile && turnstileSecret) {
    if (!(await verifyTurnstile(turnstileSecret, body.turnstileToken, clientAddress(c.req.raw)))) {
      await holdAsSpam('turnstile')
      throw new HttpProblem(
        422,
        'spam_suspected',
        'The submission was held back as suspected spam.',
        [{ path: 'turnstileToken', message: 'the security check did not pass; please try again' }],
      )
    }
  }

  const normalised = normaliseFields(form.fields, body.fields, site.country)
  if (!normalised.ok) {
    if (normalised.disposable) {
      const raw = body.fields.email
      await holdAsSpam(
        'disposable',
        typeof raw === 'string'
          ? (raw.split('@').pop()?.trim().toLowerCase().slice(0, 255) ?? null)
          : null,
      )
      throw new HttpProblem(
        422,
        'disposable_email',
        'Please use a permanent email address.',
        normalised.errors,
      )
    }
    throw new HttpProblem(422, 'validation_failed', 'Some fields are not valid.', normalised.errors)
  }
  const consents = checkConsents(form, body.consents)
  // Global Privacy Control is a refusal of tracking
  // (docs/consent-and-privacy.md#global-privacy-control): no journey is linked, whatever was
  // ticked.
  const gpc = c.req.header('sec-gpc') === '1'
  const trackingGranted =
    !gpc && body.consents.some((consent) => consent.purpose === 'tracking' && consent.granted)

  const visitorId = gpc ? null : (body.visitorId ?? null)
  // The day's anonymous touchpoints join the lead only when it agrees to tracking
  // (docs/consent-and-privacy.md#daily-hash).
  const dailyHash =
    trackingGranted || visitorId ? await requestDailyHash(c, site.siteKey, now) : null
  const network = reduceAddress(clientAddress(c.req.raw))
  const userAgent = (c.req.header('user-agent') ?? '').slice(0, 512) || null
  const download = form.asset
    ? await downloadFor(c, site.siteKey, body.submissionId, form, now)
    : undefined

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const existing = await findLeadByEmailKey(db, site.siteKey, normalised.email.key)
    const touchpoints =
      visitorId || dailyHash
        ? await listUnattachedTouchpoints(db, site.siteKey, visitorId, dailyHash)
        : []
    const forms = touchpoints.some((t) => t.form_id) ? await listForms(db, site.siteKey) : []
    const plan = planCapture({
      site,
      form,
      body,
      existing,
      values: normalised.values,
      email: normalised.email,
      consents,
      touchpoints: touchpoints.map((t) => ({
        source: t.utm_source,
        medium: t.utm_medium,
        campaign: t.utm_campaign,
        at: t.occurred_at,
      })),
      qualifyTouchpoints: touchpoints.map((t) =>
        toQualifyTouchpoint(t, new Map(forms.map((f) => [f.formId, f]))),
      ),
      attach: { visitorId, eventIds: touchpoints.map((t) => t.event_id) },
      network,
      userAgent,
      download,
      now: nowIso,
    })
    await db.batch(captureStatements(db, plan))
    const stored = await findSubmission(db, site.siteKey, body.submissionId)
    if (stored && stored.nonce === plan.nonce) {
      if (plan.consents.some((consent) => consent.status === 'pending')) {
        await sendOptinMail(c, site, { id: plan.lead.id, email: plan.lead.email })
      }
      return { status: 201, result: stored.response }
    }
    if (stored) return { status: 200, result: answerReplay(stored, form) }
    // The lead changed between reading and writing: plan again on fresh data.
  }
  throw new HttpProblem(
    409,
    'conflict',
    'The lead is being changed by another request; please retry.',
  )
}

/** A submission id names one submission: sent again for another form it is a client bug, not a replay. */
function answerReplay(
  stored: { formId: string; response: LeadSubmissionResult },
  form: Form,
): LeadSubmissionResult {
  if (stored.formId !== form.formId) {
    throw new HttpProblem(
      409,
      'submission_id_reused',
      'This submissionId was already used for another form.',
      [{ path: 'submissionId', message: 'already used for another form' }],
    )
  }
  return stored.response
}

function checkConsents(form: Form, given: Submission['consents']): CapturePlan['consents'] {
  const errors: { path: string; message: string }[] = []
  const result: CapturePlan['consents'] = []
  given.forEach((consent, index) => {
    const shown = form.consents.find((c) => c.purpose === consent.purpose)
    if (!shown)
      errors.push({ path: `consents.${index}.purpose`, message: 'this form asks no such consent' })
    else if (shown.textId !== consent.textId) {
      errors.push({
        path: `consents.${index}.textId`,
        message: 'is not the consent text this form shows',
      })
    } else {
      // Newsletter mail needs a confirmed double opt-in; until then the grant is pending
      // (docs/consent-and-privacy.md#double-opt-in).
      const doubleOptIn =
        consent.granted && consent.purpose === 'marketing_email' && form.kind === 'newsletter'
      result.push({
        purpose: consent.purpose,
        status: consent.granted ? (doubleOptIn ? 'pending' : 'granted') : 'withdrawn',
        method: doubleOptIn ? 'double_opt_in' : 'checkbox',
        textId: shown.textId,
        textSha256: shown.sha256,
      })
    }
  })
  if (new Set(given.map((c) => c.purpose)).size !== given.length) {
    errors.push({ path: 'consents', message: 'one answer per purpose' })
  }
  for (const shown of form.consents) {
    if (shown.required && !given.some((c) => c.purpose === shown.purpose && c.granted)) {
      errors.push({ path: `consents.${shown.purpose}`, message: 'this consent is required' })
    }
  }
  if (errors.length)
    throw new HttpProblem(422, 'consent_invalid', 'The consents are not valid.', errors)
  return result
}

async function downloadFor(
  c: Context<AppEnv>,
  siteKey: string,
  submissionId: string,
  form: Form,
  now: Date,
): Promise<LeadSubmissionResult['download']> {
  const ttl = c.get('config').DOWNLOAD_TTL_SECONDS
  const exp = Math.floor(now.getTime() / 1000) + ttl
  const claim: DownloadClaim = { s: siteKey, sub: submissionId, exp }
  const token = await signToken(c.get('config').LODESTONE_SECRET, claim)
  return {
    url: `${new URL(c.req.url).origin}/v1/downloads/${token}`,
    filename: form.asset!.filename,
    expiresAt: new Date(exp * 1000).toISOString(),
  }
}

interface PlanInput {
  site: Site
  form: Form
  body: Submission
  existing: LeadRow | null
  values: Record<string, string | boolean>
  email: { email: string; key: string; domain: string }
  consents: CapturePlan['consents']
  touchpoints: TouchCandidate[]
  qualifyTouchpoints: Touchpoint[]
  attach: CapturePlan['attach']
  network: string | null
  userAgent: string | null
  download: LeadSubmissionResult['download']
  now: string
}

/** Decides everything the submission writes; pure apart from the ids it draws. */
function planCapture(input: PlanInput): CapturePlan {
  const { existing, site, body, now } = input
  const record = mergeRecords(existing ? toLeadRecord(existing) : {}, {
    ...input.values,
    email: input.email.email,
  })
  const missing = missingFields(record, site.requiredFields)
  const { columns, rest } = splitLeadRecord(record)
  const classification = classify({
    model: site.stageModel,
    rules: resolveRules(site.rules),
    ...(existing
      ? { stage: existing.stage as Stage, stageSetBy: existing.stage_set_by as 'rule' | 'manual' }
      : {}),
    fields: record,
    missing,
    state: parseEngagementState(existing?.score_state ?? '{}'),
    touchpoints: [
      ...input.qualifyTouchpoints,
      {
        type: 'form_submit',
        at: now,
        path: new URL(body.page.url).pathname,
        formKind: input.form.kind,
        title: input.form.title,
      },
    ],
    now: new Date(now),
  })
  const stage = classification.stage
  const leadId = existing?.id ?? crypto.randomUUID()
  const utm = body.utm
  const submissionTouch: TouchCandidate = {
    source: utm?.source?.trim() || null,
    medium: utm?.medium?.trim() || null,
    campaign: campaignKey(utm?.campaign),
    at: now,
  }
  const touches = updateTouches(
    existing
      ? {
          first: {
            source: existing.first_source,
            medium: existing.first_medium,
            campaign: existing.first_campaign,
            at: existing.first_touch_at,
          },
          last: {
            source: existing.last_source,
            medium: existing.last_medium,
            campaign: existing.last_campaign,
            at: existing.last_touch_at,
          },
        }
      : { first: NO_TOUCH, last: NO_TOUCH },
    [...input.touchpoints, submissionTouch],
  )
  const firstSeenAt = [
    existing?.first_seen_at ?? now,
    ...input.touchpoints.map((t) => t.at),
  ].sort()[0]!
  const temperature = classification.temperature
  const response: LeadSubmissionResult = {
    leadId,
    stage: stage as LeadSubmissionResult['stage'],
    temperature: temperature as LeadSubmissionResult['temperature'],
    complete: missing.length === 0,
    missing,
    ...(input.download ? { download: input.download } : {}),
  }
  return {
    siteKey: site.siteKey,
    submissionId: body.submissionId,
    nonce: randomToken(12),
    formId: input.form.formId,
    now,
    lead: {
      id: leadId,
      isNew: !existing,
      expectedVersion: existing?.version ?? null,
      emailKey: input.email.key,
      email: input.email.email,
      emailDomain: input.email.domain,
      columns: {
        firstName: columns.firstName,
        lastName: columns.lastName,
        company: columns.company,
        jobTitle: columns.jobTitle,
        phone: columns.phone,
      },
      fields: JSON.stringify(rest),
      complete: missing.length === 0,
      missing,
      stage,
      temperature,
      fitScore: classification.fit,
      engagementScore: classification.engagement,
      scoreReasons: classification.reasons,
      scoreState: serializeEngagementState(classification.state),
      firstTouch: touches.first,
      lastTouch: touches.last,
      firstSeenAt,
    },
    stageChanges: classification.changes,
    submission: {
      fields: JSON.stringify(input.values),
      pageUrl: body.page.url,
      referrer: body.page.referrer || null,
      utm: utm ? JSON.stringify(utm) : null,
    },
    consents: input.consents,
    network: input.network,
    userAgent: input.userAgent,
    attach: input.attach,
    response,
  }
}
