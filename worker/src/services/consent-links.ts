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

/** The statuses that mean a consent is in force (or awaits its confirmation). */
const ACTIVE = new Set(['granted', 'pending', 'confirmed'])

type LedgerFacts = Pick<RequestFacts, 'network' | 'userAgent'>

/** What a mailed link stands for: its token row, the lead and the site. */
export interface ConsentLink {
  row: LeadTokenRow
  lead: LeadRow
  site: Site
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
  if (!row || !lead || !site)
    throw new HttpProblem({ code: 'link_not_found', detail: 'This link is not valid.' })
  return { row, lead, site }
}

/** The lead and site a receipt or withdrawal link belongs to. */
export async function findConsentLink(db: D1Database, token: string): Promise<ConsentLink> {
  return linkOwner(db, token, 'consent')
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
): Promise<Site> {
  const { row, lead, site } = await linkOwner(db, token, 'optin')
  if (row.used_at || (row.expires_at && row.expires_at < now)) {
    throw new HttpProblem({
      code: 'link_expired',
      detail: 'This confirmation link was used already or has expired.',
    })
  }
  const pending = currentConsents(await listReceipt(db, lead.id)).get('marketing_email')
  const used = await useLeadToken(db, row.token_hash, {
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
  })
  if (!used)
    throw new HttpProblem({
      code: 'link_expired',
      detail: 'This confirmation link was used already.',
    })
  return site
}

/** The lead's own receipt: each purpose's current status and every ledger entry with its text. */
export async function readConsentReceipt(
  db: D1Database,
  token: string,
): Promise<{ site: Site; receipt: ConsentReceipt; active: boolean }> {
  const { lead, site } = await linkOwner(db, token, 'consent')
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
  return { site, receipt, active: current.some((entry) => ACTIVE.has(entry.status)) }
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
): Promise<string[]> {
  const current = currentConsents(await listReceipt(db, lead.id))
  const withdraw = [...current]
    .filter(
      ([purpose, value]) => ACTIVE.has(value.status) && (!purposes || purposes.includes(purpose)),
    )
    .map(([purpose, value]) => ({ purpose, ...value }))
  if (withdraw.length) {
    const stopTracking = withdraw.some((w) => w.purpose === 'tracking')
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
    ])
  }
  return withdraw.map((w) => w.purpose)
}
