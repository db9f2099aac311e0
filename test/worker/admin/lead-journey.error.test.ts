import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../../shared/leads'
import { toBase64Url } from '../../../worker/src/lib/crypto'
import { admin, createSite, expectProblem, leadBody, postLead, rowCounts } from '../helpers'

const encode = (value: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(value)))

describe('GET /v1/admin/sites/{siteKey}/leads/{leadId}/journey, refused', () => {
  it.each([
    ['not base64url', '!!!'],
    ['not JSON', toBase64Url(new TextEncoder().encode('{['))],
    ['not a pair', encode(['2026-11-01T08:00:00.000Z'])],
    ['a list cursor', encode(['-created', '2026-11-01T08:00:00.000Z', 'id'])],
    ['no time', encode(['yesterday', 12])],
    ['no position', encode(['2026-11-01T08:00:00.000Z', -1])],
    ['a fractional position', encode(['2026-11-01T08:00:00.000Z', 1.5])],
    ['too long', 'A'.repeat(201)],
  ])('refuses a cursor that is %s with 422 naming the cursor', async (_, cursor) => {
    const site = await createSite()
    const { leadId } = (await (await postLead(site, leadBody(site))).json()) as LeadSubmissionResult
    const before = await rowCounts()
    const problem = await expectProblem(
      await admin(
        `/v1/admin/sites/${site.siteKey}/leads/${leadId}/journey?cursor=${encodeURIComponent(cursor)}`,
        'GET',
      ),
      422,
      'validation_failed',
    )
    expect(problem.errors?.map((error) => error.path)).toEqual(['cursor'])
    expect(await rowCounts()).toEqual(before)
  })

  it.each(['0', '201', 'ten', '-5'])('refuses limit=%s with 422', async (limit) => {
    const site = await createSite()
    const { leadId } = (await (await postLead(site, leadBody(site))).json()) as LeadSubmissionResult
    const problem = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}/journey?limit=${limit}`, 'GET'),
      422,
      'validation_failed',
    )
    expect(problem.errors?.map((error) => error.path)).toEqual(['limit'])
  })

  it('answers 404 for an unknown lead and for a lead of another site', async () => {
    const site = await createSite()
    const other = await createSite()
    const { leadId } = (await (await postLead(site, leadBody(site))).json()) as LeadSubmissionResult
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${crypto.randomUUID()}/journey`, 'GET'),
      404,
      'lead_not_found',
    )
    await expectProblem(
      await admin(`/v1/admin/sites/${other.siteKey}/leads/${leadId}/journey`, 'GET'),
      404,
      'lead_not_found',
    )
  })

  it('refuses a token without leads:read, and one of another site', async () => {
    const site = await createSite()
    const other = await createSite()
    const { leadId } = (await (await postLead(site, leadBody(site))).json()) as LeadSubmissionResult
    const path = `/v1/admin/sites/${site.siteKey}/leads/${leadId}/journey`
    const created = await admin(`/v1/admin/sites/${site.siteKey}/tokens`, 'POST', {
      scopes: ['reports:read'],
    })
    const { token } = (await created.json()) as { token: string }
    await expectProblem(await admin(path, 'GET', undefined, token), 403)
    const foreign = await admin(`/v1/admin/sites/${other.siteKey}/tokens`, 'POST', {
      scopes: ['leads:read'],
    })
    await expectProblem(
      await admin(path, 'GET', undefined, ((await foreign.json()) as { token: string }).token),
      403,
    )
  })
})
