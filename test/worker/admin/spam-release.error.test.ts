import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem, leadBody, postLead, rowCounts } from '../helpers'

async function insertHeld(siteKey: string, payload: unknown): Promise<number> {
  const row = await env.DB.prepare(
    `INSERT INTO spam (site_key, reason, form_id, email_domain, payload, created_at)
     VALUES (?1, 'honeypot', 'wp', NULL, ?2, ?3) RETURNING id`,
  )
    .bind(siteKey, JSON.stringify(payload), new Date().toISOString())
    .first<{ id: number }>()
  return row!.id
}

describe('POST /v1/admin/sites/{siteKey}/spam/{id}/release, refused', () => {
  it('answers 409 spam_not_releasable for a copy held with its field names only, and keeps it', async () => {
    const site = await createSite()
    const id = await insertHeld(site.siteKey, { formId: 'wp', fields: ['email', 'firstName'] })
    const before = await rowCounts()
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/spam/${id}/release`, 'POST'),
      409,
      'spam_not_releasable',
    )
    expect(await rowCounts()).toEqual(before)
    const list = (await (await admin(`/v1/admin/sites/${site.siteKey}/spam`, 'GET')).json()) as {
      items: { id: number; releasable: boolean; values: object; fields: string[] }[]
    }
    expect(list.items).toEqual([
      expect.objectContaining({
        id,
        releasable: false,
        values: {},
        fields: ['email', 'firstName'],
      }),
    ])
  })

  it('answers 409 spam_not_releasable when the form is gone', async () => {
    const site = await createSite()
    const body = { ...leadBody(site), formId: 'gone' }
    const id = await insertHeld(site.siteKey, {
      formId: 'gone',
      fields: Object.keys(body.fields),
      submission: body,
      received: { network: null, userAgent: null, gpc: false },
    })
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/spam/${id}/release`, 'POST'),
      409,
      'spam_not_releasable',
    )
  })

  it('answers 404 for an unknown id, a released one, and on delete of either', async () => {
    const site = await createSite()
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/spam/999999999/release`, 'POST'),
      404,
      'spam_not_found',
    )
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/spam/999999999`, 'DELETE'),
      404,
      'spam_not_found',
    )
    await postLead(site, leadBody(site, { honeypot: 'x' }))
    const list = (await (await admin(`/v1/admin/sites/${site.siteKey}/spam`, 'GET')).json()) as {
      items: { id: number }[]
    }
    const path = `/v1/admin/sites/${site.siteKey}/spam/${list.items[0]!.id}`
    expect((await admin(`${path}/release`, 'POST')).status).toBe(201)
    await expectProblem(await admin(`${path}/release`, 'POST'), 404, 'spam_not_found')
    await expectProblem(await admin(path, 'DELETE'), 404, 'spam_not_found')
  })

  it('refuses an id that is not a number with a field error, never a 500', async () => {
    const site = await createSite()
    for (const id of ['abc', '-1', '1e3', '9'.repeat(16)]) {
      const problem = await expectProblem(
        await admin(`/v1/admin/sites/${site.siteKey}/spam/${id}/release`, 'POST'),
        422,
        'validation_failed',
      )
      expect(problem.errors?.[0]?.path).toBe('id')
    }
  })
})
