import { createRoute, z } from '@hono/zod-openapi'
import { firstText } from '../../../shared/form'
import { findForm } from '../db/forms'
import { findLead } from '../db/leads'
import { findSite } from '../db/sites'
import { siteStore } from '../db/store'
import { reclassifyLeads } from '../services/reclassify-lead'
import { findSubmission } from '../db/submissions'
import { insertTouchpoints } from '../db/touchpoints'
import { originAndPath } from '../domain/url'
import { verifyToken } from '../lib/crypto'
import { HttpProblem } from '../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../lib/router'
import type { DownloadClaim } from '../services/download-link'

export const downloads = createRouter()

const ClaimSchema = z.object({ s: z.string(), sub: z.string(), exp: z.number().int() })

downloads.openapi(
  createRoute({
    method: 'get',
    path: '/v1/downloads/{token}',
    summary: 'Redeem a signed download link',
    description:
      'The short-lived link from a gated submission: records a `download` touchpoint for the lead and redirects to the asset. A `HEAD` gets the same redirect and records nothing.',
    request: {
      params: z.object({
        token: z.string().min(10).max(2048).meta({
          example:
            'eyJzIjoiYWNtZSIsInN1YiI6IjNmMmI4YzFlLTVkNGEtNGU3Yi05YzZmLTBhMWIyYzNkNGU1ZiIsImV4cCI6MTc5Mzc4MzcwMH0.eAPmEuurjirEgBBide8Y7yXf1gv1IWusGwRo1cMYgLU',
        }),
      }),
    },
    responses: {
      302: { description: 'Redirect to the asset' },
      ...PROBLEM_RESPONSES,
      410: { description: 'Expired' },
    },
  }),
  async (c) => {
    const claim = ClaimSchema.safeParse(
      await verifyToken(c.get('config').LODESTONE_SECRET, c.req.valid('param').token),
    )
    if (!claim.success)
      throw new HttpProblem({
        code: 'download_not_found',
        detail: {
          en: 'This download link is not valid.',
          de: 'Dieser Download-Link ist nicht gültig.',
        },
      })
    const { s: siteKey, sub, exp }: DownloadClaim = claim.data
    if (exp * 1000 < Date.now())
      throw new HttpProblem({
        code: 'download_expired',
        detail: {
          en: 'This download link has expired.',
          de: 'Dieser Download-Link ist abgelaufen.',
        },
      })
    const submission = await findSubmission(siteStore(c.env, siteKey), siteKey, sub)
    const site = await findSite(c.env.DB, siteKey)
    const form =
      submission && site ? await findForm(siteStore(c.env, siteKey), site, submission.formId) : null
    const lead = submission?.leadId
      ? await findLead(siteStore(c.env, siteKey), siteKey, submission.leadId)
      : null
    // An erased lead's links die with it: no asset, no touchpoint on the tombstone.
    if (!submission || !form?.asset || !lead)
      throw new HttpProblem({
        code: 'download_not_found',
        detail: { en: 'This download is gone.', de: 'Dieser Download ist nicht mehr da.' },
      })
    c.header('cache-control', 'no-store')
    // Hono answers HEAD with the GET route. A HEAD (what link scanners send) is told where the
    // asset is, but is no download: it records nothing.
    if (c.req.method === 'HEAD') return c.redirect(form.asset.url, 302)
    const now = new Date()
    const inserted = await insertTouchpoints(siteStore(c.env, siteKey), {
      siteKey,
      receivedAt: now.toISOString(),
      visitorId: null,
      dailyHash: null,
      leadId: lead.id,
      rows: [
        {
          eventId: crypto.randomUUID(),
          type: 'download',
          occurredAt: now.toISOString(),
          // Origin and path, as every stored URL (docs/consent-and-privacy.md#urls-and-click-ids):
          // a signed asset URL's query is the storage's secret, not a touchpoint's.
          url: originAndPath(form.asset.url),
          path: new URL(form.asset.url).pathname,
          referrer: null,
          utmSource: null,
          utmMedium: null,
          utmCampaign: null,
          utmTerm: null,
          utmContent: null,
          formId: form.formId,
          props: JSON.stringify({ title: firstText(form, form.title) }),
        },
      ],
    })
    if (site)
      await reclassifyLeads(siteStore(c.env, siteKey), site, inserted, {
        queue: c.env.OUTBOUND,
        appOrigin: c.get('config').APP_URL ?? new URL(c.req.url).origin,
      })
    return c.redirect(form.asset.url, 302)
  },
)
