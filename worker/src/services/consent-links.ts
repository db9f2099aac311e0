import type { Locale } from '../../../shared/common'
import type { ConsentReceipt } from '../../../shared/consent'
import type { Site } from '../../../shared/site'
import { currentConsents, insertConsentStatement, listReceipt } from '../db/consent-ledger'
import {
  findLeadToken,
  useLeadToken,
  type LeadTokenPurpose,
  type LeadTokenRow,
} from '../db/lead-tokens'
import { unlinkLeadVisitorsStatement } from '../db/lead-visitors'
import { findLead, type LeadRow } from '../db/leads'
import { findSite } from '../db/sites'
import { sha256Hex } from '../lib/crypto'
import { HttpProblem } from '../lib/problem'
import type { RequestFacts } from '../lib/request-facts'
import { eventsStatements, eventStatements } from '../db/outbound'
import { consentChangedEvent } from './outbound/events'
import { announce } from './outbound/queue'

/** The statuses that mean a consent is in force (or awaits its confirmation). */
const ACTIVE = new Set(['granted', 'pending', 'confirmed'])

type LedgerFacts = Pick<RequestFacts, 'network' | 'userAgent'>

/** What a mailed link stands for: its token row, the lead, the site and the lead's language. */
export interface ConsentLink {
  row: LeadTokenRow
  lead: LeadRow
  site: Site
  /** The language the lead submitted in, else the site's (docs/consent-and-privacy.md#language). */
  locale: Locale
}

/**
 * Why a mailed link does nothing: it names no token (`unknown`), its opt-in
 * was used (`used`), ran out (`expired`), or the consent it would confirm was
 * withdrawn since (`withdrawn`).
 */
export type DeadLink = 'unknown' | 'used' | 'expired' | 'withdrawn'

/**
 * A mailed link that does nothing, with what a friendly page about it needs:
 * the lead's language and the site's name when the token is known.
 */
export class LinkProblem extends HttpProblem {
  constructor(
    readonly reason: DeadLink,
    readonly link: Pick<ConsentLink, 'site' | 'locale'> | null,
    detail: string,
  ) {
    super({ code: reason === 'unknown' ? 'link_not_found' : 'link_expired', detail })
  }
}

function localeOf(lead: LeadRow, site: Site): Locale {
  return lead.locale === 'de' || lead.locale === 'en' ? lead.locale : site.locale
}

/** Any link that names no token, or one whose lead was erased, is a 404. */
async function linkOwner(
  db: D1Database,
  token: string,
  purpose: LeadTokenPurpose,
): Promise<ConsentLink> {
  const row = await findLeadToken(db, await sha256Hex(token), purpose)
  const lead = row ? await findLead(db, row.site_key, row.lead_id) : null
  const site = row ? await findSite(db, row.site_key) : null
  if (!row || !lead || !site) throw new LinkProblem('unknown', null, 'This link is not valid.')
  return { row, lead, site, locale: localeOf(lead, site) }
}

/** The lead and site a receipt or withdrawal link belongs to. */
export async function findConsentLink(db: D1Database, token: string): Promise<ConsentLink> {
  return linkOwner(db, token, 'consent')
}

/**
 * The double opt-in link, while it can still confirm: unused, unexpired, and
 * the pending grant it was mailed for still the latest word on
 * `marketing_email` (a withdrawal since is final). Reads only: the `GET`
 * of the link shows a button, the `POST` confirms.
 */
export async function findOptinLink(
  db: D1Database,
  token: string,
  now: string,
): Promise<ConsentLink> {
  return (await openOptinLink(db, token, now)).link
}

/** `findOptinLink` with the lead's `marketing_email` entries it read, so a confirmation reads them once. */
async function openOptinLink(db: D1Database, token: string, now: string) {
  const link = await linkOwner(db, token, 'optin')
  const rows = (await listReceipt(db, link.lead.id)).filter((r) => r.purpose === 'marketing_email')
  const latest = rows.at(-1)
  if (latest?.status === 'withdrawn')
    throw new LinkProblem(
      'withdrawn',
      link,
      'The consent this link would confirm was withdrawn; sign up again to give it anew.',
    )
  if (link.row.used_at)
    throw new LinkProblem('used', link, 'This confirmation link was used already.')
  if (link.row.expires_at && link.row.expires_at < now)
    throw new LinkProblem('expired', link, 'This confirmation link has expired.')
  // A newer signup mailed a newer link; this one confirms nothing any more.
  if (!latest || latest.status !== 'pending' || latest.created_at > link.row.created_at)
    throw new LinkProblem('used', link, 'This confirmation link is no longer valid.')
  return { link, rows }
}

/**
 * Confirms a newsletter signup from its double opt-in link: the link works
 * once and for a week, and the confirmation keeps the text of the pending grant.
 */
export async function confirmOptin(
  db: D1Database,
  token: string,
  request: LedgerFacts,
  now: string,
  outbound?: Queue,
): Promise<ConsentLink> {
  const { link, rows } = await openOptinLink(db, token, now)
  const { row, lead, site } = link
  const pending = currentConsents(rows).get('marketing_email')
  const reported = eventStatements(
    db,
    consentChangedEvent(
      site.siteKey,
      lead.id,
      {
        purpose: 'marketing_email',
        status: 'confirmed',
        method: 'double_opt_in',
        email: lead.email,
      },
      now,
    ),
    {
      sql: 'EXISTS (SELECT 1 FROM lead_tokens WHERE token_hash = ?C1 AND used_at = ?C2)',
      params: [row.token_hash, now],
    },
  )
  const used = await useLeadToken(
    db,
    row.token_hash,
    {
      siteKey: site.siteKey,
      leadId: lead.id,
      purpose: 'marketing_email',
      status: 'confirmed',
      method: 'double_opt_in',
      textId: pending?.textId ?? null,
      textSha256: pending?.textSha256 ?? null,
      formId: null,
      pageUrl: null,
      network: request.network,
      userAgent: request.userAgent,
      now,
    },
    reported.statements,
  )
  if (used) await announce(outbound, [reported.eventId])
  if (!used) {
    // Another request used the link, or withdrew, meanwhile: say which.
    await findOptinLink(db, token, now)
    throw new LinkProblem('used', link, 'This confirmation link was used already.')
  }
  return link
}

/** The lead's own receipt: each purpose's current status and every ledger entry with its text. */
export async function readConsentReceipt(
  db: D1Database,
  token: string,
): Promise<{ link: ConsentLink; receipt: ConsentReceipt; active: boolean }> {
  const link = await linkOwner(db, token, 'consent')
  const { lead, site } = link
  const rows = await listReceipt(db, lead.id)
  const current = [...currentConsents(rows)].map(([purpose, value]) => ({
    purpose,
    status: value.status,
    textSha256: value.textSha256,
  }))
  const receipt: ConsentReceipt = {
    email: lead.email ?? '',
    site: site.name,
    current,
    entries: rows.map((r) => ({
      purpose: r.purpose,
      status: r.status,
      method: r.method,
      text: r.text,
      textVersion: r.version,
      textSha256: r.text_sha256,
      formId: r.form_id,
      pageUrl: r.page_url,
      at: r.created_at,
    })),
  }
  return { link, receipt, active: current.some((entry) => ACTIVE.has(entry.status)) }
}

/** The purposes whose consent is in force (or awaits its confirmation): what a withdrawal would withdraw. */
export async function activePurposes(db: D1Database, { lead }: ConsentLink): Promise<string[]> {
  return [...currentConsents(await listReceipt(db, lead.id))]
    .filter(([, value]) => ACTIVE.has(value.status))
    .map(([purpose]) => purpose)
}

/**
 * Appends a `withdrawn` entry for each active consent among `purposes`
 * (every active one when absent). Withdrawing tracking also unlinks the
 * lead's visitor ids, so new touchpoints no longer join the lead
 * (docs/consent-and-privacy.md#withdrawal).
 */
export async function withdrawConsents(
  db: D1Database,
  { lead, site }: ConsentLink,
  purposes: readonly string[] | undefined,
  request: LedgerFacts,
  now: string,
  outbound?: Queue,
): Promise<string[]> {
  const current = currentConsents(await listReceipt(db, lead.id))
  const withdraw = [...current]
    .filter(
      ([purpose, value]) => ACTIVE.has(value.status) && (!purposes || purposes.includes(purpose)),
    )
    .map(([purpose, value]) => ({ purpose, ...value }))
  if (withdraw.length) {
    const stopTracking = withdraw.some((w) => w.purpose === 'tracking')
    const reported = eventsStatements(
      db,
      withdraw.map((w) =>
        consentChangedEvent(
          site.siteKey,
          lead.id,
          { purpose: w.purpose, status: 'withdrawn', method: 'link', email: lead.email },
          now,
        ),
      ),
    )
    await db.batch([
      ...(stopTracking ? [unlinkLeadVisitorsStatement(db, lead.id)] : []),
      ...withdraw.map((w) =>
        insertConsentStatement(db, {
          siteKey: site.siteKey,
          leadId: lead.id,
          purpose: w.purpose,
          status: 'withdrawn',
          method: 'link',
          textId: w.textId,
          textSha256: w.textSha256,
          formId: null,
          pageUrl: null,
          network: request.network,
          userAgent: request.userAgent,
          now,
        }),
      ),
      ...reported.statements,
    ])
    await announce(outbound, reported.eventIds)
  }
  return withdraw.map((w) => w.purpose)
}
