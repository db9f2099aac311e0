import type { Locale } from '../../../shared/common'
import type { Site } from '../../../shared/site'
import { setLeadLocaleStatement } from '../db/leads'
import { insertLeadTokenStatement } from '../db/lead-tokens'
import type { Config } from '../env'
import { randomToken, sha256Hex } from '../lib/crypto'
import { createMailer } from '../mail/mailer'
import { optinMessage } from '../mail/messages'

/** A double opt-in link works for a week, once. */
const OPTIN_TTL_MS = 7 * 24 * 3600 * 1000

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
  consents: readonly RecordedConsent[],
  locale: Locale,
): Promise<{ receiptUrl?: string }> {
  const now = new Date()
  const gave = consents.some((c) => c.status === 'granted' || c.status === 'pending')
  const pending = consents.some((c) => c.status === 'pending')
  const consent = gave ? randomToken(24) : null
  const optin = pending ? randomToken(24) : null
  await db.batch([
    setLeadLocaleStatement(db, lead.id, locale),
    ...(consent
      ? [
          insertLeadTokenStatement(db, {
            hash: await sha256Hex(consent),
            leadId: lead.id,
            siteKey: site.siteKey,
            purpose: 'consent',
            expiresAt: null,
            now: now.toISOString(),
          }),
        ]
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
