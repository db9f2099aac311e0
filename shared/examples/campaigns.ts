/** Examples of the campaign and report schemas (`../campaigns.ts`), shown in the OpenAPI document. */

export const REPORT_ROW_EXAMPLE = {
  campaign: 'q4-whitepaper',
  currency: 'EUR',
  spend: 120000,
  leads: 40,
  mqls: 12,
  sqls: 5,
  opportunities: 3,
  customers: 2,
  revenue: 1800000,
  cpl: 3000,
  costPerMql: 10000,
  costPerSql: 24000,
  costPerOrder: 60000,
  conversion: {
    leadToMql: 0.3,
    mqlToSql: 0.4167,
    sqlToOpportunity: 0.6,
    opportunityToCustomer: 0.6667,
  },
  medianSalesCycleDays: 41,
}

export const CAMPAIGN_INPUT_EXAMPLE = {
  name: 'Q4 Whitepaper',
  channel: 'paid_social',
  source: 'linkedin',
  medium: 'paid',
}

export const CAMPAIGN_EXAMPLE = {
  campaignKey: 'q4-whitepaper',
  name: 'Q4 Whitepaper',
  channel: 'paid_social',
  source: 'linkedin',
  medium: 'paid',
  createdAt: '2026-10-01T08:00:00.000Z',
  updatedAt: '2026-10-01T08:00:00.000Z',
}

export const SPEND_INPUT_EXAMPLE = {
  entries: [
    { date: '2026-11-01', amount: 40000, currency: 'EUR' },
    { date: '2026-11-02', amount: 38550, currency: 'EUR' },
  ],
}

export const CAMPAIGN_LIST_EXAMPLE = {
  from: '2026-11-01',
  to: '2026-11-30',
  campaigns: [
    {
      ...CAMPAIGN_EXAMPLE,
      stored: true,
      spend: [{ currency: 'EUR', amount: 78550, days: 2 }],
    },
    {
      campaignKey: 'spring-webinar',
      name: null,
      channel: null,
      source: null,
      medium: null,
      stored: false,
      createdAt: null,
      updatedAt: null,
      spend: [],
    },
  ],
  truncated: false,
}

export const SPEND_LIST_EXAMPLE = {
  campaignKey: 'q4-whitepaper',
  from: '2026-11-01',
  to: '2026-11-30',
  entries: [
    { date: '2026-11-01', amount: 40000, currency: 'EUR', updatedAt: '2026-11-03T09:12:00.000Z' },
    { date: '2026-11-02', amount: 38550, currency: 'EUR', updatedAt: '2026-11-03T09:12:00.000Z' },
  ],
}

export const SPEND_RESULT_EXAMPLE = { campaignKey: 'q4-whitepaper', written: 2 }

export const CAMPAIGN_REPORT_EXAMPLE = {
  from: '2026-10-01',
  to: '2026-12-31',
  attribution: 'first',
  rows: [REPORT_ROW_EXAMPLE],
  totals: [{ ...REPORT_ROW_EXAMPLE, campaign: '(total)' }],
}

/** The start of the same report as CSV. */
export const CAMPAIGN_REPORT_CSV_EXAMPLE =
  '"kind","campaign","currency","spend","leads",…\r\n"campaign","q4-whitepaper","EUR","120000","40",…\r\n'
