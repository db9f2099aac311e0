import { firstText, type Form, type FormField } from '../../../shared/form'
import type { LeadSubmissionResult, LeadSubmissionSchema } from '../../../shared/leads'
import { fieldError, type FieldError } from '../lib/problem'
import { resolveRules } from './qualify'
import type { Site, Stage } from '../../../shared/site'
import type { z } from 'zod'
import {
  campaignKey,
  NO_TOUCH,
  updateTouches,
  type Touch,
  type TouchCandidate,
} from './attribution'
import { mergeRecords, missingFields, type LeadRecord } from './lead-record'
import type { NormalisedEmail } from './normalize'
import { originAndPath, storedReferrer } from './url'
import {
  classify,
  parseEngagementState,
  serializeEngagementState,
  type StageStep,
  type Touchpoint,
} from './qualify'

/** A submission as validated by its schema. */
export type Submission = z.output<typeof LeadSubmissionSchema>

/** One consent answer as the ledger records it. */
export interface ConsentGrant {
  purpose: string
  status: 'granted' | 'withdrawn' | 'pending'
  method: 'checkbox' | 'double_opt_in'
  textId: string
  textSha256: string
}

/** What planning needs to know of the lead already stored under the submission's email. */
export interface KnownLead {
  id: string
  /** The version read; the writes apply only while it is still the stored one. */
  version: number
  record: LeadRecord
  stage: Stage
  stageSetBy: 'rule' | 'manual'
  /** The stored engagement state, serialised. */
  scoreState: string
  touches: { first: Touch; last: Touch }
  firstSeenAt: string
  /** The required fields it lacked: asked by an earlier form and not given yet. */
  missing: string[]
}

/**
 * Everything one lead submission writes, decided before anything is written
 * (`db/capture.ts` turns it into one guarded batch).
 */
export interface CapturePlan {
  siteKey: string
  submissionId: string
  nonce: string
  formId: string
  now: string
  lead: {
    id: string
    isNew: boolean
    /** The version read before planning; `null` for a new lead. */
    expectedVersion: number | null
    emailKey: string
    email: string
    emailDomain: string
    /** The merged contact data, `email` included. */
    record: LeadRecord
    complete: boolean
    missing: string[]
    stage: Stage
    temperature: string
    fitScore: number
    engagementScore: number
    scoreReasons: string[]
    scoreState: string
    firstTouch: Touch
    lastTouch: Touch
    firstSeenAt: string
  }
  /** Every step the rules took (docs/stages-and-scoring.md#stage-history): one history row each. */
  stageChanges: StageStep[]
  submission: { fields: string; pageUrl: string; referrer: string | null; utm: string | null }
  consents: ConsentGrant[]
  /** When the consents were given: `now`, or a released spam submission's time received. */
  consentedAt: string
  network: string | null
  userAgent: string | null
  /** A released spam submission's held copy, deleted in the same batch (docs/spam-and-abuse.md#release). */
  releasedSpamId: number | null
  /** The anonymous touchpoints read while planning; only these join the lead. */
  attach: { visitorId: string | null; eventIds: string[] }
  response: LeadSubmissionResult
}

/**
 * Checks the consent answers against the texts the form shows: each purpose
 * once, a text the form shows (in any of its languages: the answer names the
 * version shown, and its hash goes to the ledger), every required consent granted.
 */
export function checkConsents(
  form: Pick<Form, 'kind' | 'consents'>,
  given: Submission['consents'],
): { ok: true; consents: ConsentGrant[] } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  const consents: ConsentGrant[] = []
  given.forEach((consent, index) => {
    const shown = form.consents.find((c) => c.purpose === consent.purpose)
    const version = shown
      ? [shown, ...Object.values(shown.texts ?? {})].find((v) => v.textId === consent.textId)
      : undefined
    if (!shown)
      errors.push(
        fieldError(
          `consents.${index}.purpose`,
          'invalid',
          'this form asks no such consent',
          'dieses Formular fragt keine solche Einwilligung',
        ),
      )
    else if (!version) {
      errors.push(
        fieldError(
          `consents.${index}.textId`,
          'stale',
          'is not the consent text this form shows',
          'ist nicht der Einwilligungstext, den dieses Formular zeigt',
        ),
      )
    } else {
      // Newsletter mail needs a confirmed double opt-in; until then the grant is pending
      // (docs/consent-and-privacy.md#double-opt-in).
      const doubleOptIn =
        consent.granted && consent.purpose === 'marketing_email' && form.kind === 'newsletter'
      consents.push({
        purpose: consent.purpose,
        status: consent.granted ? (doubleOptIn ? 'pending' : 'granted') : 'withdrawn',
        method: doubleOptIn ? 'double_opt_in' : 'checkbox',
        textId: version.textId,
        textSha256: version.sha256,
      })
    }
  })
  if (new Set(given.map((c) => c.purpose)).size !== given.length) {
    errors.push(
      fieldError('consents', 'invalid', 'one answer per purpose', 'eine Antwort je Zweck'),
    )
  }
  for (const shown of form.consents) {
    if (shown.required && !given.some((c) => c.purpose === shown.purpose && c.granted)) {
      errors.push(
        fieldError(
          `consents.${shown.purpose}`,
          'required',
          'this consent is required',
          'diese Einwilligung ist erforderlich',
        ),
      )
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, consents }
}

/**
 * Which journey the submission may join. Global Privacy Control is a refusal
 * of tracking (docs/consent-and-privacy.md#global-privacy-control): no
 * visitor id is linked and no touchpoint joins, whatever was ticked. Without
 * a visitor id, the day's anonymous touchpoints join only when the lead
 * agrees to tracking (docs/consent-and-privacy.md#daily-hash).
 */
export function decideJourney(
  body: Pick<Submission, 'visitorId' | 'consents'>,
  gpc: boolean,
): { visitorId: string | null; trackingGranted: boolean } {
  return {
    visitorId: gpc ? null : (body.visitorId ?? null),
    trackingGranted:
      !gpc && body.consents.some((consent) => consent.purpose === 'tracking' && consent.granted),
  }
}

export interface CaptureInput {
  site: Pick<Site, 'siteKey' | 'stageModel' | 'rules' | 'requiredFields'>
  /** The form submitted; its field names are what the lead was asked now (completeness). */
  form: Pick<Form, 'formId' | 'kind' | 'title' | 'locales'> & {
    fields: readonly Pick<FormField, 'name'>[]
  }
  body: Pick<Submission, 'submissionId' | 'page' | 'utm'>
  /** The normalised fields (`normaliseFields`) and the email among them. */
  values: LeadRecord
  email: NormalisedEmail
  consents: ConsentGrant[]
  /** The lead stored under the email, or `null` for a new lead. */
  known: KnownLead | null
  /** The visitor's earlier anonymous touchpoints that join the lead, in three views. */
  earlier: { touches: TouchCandidate[]; touchpoints: Touchpoint[]; eventIds: string[] }
  visitorId: string | null
  request: { network: string | null; userAgent: string | null }
  download: LeadSubmissionResult['download']
  /**
   * A released spam submission (docs/spam-and-abuse.md#release): its held copy's id and the time
   * it was received, which its consent ledger entries keep.
   */
  released?: { spamId: number; receivedAt: string }
  /** Drawn by the caller so that planning stays pure: a new lead's id and this attempt's nonce. */
  ids: { newLeadId: string; nonce: string }
  now: string
}

/** Decides everything the submission writes: merged lead, score and stage, touches, ledger, answer. */
export function planCapture(input: CaptureInput): CapturePlan {
  const { known, site, body, now } = input
  const record = mergeRecords(known?.record ?? {}, { ...input.values, email: input.email.email })
  // Judged by what the lead was asked, now and before (docs/completeness.md#completeness).
  const missing = missingFields(record, site.requiredFields, [
    ...input.form.fields.map((field) => field.name),
    ...(known?.missing ?? []),
  ])
  const leadId = known?.id ?? input.ids.newLeadId
  const utm = body.utm
  const submissionTouch: TouchCandidate = {
    source: utm?.source?.trim() || null,
    medium: utm?.medium?.trim() || null,
    campaign: campaignKey(utm?.campaign),
    at: now,
  }
  const touches = updateTouches(known?.touches ?? { first: NO_TOUCH, last: NO_TOUCH }, [
    ...input.earlier.touches,
    submissionTouch,
  ])
  const classification = classify({
    model: site.stageModel,
    rules: resolveRules(site.rules, site.stageModel),
    ...(known ? { stage: known.stage, stageSetBy: known.stageSetBy } : {}),
    fields: record,
    missing,
    state: parseEngagementState(known?.scoreState ?? '{}'),
    touchpoints: [
      ...input.earlier.touchpoints,
      {
        type: 'form_submit',
        at: now,
        path: new URL(body.page.url).pathname,
        formId: input.form.formId,
        formKind: input.form.kind,
        title: firstText(input.form, input.form.title),
      },
    ],
    firstTouch: { source: touches.first.source, medium: touches.first.medium },
    optIn: input.consents.some(
      (consent) => consent.purpose === 'marketing_email' && consent.status !== 'withdrawn',
    ),
    now: new Date(now),
  })
  const firstSeenAt = [
    known?.firstSeenAt ?? now,
    ...input.earlier.touches.map((t) => t.at),
  ].sort()[0]!
  const response: LeadSubmissionResult = {
    leadId,
    stage: classification.stage as LeadSubmissionResult['stage'],
    temperature: classification.temperature as LeadSubmissionResult['temperature'],
    complete: missing.length === 0,
    missing,
    ...(input.download ? { download: input.download } : {}),
  }
  return {
    siteKey: site.siteKey,
    submissionId: body.submissionId,
    nonce: input.ids.nonce,
    formId: input.form.formId,
    now,
    lead: {
      id: leadId,
      isNew: !known,
      expectedVersion: known?.version ?? null,
      emailKey: input.email.key,
      email: input.email.email,
      emailDomain: input.email.domain,
      record,
      complete: missing.length === 0,
      missing,
      stage: classification.stage,
      temperature: classification.temperature,
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
      pageUrl: originAndPath(body.page.url),
      referrer: storedReferrer(body.page.referrer),
      utm: utm ? JSON.stringify(utm) : null,
    },
    consents: input.consents,
    consentedAt: input.released?.receivedAt ?? now,
    network: input.request.network,
    userAgent: input.request.userAgent,
    releasedSpamId: input.released?.spamId ?? null,
    attach: { visitorId: input.visitorId, eventIds: input.earlier.eventIds },
    response,
  }
}
