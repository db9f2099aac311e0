import type { SpamReleased } from '../../../shared/spam'
import { findForm } from '../db/forms'
import { findSpam, deleteSpam } from '../db/spam'
import { findSubmission } from '../db/submissions'
import { checkConsents, decideJourney } from '../domain/capture-plan'
import { normaliseFields } from '../domain/normalize'
import { HttpProblem } from '../lib/problem'
import type { RequestFacts } from '../lib/request-facts'
import { conflict, writeCapture, type CaptureDeps } from './capture-lead'
import { requireSite } from './lookups'

const notFound = () =>
  new HttpProblem({
    code: 'spam_not_found',
    detail: 'There is no held submission of this id (released, deleted or purged after 30 days).',
  })

const notReleasable = (why: string) => new HttpProblem({ code: 'spam_not_releasable', detail: why })

/**
 * Turns a held spam submission into a lead (docs/spam-and-abuse.md#release): the normal capture
 * planning (completeness, merge by email, qualification, the visitor's touchpoints by visitor id)
 * without the spam screens, the consent ledger entries as given (the text versions shown then, the
 * time received, the network and user agent it came with), and the held copy deleted in the same
 * batch. A second release of the same copy finds it gone (404), or, while the first is still
 * writing, the submission stored: never two leads.
 */
export async function releaseSpam(
  deps: CaptureDeps,
  request: Pick<RequestFacts, 'origin'>,
  siteKey: string,
  spamId: number,
): Promise<{ status: 200 | 201; result: SpamReleased }> {
  const { db } = deps
  const held = await findSpam(db, siteKey, spamId)
  if (!held) throw notFound()
  const body = held.payload.submission
  const received = held.payload.received
  if (!body || !received)
    throw notReleasable(
      'This submission was held with its field names only (before the spam folder kept submissions whole, or too big to keep); it cannot become a lead.',
    )
  const site = await requireSite(db, siteKey)
  const form = await findForm(db, site, body.formId)
  if (!form) throw notReleasable(`The form "${body.formId}" no longer exists.`)

  // The visitor already got in with the same submission (a retry): that lead is the answer.
  const arrived = await findSubmission(db, siteKey, body.submissionId)
  if (arrived?.leadId) {
    await deleteSpam(db, siteKey, spamId)
    return { status: 200, result: { leadId: arrived.leadId, released: false } }
  }

  const normalised = normaliseFields(form.fields, body.fields, site.country, {
    allowDisposable: true,
  })
  if (!normalised.ok)
    throw new HttpProblem({
      code: 'validation_failed',
      detail: 'The held fields do not fit the form as it is now.',
      errors: normalised.errors,
    })
  // The answers as checked when held, against the texts shown then; else against the form now.
  let consents = held.payload.consents
  if (!consents) {
    const checked = checkConsents(form, body.consents)
    if (!checked.ok)
      throw new HttpProblem({
        code: 'consent_invalid',
        detail: 'The held consents do not match the form.',
        errors: checked.errors,
      })
    consents = checked.consents
  }
  // No address is kept, so the day's anonymous touchpoints (by daily hash) cannot join: only the
  // visitor's own, by visitor id, where the visitor agreed.
  const { visitorId } = decideJourney(body, received.gpc)
  const written = await writeCapture(
    deps,
    { origin: request.origin, network: received.network, userAgent: received.userAgent },
    { site, form, body },
    {
      values: normalised.values,
      email: normalised.email,
      consents,
      visitorId,
      dailyHash: null,
      download: undefined,
      now: new Date(),
      released: { spamId, receivedAt: held.createdAt },
    },
  )
  if (written === 'replay') {
    // A double click: the other request released it.
    const stored = await findSubmission(db, siteKey, body.submissionId)
    if (stored?.leadId) return { status: 200, result: { leadId: stored.leadId, released: false } }
  } else if (written) {
    const { leadId, stage, complete } = written.result
    return { status: 201, result: { leadId, released: true, stage, complete } }
  }
  throw conflict()
}
