import { afterEach, describe, expect, it, vi } from 'vitest'
import { env } from 'cloudflare:workers'
import { admin, createSite, expectProblem, rowCounts, scopedToken } from '../helpers'
import { countRows, daysAgo, historyLead, importCsv, importedLead, importJson } from './import-data'

afterEach(() => vi.restoreAllMocks())

describe('POST /v1/admin/sites/{siteKey}/import is guarded', () => {
  it('refuses another site’s token, narrower scopes and no token, writing nothing', async () => {
    const site = await createSite()
    const other = await createSite()
    const body = { leads: [historyLead(site)] }
    const before = await rowCounts()
    const foreign = await scopedToken(other.siteKey, ['site:admin'])
    await expectProblem(await importJson(site.siteKey, body, foreign), 403, 'forbidden')
    await expectProblem(
      await importCsv(site.siteKey, 'external_id,created_at\n', { token: foreign }),
      403,
      'forbidden',
    )
    for (const scopes of [['leads:write'], ['leads:read', 'reports:read', 'campaigns:write']]) {
      const narrow = await scopedToken(site.siteKey, scopes)
      await expectProblem(await importJson(site.siteKey, body, narrow), 403, 'forbidden')
    }
    await expectProblem(
      await importJson(site.siteKey, body, 'not-a-real-token-0123456789'),
      401,
      'unauthorized',
    )
    // Tokens were made above; nothing else was written.
    const after = await rowCounts()
    expect({ ...after, tokens: 0 }).toEqual({ ...before, tokens: 0 })
  })

  it('takes the site’s own admin token and records it as who set the outcome', async () => {
    const site = await createSite()
    const token = await scopedToken(site.siteKey, ['site:admin'])
    const response = await importJson(site.siteKey, { leads: [historyLead(site)] }, token)
    expect(response.status).toBe(200)
    const detail = await importedLead(site, 'crm-1')
    const won = detail.stageHistory.find((step) => step.to === 'customer')
    expect(won?.tokenId).toMatch(/^tok_/)
    expect(won?.tokenId).not.toBe('root')
  })

  it('keeps external ids per site: the same id on two sites is two leads, each on its own site', async () => {
    const a = await createSite()
    const b = await createSite()
    await importJson(a.siteKey, { leads: [historyLead(a, 'shared-id')] })
    await importJson(b.siteKey, { leads: [historyLead(b, 'shared-id')] })
    expect(
      await countRows(
        'SELECT count(*) AS n FROM leads WHERE external_id = ?1 AND site_key IN (?2, ?3)',
        'shared-id',
        a.siteKey,
        b.siteKey,
      ),
    ).toBe(2)
    // A touchpoint CSV of site b never reaches site a's lead.
    const csv = `external_id,type,at,url\nshared-id,page_view,${daysAgo(4)},${b.origin}/x\n`
    const response = await importCsv(b.siteKey, csv, { part: 'touchpoints' })
    expect(response.status).toBe(200)
    expect((await importedLead(a, 'shared-id')).journey).toHaveLength(5)
    expect((await importedLead(b, 'shared-id')).journey).toHaveLength(6)
  })

  it('writes no personal data to the logs, on success or refusal', async () => {
    const site = await createSite()
    const lines: string[] = []
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(
          args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '),
        )
      })
    const lead = {
      ...historyLead(site, 'secret-ext-id'),
      fields: {
        email: 'geheim.person@beispiel.de',
        firstName: 'Geheimnis',
        phone: '+49 30 1234567',
      },
    }
    expect((await importJson(site.siteKey, { leads: [lead] })).status).toBe(200)
    const bad = { ...lead, externalId: 'other', fields: { ...lead.fields, phone: 'Geheimnis 123' } }
    await importJson(site.siteKey, { leads: [bad] })
    await importCsv(
      site.siteKey,
      `external_id,created_at,email\nx,${daysAgo(2)},geheim.zwei@beispiel\n`,
    )
    const logged = lines.join('\n')
    for (const secret of ['geheim', 'Geheimnis', '1234567', 'secret-ext-id'])
      expect(logged).not.toContain(secret)
  })

  it('forgets the external id when the lead is erased', async () => {
    const site = await createSite()
    await importJson(site.siteKey, { leads: [historyLead(site, 'to-erase')] })
    const { leadId } = await importedLead(site, 'to-erase')
    const erased = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'DELETE')
    expect(erased.status).toBe(200)
    const row = await env.DB.prepare('SELECT external_id, email FROM leads WHERE id = ?1')
      .bind(leadId)
      .first()
    expect(row).toEqual({ external_id: null, email: null })
  })

  it('refuses CSV columns that would reach an object prototype, and pollutes nothing', async () => {
    const site = await createSite()
    for (const column of ['__proto__.polluted', 'constructor.polluted', 'a.b']) {
      const csv = `external_id,created_at,email,${column}\ncrm-p,${daysAgo(5)},p@beispiel.de,admin\n`
      const problem = await expectProblem(await importCsv(site.siteKey, csv), 422)
      expect((problem.errors ?? []).map((e) => e.path)).toEqual([`rows.1.${column}`])
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    }
    const wide = `external_id,created_at,${Array.from({ length: 120 }, (_, i) => `c${i}`).join(',')}\n`
    await expectProblem(await importCsv(site.siteKey, wide), 422)
    expect(
      await countRows('SELECT count(*) AS n FROM leads WHERE site_key = ?1', site.siteKey),
    ).toBe(0)
  })

  it('never lets an older imported consent override a newer answer in the ledger', async () => {
    const site = await createSite()
    const lead = {
      ...historyLead(site, 'crm-c'),
      consents: [{ purpose: 'marketing_email', granted: false, at: daysAgo(10) }],
    }
    expect((await importJson(site.siteKey, { leads: [lead] })).status).toBe(200)
    const older = {
      ...lead,
      consents: [{ purpose: 'marketing_email', granted: true, at: daysAgo(100) }],
    }
    expect((await importJson(site.siteKey, { leads: [older] })).status).toBe(200)
    const { leadId } = await importedLead(site, 'crm-c')
    const rows = await env.DB.prepare(
      'SELECT status FROM consent_ledger WHERE lead_id = ?1 ORDER BY id',
    )
      .bind(leadId)
      .all<{ status: string }>()
    expect(rows.results.map((r) => r.status)).toEqual(['withdrawn'])
  })

  it('refuses one email under two external ids in one request', async () => {
    const site = await createSite()
    const first = historyLead(site, 'crm-a')
    const second = { ...historyLead(site, 'crm-b'), fields: { ...first.fields } }
    const problem = await expectProblem(
      await importJson(site.siteKey, { leads: [first, second] }),
      422,
    )
    expect((problem.errors ?? []).map((e) => e.path)).toEqual(['leads.1.fields.email'])
    expect(
      await countRows('SELECT count(*) AS n FROM leads WHERE site_key = ?1', site.siteKey),
    ).toBe(0)
  })
})
