import { describe, expect, it } from 'vitest'
import type { CampaignReport, ReportRow } from '../../shared/campaigns'
import { minorDigits, readableReportCsv, scaled } from '../../worker/src/domain/report-readable'

const RATES = { leadToMql: 0.6667, mqlToSql: 0.5, sqlToOpportunity: null, opportunityToCustomer: 1 }

function row(
  campaign: string,
  currency: string | null,
  overrides: Partial<ReportRow> = {},
): ReportRow {
  return {
    campaign,
    currency,
    spend: 123456,
    leads: 3,
    mqls: 2,
    sqls: 1,
    opportunities: 0,
    customers: 0,
    revenue: 0,
    cpl: 41152,
    costPerMql: 61728,
    costPerSql: 123456,
    costPerOrder: null,
    conversion: RATES,
    medianSalesCycleDays: 20.5,
    ...overrides,
  }
}

const REPORT: CampaignReport = {
  from: '2026-11-01',
  to: '2026-11-30',
  attribution: 'first',
  rows: [
    row('q4', 'EUR'),
    row('=HYPERLINK("x")', 'JPY', { spend: 5000, cpl: 1667, costPerMql: 2500, costPerSql: 5000 }),
    row('(none)', null, {
      spend: null,
      revenue: null,
      cpl: null,
      costPerMql: null,
      costPerSql: null,
    }),
  ],
  totals: [row('(total)', 'EUR', { spend: 5, medianSalesCycleDays: null })],
}

describe('readable CSV', () => {
  it('writes exact major units, without floating point', () => {
    expect(scaled(123456, 2, false)).toBe('1234.56')
    expect(scaled(5, 2, true)).toBe('0,05')
    expect(scaled(9_007_199_254_740_991, 2, false)).toBe('90071992547409.91')
    expect(scaled(5000, 0, true)).toBe('5000')
    expect(scaled(1234, 3, false)).toBe('1.234')
    expect(minorDigits('EUR')).toBe(2)
    expect(minorDigits('JPY')).toBe(0)
    expect(minorDigits('KWD')).toBe(3)
  })

  it('in English: commas, decimal points, words, names beside keys, BOM', () => {
    const csv = readableReportCsv(REPORT, {
      lang: 'en',
      stageModel: 'b2b',
      names: new Map([['q4', 'Q4 Whitepaper']]),
    })
    expect(csv.startsWith('\uFEFF')).toBe(true)
    const lines = csv.slice(1).split('\r\n')
    expect(lines).toEqual([
      '"Campaign","Campaign key","Currency","Spend","Leads","MQLs","SQLs","Opportunities","Customers","Revenue","Cost per lead","Cost per MQL","Cost per SQL","Cost per order","Lead → MQL (%)","MQL → SQL (%)","SQL → Opportunity (%)","Opportunity → Customer (%)","Median sales cycle (days)"',
      '"Q4 Whitepaper","q4","EUR",1234.56,3,2,1,0,0,0.00,411.52,617.28,1234.56,,66.67,50.00,,100.00,20.5',
      `"'=HYPERLINK(""x"")","'=HYPERLINK(""x"")","JPY",5000,3,2,1,0,0,0,1667,2500,5000,,66.67,50.00,,100.00,20.5`,
      '"(no campaign)","","",,3,2,1,0,0,,,,,,66.67,50.00,,100.00,20.5',
      '"Total","","EUR",0.05,3,2,1,0,0,0.00,411.52,617.28,1234.56,,66.67,50.00,,100.00,',
      '',
    ])
  })

  it('in German: semicolons, decimal commas, German words, b2c stage names', () => {
    const csv = readableReportCsv(REPORT, { lang: 'de', stageModel: 'b2c', names: new Map() })
    const [header, first, , none, total] = csv.slice(1).split('\r\n')
    expect(header).toBe(
      '"Kampagne";"Kampagnenschlüssel";"Währung";"Ausgaben";"Leads";"Engagiert";"Interessiert";"Bedarf erkannt";"Kunden";"Umsatz";"Kosten pro Lead";"Kosten pro Engagiert";"Kosten pro Interessiert";"Kosten pro Auftrag";"Lead → Engagiert (%)";"Engagiert → Interessiert (%)";"Interessiert → Bedarf erkannt (%)";"Bedarf erkannt → Kunde (%)";"Median Verkaufszyklus (Tage)"',
    )
    expect(first).toBe(
      '"q4";"q4";"EUR";1234,56;3;2;1;0;0;0,00;411,52;617,28;1234,56;;66,67;50,00;;100,00;20,5',
    )
    expect(none!.startsWith('"(ohne Kampagne)";"";"";;3')).toBe(true)
    expect(total!.startsWith('"Gesamt";"";"EUR";0,05;')).toBe(true)
  })
})
