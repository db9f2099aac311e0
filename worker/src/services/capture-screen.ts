import type { Form } from '../../../shared/form'
import type { Site } from '../../../shared/site'
import { eventStatements, writtenEventIds } from '../db/outbound'
import { insertSpam, type SpamReason } from '../db/spam'
import { claimStartToken } from '../db/start-token-uses'
import { checkConsents, type Submission } from '../domain/capture-plan'
import {
  normaliseEmail,
  normaliseFields,
  type FieldValue,
  type NormalisedEmail,
} from '../domain/normalize'
import { checkStartToken, MAX_FILL_MS } from '../domain/start-token'
import { spamHeldEvent } from './outbound/events'
import { announce } from './outbound/queue'
import type { Config } from '../env'
import { sha256Hex } from '../lib/crypto'
import { fieldError, HttpProblem } from '../lib/problem'
import type { RequestFacts } from '../lib/request-facts'
import { verifyTurnstile } from '../lib/turnstile'

/** A submission with the site and form it was sent to. */
export interface IncomingLead {
  site: Site
  form: Form
  body: Submission
}

export interface ScreenDeps {
  db: D1Database
  config: Pick<Config, 'LODESTONE_SECRET' | 'TURNSTILE_SECRET'>
  /** Throws the 429 answer once the site's budget for the request's network is spent. */
  rateLimit: () => Promise<void>
  /** Where events go after the write (docs/outbound.md); absent: the sweep sends them later. */
  outbound?: Queue
}

const SPAM_SUSPECTED = {
  en: 'The submission was held back as suspected spam.',
  de: 'Die Eingabe wurde als mutmaßlicher Spam zurückgehalten.',
}

/** What holding a submission needs of the request: what the consent ledger keeps of it. */
export type HeldRequest = Pick<RequestFacts, 'network' | 'userAgent' | 'gpc'>

/**
 * Suspected spam is held with its reason, never dropped and never a lead unless a person releases
 * it (docs/spam-and-abuse.md#spam-table): the whole submission, the consent answers as checked
 * against the texts shown then, and the network, user agent and time the ledger would keep.
 */
async function holdAsSpam(
  { db, outbound }: Pick<ScreenDeps, 'db' | 'outbound'>,
  request: HeldRequest,
  { site, form, body }: IncomingLead,
  reason: SpamReason,
  now: Date,
  emailDomain: string | null = null,
): Promise<void> {
  const raw = body.fields.email
  const consents = checkConsents(form, body.consents)
  // The spam signals served their purpose; a release does not look at them again.
  const { honeypot: _honeypot, startToken: _start, turnstileToken: _turnstile, ...kept } = body
  // The `spam.held` event (docs/outbound.md#events) is written only if the copy was.
  const event = eventStatements(
    db,
    spamHeldEvent(site.siteKey, { formId: form.formId, reason, emailDomain }, now.toISOString()),
    { sql: 'changes() = 1', params: [] },
  )
  const results = await insertSpam(
    db,
    {
      siteKey: site.siteKey,
      reason,
      formId: form.formId,
      emailDomain,
      emailKey: typeof raw === 'string' ? (normaliseEmail(raw)?.key ?? null) : null,
      payload: {
        formId: form.formId,
        fields: Object.keys(body.fields),
        submission: kept,
        received: { network: request.network, userAgent: request.userAgent, gpc: request.gpc },
        ...(consents.ok ? { consents: consents.consents } : {}),
      },
      now: now.toISOString(),
    },
    event.statements,
  )
  await announce(outbound, writtenEventIds(results))
}

/**
 * The checks before a submission is read: the rate limit, the honeypot, the
 * start token (a form sent too fast) and Turnstile where the site asks for
 * it. Each failure is held as spam with its reason, then refused. A missing,
 * foreign or expired start token is a stale page, not spam: refused only.
 */
export async function screenSubmission(
  deps: ScreenDeps,
  request: Pick<RequestFacts, 'address'> & HeldRequest,
  incoming: IncomingLead,
  now: Date,
): Promise<void> {
  const { db, config } = deps
  const { site, form, body } = incoming
  try {
    await deps.rateLimit()
  } catch (error) {
    // Held, not dropped (docs/spam-and-abuse.md#rate-limits): a flood of real-looking submissions
    // is spam with the reason `rate`.
    await holdAsSpam(deps, request, incoming, 'rate', now)
    throw error
  }
  if (body.honeypot) {
    await holdAsSpam(deps, request, incoming, 'honeypot', now)
    throw new HttpProblem({ code: 'spam_suspected', detail: SPAM_SUSPECTED })
  }

  const start = await checkStartToken(
    config.LODESTONE_SECRET,
    body.startToken,
    site.siteKey,
    form.formId,
    now.getTime(),
  )
  if (start === 'invalid' || start === 'expired') {
    throw new HttpProblem({
      code: 'start_token_invalid',
      detail: {
        en: 'The form has expired; please reload the page and try again.',
        de: 'Das Formular ist abgelaufen; bitte laden Sie die Seite neu und versuchen Sie es erneut.',
      },
      errors: [
        start === 'expired'
          ? fieldError('startToken', 'invalid', 'has expired', 'ist abgelaufen')
          : fieldError(
              'startToken',
              'invalid',
              'is missing or not valid for this form',
              'fehlt oder gilt nicht für dieses Formular',
            ),
      ],
    })
  }
  if (start === 'too_fast') {
    await holdAsSpam(deps, request, incoming, 'too_fast', now)
    throw new HttpProblem({ code: 'spam_suspected', detail: SPAM_SUSPECTED })
  }

  const turnstileSecret = config.TURNSTILE_SECRET
  if (site.turnstile && turnstileSecret) {
    if (!(await verifyTurnstile(turnstileSecret, body.turnstileToken, request.address))) {
      await holdAsSpam(deps, request, incoming, 'turnstile', now)
      throw new HttpProblem({
        code: 'spam_suspected',
        detail: SPAM_SUSPECTED,
        errors: [
          fieldError(
            'turnstileToken',
            'turnstile',
            'the security check did not pass; please try again',
            'die Sicherheitsprüfung ist fehlgeschlagen; bitte versuchen Sie es erneut',
          ),
        ],
      })
    }
  }
}

/**
 * A start token serves one submission (docs/spam-and-abuse.md#one-token-one-submission). Run once
 * every other check passed, so a refused try (a typo in the email) leaves the token to the
 * corrected one. A token another submission already used is held as spam: the widget fetches a
 * token each time it shows a form, so only a client posting without it reuses one.
 * @returns the token's key, to give it back should the submission not be stored after all
 */
export async function screenStartTokenUse(
  deps: Pick<ScreenDeps, 'db' | 'outbound'>,
  request: HeldRequest,
  incoming: IncomingLead,
  now: Date,
): Promise<string> {
  const { site, body } = incoming
  // The token passed `screenSubmission`, so it is there and lives at most MAX_FILL_MS from now.
  const tokenSha256 = await sha256Hex(body.startToken ?? '')
  const owner = await claimStartToken(deps.db, {
    tokenSha256,
    siteKey: site.siteKey,
    submissionId: body.submissionId,
    expiresAt: new Date(now.getTime() + MAX_FILL_MS).toISOString(),
  })
  if (owner !== body.submissionId) {
    await holdAsSpam(deps, request, incoming, 'token_reused', now)
    throw new HttpProblem({
      code: 'spam_suspected',
      detail: SPAM_SUSPECTED,
      errors: [
        fieldError(
          'startToken',
          'invalid',
          'was already used for another submission',
          'wurde schon für eine andere Eingabe verwendet',
        ),
      ],
    })
  }
  return tokenSha256
}

/**
 * Normalises the fields against the form. A disposable address is spam held
 * with its domain (never the address); any other invalid field is refused.
 */
export async function screenFields(
  deps: Pick<ScreenDeps, 'db' | 'outbound'>,
  request: HeldRequest,
  incoming: IncomingLead,
  now: Date,
): Promise<{ values: Record<string, FieldValue>; email: NormalisedEmail }> {
  const { site, form, body } = incoming
  const normalised = normaliseFields(form.fields, body.fields, site.country)
  if (normalised.ok) return normalised
  if (normalised.disposable) {
    const raw = body.fields.email
    const domain =
      typeof raw === 'string'
        ? (raw.split('@').pop()?.trim().toLowerCase().slice(0, 255) ?? null)
        : null
    await holdAsSpam(deps, request, incoming, 'disposable', now, domain)
    throw new HttpProblem({
      code: 'disposable_email',
      detail: {
        en: 'Please use a permanent email address.',
        de: 'Bitte verwenden Sie eine dauerhafte E-Mail-Adresse.',
      },
      errors: normalised.errors,
    })
  }
  throw new HttpProblem({
    code: 'validation_failed',
    detail: {
      en: 'Some fields are not valid.',
      de: 'Einige Felder sind nicht gültig.',
    },
    errors: normalised.errors,
  })
}
