import type { Locale } from '../../../shared/common'
import type { Site } from '../../../shared/site'
import { submissionGaveConsent } from '../db/consent-ledger'
import { setLeadLocaleStatement } from '../db/leads'
import { insertLeadTokenStatement } from '../db/lead-tokens'
import type { Config } from '../env'
import { hmacSha256, randomToken, sha256Hex, toBase64Url } from '../lib/crypto'
import { createMailer } from '../mail/mailer'
import { optinMessage } from '../mail/messages'

/** A double opt-in link works for a week, once. */
const OPTIN_TTL_MS = 7 * 24 * 3600 * 1000

/**
 * The receipt token of a submission that gave a consent: derived from the
 * submission with the collector's secret, so a replay of the same
 * `submissionId` answers the same link although only its SHA-256 is stored.
 */
async function receiptToken(secret: string, siteKey: string, submissionId: string) {
  return toBase64Url(await hmacSha256(secret, `receipt:${siteKey}:${submissionId}`)).slice(0, 32)
}

function receiptStatement(
  db: D1Database,
  hash: string,
  siteKey: string,
  leadId: string,
  now: string,
): D1PreparedStatement {
  return insertLeadTokenStatement(db, {
    hash,
    leadId,
    siteKey,
    purpose: 'consent',
    expiresAt: null,
    now,
  })
}

/**
 * The receipt link of a replayed submission: the same as its first answer's,
 * while the submission gave a consent and its lead is not erased.
 */
export async function replayedReceiptUrl(
  { db, config }: { db: D1Database; config: Config },
  origin: string,
  siteKey: string,
  submissionId: string,
  leadId: string | null,
): Promise<string | undefined> {
  if (!leadId) return undefined
  if (!(await submissionGaveConsent(db, leadId, submissionId))) return undefined
  const token = await receiptToken(config.LODESTONE_SECRET, siteKey, submissionId)
  // The first answer may still be on its way: the row is the same whoever writes it.
  await receiptStatement(
    db,
    await sha256Hex(token),
    siteKey,
    leadId,
    new Date().toISOString(),
  ).run()
  return `${origin}/v1/consent/${token}`
}

/** A consent answer as the capture plan records it. */
interface RecordedConsent {
  status: string
}

/**
 * What follows a stored submission on the consent side (docs/consent-and-privacy.md):
 * the lead's language is kept for its mails and pages; a submission that gave a consent
 * gets a receipt link (returned, for the thank-you state); a pending newsletter grant
 * gets the double opt-in mail. Tokens are stored only as their SHA-256.
 */
export async function followUpConsents(
  { db, config }: { db: D1Database; config: Config },
  origin: string,
  site: Site,
  lead: { id: string; email: string },
  submission: { id: string; consents: readonly RecordedConsent[]; locale: Locale },
): Promise<{ receiptUrl?: string }> {
  const now = new Date()
  const { consents, locale } = submission
  const gave = consents.some((c) => c.status === 'granted' || c.status === 'pending')
  const pending = consents.some((c) => c.status === 'pending')
  const consent = gave
    ? await receiptToken(config.LODESTONE_SECRET, site.siteKey, submission.id)
    : null
  const optin = pending ? randomToken(24) : null
  await db.batch([
    setLeadLocaleStatement(db, lead.id, locale),
    ...(consent
      ? [receiptStatement(db, await sha256Hex(consent), site.siteKey, lead.id, now.toISOString())]
      : []),
    ...(optin
      ? [
          insertLeadTokenStatement(db, {
            hash: await sha256Hex(optin),
            leadId: lead.id,
            siteKey: site.siteKey,
            purpose: 'optin',
            expiresAt: new Date(now.getTime() + OPTIN_TTL_MS).toISOString(),
            now: now.toISOString(),
          }),
        ]
      : []),
  ])
  if (!consent) return {}
  const receiptUrl = `${origin}/v1/consent/${consent}`
  if (optin) {
    const message = optinMessage(locale, site.name, {
      optin: `${origin}/v1/optin/${optin}`,
      receipt: receiptUrl,
      withdraw: `${receiptUrl}/withdraw`,
    })
    try {
      await createMailer(db, config).send({
        siteKey: site.siteKey,
        leadId: lead.id,
        to: lead.email,
        ...message,
      })
    } catch (error) {
      // The signup stays pending and can be sent again; the address is not logged.
      console.error(
        `opt-in mail for site ${site.siteKey} failed: ${(error as Error).message.slice(0, 200)}`,
      )
    }
  }
  return { receiptUrl }
}
