import { describe, expect, it } from 'vitest'
import { admin, createSite, leadBody, postLead, type TestSite } from '../helpers'
import { day, FROM, putSpend, report, TO } from './campaign-data'

async function readable(site: TestSite, extra: string) {
  const response = await admin(
    `/v1/admin/sites/${site.siteKey}/reports/campaigns?from=${FROM}&to=${TO}&format=readable-csv${extra}`,
    'GET',
  )
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) }
}

describe('GET .../reports/campaigns?format=readable-csv', () => {
  it('gives the report’s figures in words and major units, in German and English', async () => {
    const site = await createSite({ locale: 'de' })
    const named = await admin(`/v1/admin/sites/${site.siteKey}/campaigns/q4-whitepaper`, 'PUT', {
      name: 'Q4 Whitepaper (Köln)',
    })
    expect(named.status).toBe(201)
    await putSpend(site, 'q4-whitepaper', [
      { date: day(-2), amount: 123456, currency: 'EUR' },
      { date: day(-1), amount: 7, currency: 'EUR' },
    ])
    for (const email of ['a@firma.de', 'b@firma.de', 'c@firma.de']) {
      const body = leadBody(site, {
        fields: { email, firstName: 'A', lastName: 'B' },
        utm: { source: 'linkedin', medium: 'paid', campaign: 'q4-whitepaper' },
      })
      expect((await postLead(site, body)).status).toBe(201)
    }
    const json = await report(site, 'first')
    const row = json.rows[0]!
    expect(row).toMatchObject({ campaign: 'q4-whitepaper', spend: 123463, leads: 3, cpl: 41154 })

    // The site's language by default: German.
    const de = await readable(site, '')
    expect([...de.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(de.response.headers.get('content-disposition')).toBe(
      `attachment; filename="campaigns-${site.siteKey}-first-${FROM}-${TO}-de.csv"`,
    )
    const deLines = new TextDecoder().decode(de.bytes).split('\r\n')
    expect(deLines[0]!.split(';').slice(0, 5)).toEqual([
      '"Kampagne"',
      '"Kampagnenschlüssel"',
      '"Währung"',
      '"Ausgaben"',
      '"Leads"',
    ])
    expect(deLines[1]!.split(';').slice(0, 5)).toEqual([
      '"Q4 Whitepaper (Köln)"',
      '"q4-whitepaper"',
      '"EUR"',
      '1234,63',
      '3',
    ])
    // CPL 411.54 EUR; lead → MQL 0 %.
    expect(deLines[1]!.split(';')[10]).toBe('411,54')
    expect(deLines[1]!.split(';')[14]).toBe('0,00')
    expect(deLines.at(-2)!.startsWith('"Gesamt";"";"EUR";1234,63;3;')).toBe(true)

    const en = await readable(site, '&lang=en')
    const enLines = new TextDecoder().decode(en.bytes).split('\r\n')
    expect(enLines[0]!.startsWith('"Campaign","Campaign key","Currency","Spend","Leads"')).toBe(
      true,
    )
    expect(enLines[1]!.split(',').slice(0, 5)).toEqual([
      '"Q4 Whitepaper (Köln)"',
      '"q4-whitepaper"',
      '"EUR"',
      '1234.63',
      '3',
    ])
    expect(enLines).toHaveLength(json.rows.length + json.totals.length + 2)
  })

  it('names the b2c stages in the headers of a b2c site', async () => {
    const site = await createSite({ locale: 'en', stageModel: 'b2c' })
    const { bytes } = await readable(site, '')
    const header = new TextDecoder().decode(bytes).split('\r\n')[0]!
    expect(header).toContain('"Engaged","Interested","Need recognised","Customers"')
  })
})
