import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import {
  ConsentConfirmedSchema,
  ConsentReceiptSchema,
  WithdrawInputSchema,
  WithdrawResultSchema,
} from '../../../shared/consent'
import { siteStore, storeOfLeadToken } from '../db/store'
import type { AppEnv } from '../env'
import { parseJsonBody, readUtf8Text } from '../lib/body'
import { wantsHtml } from '../lib/html'
import { negotiateLocale } from '../lib/locale'
import { HttpProblem } from '../lib/problem'
import { readRequestFacts } from '../lib/request-facts'
import { createRouter, PROBLEM_RESPONSES } from '../lib/router'
import {
  activePurposes,
  confirmOptin,
  findConsentLink,
  findOptinLink,
  LinkProblem,
  readConsentReceipt,
  withdrawConsents,
} from '../services/consent-links'
import {
  deadLinkPage,
  optinConfirmedPage,
  optinFormPage,
  receiptPage,
  withdrawFormPage,
  withdrawnPage,
} from '../views/consent-pages'

export const consent = createRouter()

const TokenParam = z.object({
  token: z.string().min(16).max(200).meta({ example: 'QykxTNAsJXZDQxf0CSpCDHZsocUtp5QW' }),
})

const DEAD_LINK = {
  description:
    "Used, expired, or void because the consent was withdrawn since (`link_expired`); a page in the lead's language for browsers",
}

/**
 * Runs a link's handler; a link that does nothing answers a person (a client
 * that accepts HTML) with a friendly page in the lead's language, and an API
 * client with its problem+json (docs/consent-and-privacy.md#links).
 */
async function orDeadLinkPage(
  c: Context<AppEnv>,
  html: boolean,
  handler: () => Promise<Response>,
): Promise<Response> {
  try {
    return await handler()
  } catch (error) {
    if (!(error instanceof LinkProblem) || !html) throw error
    const locale = error.link?.locale ?? negotiateLocale(c.req.header('accept-language'), 'en')
    return deadLinkPage(error.reason, error.link?.site ?? null, locale, error.status)
  }
}

/**
 * A form post from another origin is refused: the token is the secret, and
 * this keeps a page elsewhere from posting a link it learnt. Browsers send
 * `Origin` with every form post; mail clients and API clients send none.
 */
function requireOwnOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header('origin')
  if (origin !== undefined && origin !== new URL(c.req.url).origin)
    throw new HttpProblem({
      code: 'origin_not_allowed',
      detail: 'The confirmation must be sent from its own page.',
    })
}

consent.openapi(
  createRoute({
    method: 'get',
    path: '/v1/optin/{token}',
    summary: 'Open a double opt-in link',
    description:
      'The link from the confirmation mail. Confirms nothing (mail scanners fetch links, `HEAD` included): browsers get a page with one button that posts the confirmation; JSON clients get `{confirmed: false}` while the link can still confirm.',
    request: { params: TokenParam },
    responses: {
      200: {
        description: 'The link can confirm (an HTML page with the button for browsers)',
        content: { 'application/json': { schema: ConsentConfirmedSchema } },
      },
      ...PROBLEM_RESPONSES,
      410: DEAD_LINK,
    },
  }),
  async (c) => {
    const { token } = c.req.valid('param')
    const html = wantsHtml(c.req.header('accept'))
    return orDeadLinkPage(c, html, async () => {
      const link = await findOptinLink(
        await storeOfLeadToken(c.env, token),
        token,
        new Date().toISOString(),
      )
      if (html) return optinFormPage(link.site, link.locale, token, link.lead.email ?? '')
      return c.json({ confirmed: false }, 200, { 'cache-control': 'no-store' })
    })
  },
)

consent.openapi(
  createRoute({
    method: 'post',
    path: '/v1/optin/{token}',
    summary: 'Confirm a newsletter signup (double opt-in)',
    description:
      "The button of the opt-in link's page: single-use, within seven days of the mail, and only while the signup is still pending (a withdrawal since is final). Records the confirmation in the consent ledger. A browser's post must come from the page's own origin.",
    request: { params: TokenParam },
    responses: {
      200: {
        description: 'Confirmed (an HTML page for browsers)',
        content: { 'application/json': { schema: ConsentConfirmedSchema } },
      },
      ...PROBLEM_RESPONSES,
      410: DEAD_LINK,
    },
  }),
  async (c) => {
    const { token } = c.req.valid('param')
    const type = (c.req.header('content-type') ?? '').toLowerCase()
    const html =
      wantsHtml(c.req.header('accept')) || type.startsWith('application/x-www-form-urlencoded')
    requireOwnOrigin(c)
    return orDeadLinkPage(c, html, async () => {
      const link = await confirmOptin(
        await storeOfLeadToken(c.env, token),
        token,
        readRequestFacts(c),
        new Date().toISOString(),
        c.env.OUTBOUND,
      )
      if (html) return optinConfirmedPage(link.site, link.locale)
      return c.json({ confirmed: true }, 200)
    })
  },
)

consent.openapi(
  createRoute({
    method: 'get',
    path: '/v1/consent/{token}',
    summary: "The lead's consent receipt",
    description:
      "Every consent the lead gave, confirmed or withdrew, with the exact text shown and its SHA-256. HTML for browsers (in the lead's language), JSON otherwise.",
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
    const html = wantsHtml(c.req.header('accept'))
    return orDeadLinkPage(c, html, async () => {
      const { link, receipt, active } = await readConsentReceipt(
        await storeOfLeadToken(c.env, token),
        token,
      )
      if (!html) return c.json(receipt, 200, { 'cache-control': 'no-store' })
      return receiptPage(link.site, link.locale, receipt, token, active)
    })
  },
)

/** A link from a mail must not act on GET (mail scanners prefetch links): it shows the one button. */
consent.get('/v1/consent/:token/withdraw', async (c) => {
  const token = c.req.param('token')
  return orDeadLinkPage(c, wantsHtml(c.req.header('accept')), async () => {
    if (token.length < 16 || token.length > 200)
      throw new LinkProblem('unknown', null, 'This link is not valid.')
    const link = await findConsentLink(await storeOfLeadToken(c.env, token), token)
    return withdrawFormPage(
      link.site,
      link.locale,
      token,
      await activePurposes(siteStore(c.env, link.site.siteKey), link),
    )
  })
})

consent.openapi(
  createRoute({
    method: 'post',
    path: '/v1/consent/{token}/withdraw',
    summary: 'Withdraw consent in one step',
    description:
      'Appends a `withdrawn` entry for each purpose named (default: every purpose given). Accepts JSON, an empty body, or a one-click form post (RFC 8058). A withdrawal is final: no older opt-in link can confirm again.',
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
    // Media types are case-insensitive (RFC 9110 §8.3.1). An empty JSON body withdraws everything.
    const type = (c.req.header('content-type') ?? '').toLowerCase()
    const html =
      wantsHtml(c.req.header('accept')) || type.startsWith('application/x-www-form-urlencoded')
    return orDeadLinkPage(c, html, async () => {
      // An unknown link is a 404 whatever the body says.
      const link = await findConsentLink(await storeOfLeadToken(c.env, token), token)
      const raw = type.startsWith('application/json') ? await readUtf8Text(c) : ''
      const { purposes } = raw ? parseJsonBody(raw, WithdrawInputSchema) : {}
      const withdrawn = await withdrawConsents(
        siteStore(c.env, link.site.siteKey),
        link,
        purposes,
        readRequestFacts(c),
        new Date().toISOString(),
        c.env.OUTBOUND,
      )
      if (html) return withdrawnPage(link.site, link.locale, token, withdrawn)
      return c.json({ withdrawn }, 200)
    })
  },
)
