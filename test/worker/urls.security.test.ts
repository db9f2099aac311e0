import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import {
  call,
  createSite,
  leadBody,
  pageView,
  postEvents,
  postLead,
  TABLES,
  WHITEPAPER_FORM,
} from './helpers'

/** Every table of the schema, not only those the helpers list: a new table is scanned too. */
async function allTables(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table'
       AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'`,
  ).all<{ name: string }>()
  return results.map((r) => r.name)
}

/** The text of every column of every row of `table`, as one string. */
async function dump(table: string): Promise<string> {
  return JSON.stringify((await env.DB.prepare(`SELECT * FROM "${table}"`).all()).results)
}

// docs/consent-and-privacy.md#urls-and-click-ids: of every URL stored only origin and path are
// kept. Found by an outside probe: submissions, the consent ledger and referrers kept the whole
// URL, so `?email=…&token=…` landed in D1.
describe('query strings and fragments at rest', () => {
  it('stores no query value or fragment of any page, referrer, property or asset URL, in any table', async () => {
    const marker = crypto.randomUUID().replaceAll('-', '')
    const email = `leak${marker}@example.org`
    const token = `tok${marker}`
    const fragment = `frag${marker}`
    const assetSecret = `sig${marker}`
    const query = `?email=${encodeURIComponent(email)}&token=${token}#${fragment}`
    const site = await createSite(
      {},
      {
        ...WHITEPAPER_FORM,
        asset: {
          url: `https://cdn.example/whitepaper.pdf?signature=${assetSecret}`,
          filename: 'whitepaper.pdf',
        },
      },
    )
    const visitorId = crypto.randomUUID()
    const page = `${site.origin}/whitepaper${query}`
    const referrer = `https://search.example/results${query}`

    // Touchpoints, anonymous and with consent: page, referrer and a link property.
    for (const batch of [
      { events: [pageView(page, { referrer })] },
      {
        visitorId,
        events: [
          pageView(page, { referrer }),
          pageView(`${site.origin}/pricing${query}`, {
            type: 'cta_click',
            props: { href: `https://shop.example/buy${query}`, label: 'Kaufen' },
          }),
        ],
      },
    ]) {
      const answer = await postEvents(site.origin, { siteKey: site.siteKey, ...batch })
      expect(answer.status).toBe(202)
    }

    // A submission (its page and referrer, its consent ledger entries) that attaches them.
    const submitted = await postLead(
      site,
      leadBody(site, {
        visitorId,
        page: { url: page, referrer },
        consents: [
          {
            purpose: 'marketing_email',
            granted: true,
            textId: site.consentTextIds.marketing_email!,
          },
          { purpose: 'tracking', granted: true, textId: site.consentTextIds.tracking! },
        ],
      }),
    )
    expect(submitted.status).toBe(201)
    const { download } = (await submitted.json()) as LeadSubmissionResult

    // A download: the touchpoint it records names the asset.
    const redeemed = await call(new URL(download!.url).pathname, { redirect: 'manual' })
    expect(redeemed.status).toBe(302)

    const tables = await allTables()
    expect(tables).toEqual(expect.arrayContaining([...TABLES]))
    for (const table of tables) {
      const text = await dump(table)
      for (const value of [marker, encodeURIComponent(email), token, fragment]) {
        // The forms table holds the asset URL as configured (it is where the link redirects to).
        if (table === 'forms' && value === marker) continue
        expect(text, `${table} holds ${value}`).not.toContain(value)
      }
    }
    // The forms table holds no visitor's value; only the configured asset URL has the marker.
    expect(await dump('forms')).not.toContain(token)
    const { results: urls } = await env.DB.prepare(
      `SELECT type, url, referrer, props FROM touchpoints WHERE site_key = ?1 ORDER BY type`,
    )
      .bind(site.siteKey)
      .all()
    expect(urls).toEqual(
      expect.arrayContaining([
        {
          type: 'cta_click',
          url: `${site.origin}/pricing`,
          referrer: null,
          props: JSON.stringify({ href: 'https://shop.example/buy', label: 'Kaufen' }),
        },
        {
          type: 'download',
          url: 'https://cdn.example/whitepaper.pdf',
          referrer: null,
          props: expect.any(String),
        },
        {
          type: 'page_view',
          url: `${site.origin}/whitepaper`,
          referrer: 'https://search.example/results',
          props: null,
        },
      ]),
    )
    const stored = await env.DB.prepare(
      `SELECT s.page_url, s.referrer, (SELECT group_concat(DISTINCT c.page_url) FROM consent_ledger AS c
         WHERE c.site_key = s.site_key AND c.submission_id = s.submission_id) AS ledger_page
       FROM submissions AS s WHERE s.site_key = ?1`,
    )
      .bind(site.siteKey)
      .first()
    expect(stored).toEqual({
      page_url: `${site.origin}/whitepaper`,
      referrer: 'https://search.example/results',
      ledger_page: `${site.origin}/whitepaper`,
    })
  })
})
