import { createRoute, z } from '@hono/zod-openapi'
import {
  ConsentConfirmedSchema,
  ConsentReceiptSchema,
  WithdrawInputSchema,
  WithdrawResultSchema,
} from '../../../shared/consent'
import { parseJsonBody, readUtf8Text } from '../lib/body'
import { wantsHtml } from '../lib/html'
import { HttpProblem } from '../lib/problem'
import { readRequestFacts } from '../lib/request-facts'
import { createRouter, PROBLEM_RESPONSES } from '../lib/router'
import {
  confirmOptin,
  findConsentLink,
  readConsentReceipt,
  withdrawConsents,
} from '../services/consent-links'
import {
  optinConfirmedPage,
  receiptPage,
  withdrawFormPage,
  withdrawnPage,
} from '../views/consent-pages'

export const consent = createRouter()

const TokenParam = z.object({
  token: z.string().min(16).max(200).meta({ example: 'QykxTNAsJXZDQxf0CSpCDHZsocUtp5QW' }),
})

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
            schema: ConsentConfirmedSchema,
          },
        },
      },
      ...PROBLEM_RESPONSES,
      410: { description: 'Used or expired' },
    },
  }),
  async (c) => {
    const site = await confirmOptin(
      c.env.DB,
      c.req.valid('param').token,
      readRequestFacts(c),
      new Date().toISOString(),
    )
    if (wantsHtml(c.req.header('accept'))) return optinConfirmedPage(site)
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
    const { site, receipt, active } = await readConsentReceipt(c.env.DB, token)
    if (!wantsHtml(c.req.header('accept')))
      return c.json(receipt, 200, { 'cache-control': 'no-store' })
    return receiptPage(site, receipt, token, active)
  },
)

/** A link from a mail must not act on GET (mail scanners prefetch links): it shows the one button. */
consent.get('/v1/consent/:token/withdraw', async (c) => {
  const token = c.req.param('token')
  if (token.length < 16 || token.length > 200)
    throw new HttpProblem({ code: 'link_not_found', detail: 'This link is not valid.' })
  const { site } = await findConsentLink(c.env.DB, token)
  return withdrawFormPage(site, token)
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
    // An unknown link is a 404 whatever the body says.
    const link = await findConsentLink(c.env.DB, c.req.valid('param').token)
    // Media types are case-insensitive (RFC 9110 §8.3.1). An empty JSON body withdraws everything.
    const type = (c.req.header('content-type') ?? '').toLowerCase()
    const raw = type.startsWith('application/json') ? await readUtf8Text(c) : ''
    const { purposes } = raw ? parseJsonBody(raw, WithdrawInputSchema) : {}
    const withdrawn = await withdrawConsents(
      c.env.DB,
      link,
      purposes,
      readRequestFacts(c),
      new Date().toISOString(),
    )
    if (wantsHtml(c.req.header('accept')) || type.startsWith('application/x-www-form-urlencoded'))
      return withdrawnPage(link.site)
    return c.json({ withdrawn }, 200)
  },
)
