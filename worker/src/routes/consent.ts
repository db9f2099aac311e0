import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import {
  ConsentReceiptSchema,
  WithdrawInputSchema,
  WithdrawResultSchema,
} from '../../../shared/consent'
import { currentConsents, insertConsentStatement, listReceipt } from '../db/consent-ledger'
import { findLeadToken } from '../db/lead-tokens'
import { findLead } from '../db/leads'
import { findSite } from '../db/sites'
import type { AppEnv } from '../env'
import { sha256Hex } from '../lib/crypto'
import { escapeHtml, htmlPage, wantsHtml } from '../lib/html'
import { clientAddress, reduceAddress } from '../lib/network'
import { HttpProblem, validationProblem } from '../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../lib/router'

export const consent = createRouter()

const TokenParam = z.object({
  token: z.string().min(16).max(200).meta({ example: 'QykxTNAsJXZDQxf0CSpCDHZsocUtp5QW' }),
})
const ACTIVE = new Set(['granted', 'pending', 'confirmed'])

async function leadForToken(c: Context<AppEnv>, token: string, purpose: 'optin' | 'consent') {
  const row = await findLeadToken(c.env.DB, await sha256Hex(token), purpose)
  const lead = row ? await findLead(c.env.DB, row.site_key, row.lead_id) : null
  const site = row ? await findSite(c.env.DB, row.site_key) : null
  if (!row || !lead || !site)
    throw new HttpProblem(404, 'link_not_found', 'This link is not valid.')
  return { row, lead, site }
}

function requestFacts(c: Context<AppEnv>) {
  return {
    network: reduceAddress(clientAddress(c.req.raw)),
    userAgent: (c.req.header('user-agent') ?? '').slice(0, 512) || null,
  }
}

consent.openapi(
  createRoute({
    method: 'get',
    path: '/v1/optin/{token}',
    summary: 'Confirm a newsletter signup (double opt-in)',
    description:
      'The link from the confirmation mail: single-use, expires after seven days. Records the confirmation in the consent ledger.',
    request: { params: TokenParam },
    responses: {
      200: {
        description: 'Confirmed (an HTML page for browsers)',
        content: {
          'application/json': {
            schema: z.object({ confirmed: z.boolean() }).meta({ example: { confirmed: true } }),
          },
        },
      },
      ...PROBLEM_RESPONSES,
      410: { description: 'Used or expired' },
    },
  }),
  async (c) => {
    const { row, lead, site } = await leadForToken(c, c.req.valid('param').token, 'optin')
    const now = new Date().toISOString()
    if (row.used_at || (row.expires_at && row.expires_at < now)) {
      throw new HttpProblem(
        410,
        'link_expired',
        'This confirmation link was used already or has expired.',
      )
    }
    const pending = currentConsents(await listReceipt(c.env.DB, lead.id)).get('marketing_email')
    const [used] = await c.env.DB.batch([
      c.env.DB.prepare(
        'UPDATE lead_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL',
      ).bind(row.token_hash, now),
      insertConsentStatement(
        c.env.DB,
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
          ...requestFacts(c),
          now,
        },
        'changes() = 1',
      ),
    ])
    if ((used?.meta.changes ?? 0) !== 1)
      throw new HttpProblem(410, 'link_expired', 'This confirmation link was used already.')
    if (wantsHtml(c.req.header('accept'))) {
      const de = site.locale === 'de'
      return htmlPage(
        site.locale,
        de ? 'Anmeldung bestätigt' : 'Subscription confirmed',
        `<p>${escapeHtml(de ? `Danke! Sie erhalten ab jetzt den Newsletter von ${site.name}.` : `Thank you! You will now receive the ${site.name} newsletter.`)}</p>`,
      )
    }
    return c.json({ confirmed: true }, 200)
  },
)

consent.openapi(
  createRoute({
    method: 'get',
    path: '/v1/consent/{token}',
    summary: "The lead's consent receipt",
    description:
      'Every consent the lead gave or withdrew, with the exact text shown and its SHA-256. HTML for browsers, JSON otherwise.',
    request: { params: TokenParam },
    responses: {
      200: {
        description: 'The receipt',
        content: { 'application/json': { schema: ConsentReceiptSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { token } = c.req.valid('param')
    const { lead, site } = await leadForToken(c, token, 'consent')
    const rows = await listReceipt(c.env.DB, lead.id)
    const current = [...currentConsents(rows)].map(([purpose, value]) => ({
      purpose,
      status: value.status,
      textSha256: value.textSha256,
    }))
    const receipt = {
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
    if (!wantsHtml(c.req.header('accept')))
      return c.json(receipt, 200, { 'cache-control': 'no-store' })
    const de = site.locale === 'de'
    const items = receipt.entries
      .map(
        (e) =>
          `<li><strong>${escapeHtml(e.purpose)}</strong>: ${escapeHtml(e.status)} (${escapeHtml(e.method)}, ${escapeHtml(e.at)})${e.text ? `<blockquote>${escapeHtml(e.text)}</blockquote><small>SHA-256 ${escapeHtml(e.textSha256 ?? '')}</small>` : ''}</li>`,
      )
      .join('')
    const active = current.some((entry) => ACTIVE.has(entry.status))
    const button = active
      ? `<form method="post" action="/v1/consent/${escapeHtml(token)}/withdraw"><button type="submit">${de ? 'Alle Einwilligungen widerrufen' : 'Withdraw all consents'}</button></form>`
      : `<p>${de ? 'Sie haben keine Einwilligung erteilt.' : 'You have given no consent.'}</p>`
    return htmlPage(
      site.locale,
      de ? `Ihre Einwilligungen bei ${site.name}` : `Your consents at ${site.name}`,
      `<p>${escapeHtml(receipt.email)}</p><ul>${items}</ul>${button}`,
    )
  },
)

/** A link from a mail must not act on GET (mail scanners prefetch links): it shows the one button. */
consent.get('/v1/consent/:token/withdraw', async (c) => {
  const token = c.req.param('token')
  if (token.length < 16 || token.length > 200)
    throw new HttpProblem(404, 'link_not_found', 'This link is not valid.')
  const { site } = await leadForToken(c, token, 'consent')
  const de = site.locale === 'de'
  return htmlPage(
    site.locale,
    de ? 'Einwilligung widerrufen' : 'Withdraw consent',
    `<form method="post" action="/v1/consent/${escapeHtml(token)}/withdraw"><button type="submit">${de ? `Keine E-Mails mehr von ${escapeHtml(site.name)}` : `No more mail from ${escapeHtml(site.name)}`}</button></form>`,
  )
})

consent.openapi(
  createRoute({
    method: 'post',
    path: '/v1/consent/{token}/withdraw',
    summary: 'Withdraw consent in one step',
    description:
      'Appends a `withdrawn` entry for each purpose named (default: every purpose given). Accepts JSON, an empty body, or a one-click form post (RFC 8058).',
    request: { params: TokenParam },
    responses: {
      200: {
        description: 'Withdrawn',
        content: { 'application/json': { schema: WithdrawResultSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { token } = c.req.valid('param')
    const { lead, site } = await leadForToken(c, token, 'consent')
    let purposes: string[] | undefined
    // Media types are case-insensitive (RFC 9110 §8.3.1).
    const type = (c.req.header('content-type') ?? '').toLowerCase()
    if (type.startsWith('application/json')) {
      const raw = await c.req.text()
      let data: unknown = {}
      try {
        data = raw ? JSON.parse(raw) : {}
      } catch {
        throw new HttpProblem(400, 'malformed_json', 'The request body is not valid JSON.')
      }
      const parsed = WithdrawInputSchema.safeParse(data)
      if (!parsed.success) throw validationProblem(parsed.error)
      purposes = parsed.data.purposes
    }
    const current = currentConsents(await listReceipt(c.env.DB, lead.id))
    const now = new Date().toISOString()
    const facts = requestFacts(c)
    const withdraw = [...current]
      .filter(
        ([purpose, value]) => ACTIVE.has(value.status) && (!purposes || purposes.includes(purpose)),
      )
      .map(([purpose, value]) => ({ purpose, ...value }))
    if (withdraw.length) {
      const stopTracking = withdraw.some((w) => w.purpose === 'tracking')
      await c.env.DB.batch([
        // Without tracking consent the visitor id no longer links new touchpoints to the lead
        // (docs/consent-and-privacy.md#withdrawal).
        ...(stopTracking
          ? [c.env.DB.prepare('DELETE FROM lead_visitors WHERE lead_id = ?1').bind(lead.id)]
          : []),
        ...withdraw.map((w) =>
          insertConsentStatement(c.env.DB, {
            siteKey: site.siteKey,
            leadId: lead.id,
            purpose: w.purpose,
            status: 'withdrawn',
            method: 'link',
            textId: w.textId,
            textSha256: w.textSha256,
            formId: null,
            pageUrl: null,
            ...facts,
            now,
          }),
        ),
      ])
    }
    const withdrawn = withdraw.map((w) => w.purpose)
    if (wantsHtml(c.req.header('accept')) || type.startsWith('application/x-www-form-urlencoded')) {
      const de = site.locale === 'de'
      return htmlPage(
        site.locale,
        de ? 'Widerruf gespeichert' : 'Consent withdrawn',
        `<p>${de ? 'Sie erhalten keine E-Mails mehr von uns.' : 'You will receive no more mail from us.'}</p>`,
      )
    }
    return c.json({ withdrawn }, 200)
  },
)
