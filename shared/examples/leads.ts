/** Examples of the lead schemas (`../leads.ts`): lead Anna Berg of site `acme`. */

export const LEAD_ID_EXAMPLE = '7c9e6679-7425-40de-944b-e07fc1f90ae7'

export const SUBMISSION_ID_EXAMPLE = '3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f'

export const FIELDS_EXAMPLE = {
  email: 'anna.berg@firma.example',
  firstName: 'Anna',
  lastName: 'Berg',
  company: 'Firma GmbH',
  jobTitle: 'Geschäftsführerin',
  employees: '50–249',
}

export const UTM_EXAMPLE = { source: 'linkedin', medium: 'paid', campaign: 'q4-whitepaper' }

export const FIRST_TOUCH_EXAMPLE = { ...UTM_EXAMPLE, at: '2026-11-03T09:12:41.000Z' }

export const PAGE_URL_EXAMPLE = 'https://www.acme.example/whitepaper-2026'

/** A lead's first two rule steps, shown in the lead detail and the stage-change answer. */
export const STAGE_HISTORY_EXAMPLE = [
  {
    from: null,
    to: 'lead',
    cause: 'rule',
    ruleId: 'b2b.lead',
    tokenId: null,
    reason: null,
    value: null,
    at: '2026-11-03T09:15:00.000Z',
  },
  {
    from: 'lead',
    to: 'mql',
    cause: 'rule',
    ruleId: 'b2b.mql',
    tokenId: null,
    reason: null,
    value: null,
    at: '2026-11-10T14:21:37.000Z',
  },
]

export const LEAD_SUMMARY_EXAMPLE = {
  leadId: LEAD_ID_EXAMPLE,
  email: FIELDS_EXAMPLE.email,
  firstName: FIELDS_EXAMPLE.firstName,
  lastName: FIELDS_EXAMPLE.lastName,
  company: FIELDS_EXAMPLE.company,
  stage: 'mql',
  temperature: 'hot',
  complete: true,
  missing: [],
  score: 53.7,
  conversionProbability: 0.42,
  conversionFactors: [
    '+0.8 submitted a demo_request form',
    '+0.5 engaged 14 min',
    '+0.3 consent to marketing_email',
    '-0.4 no phone',
  ],
  firstTouch: FIRST_TOUCH_EXAMPLE,
  lastTouch: FIRST_TOUCH_EXAMPLE,
  createdAt: '2026-11-03T09:15:00.000Z',
  updatedAt: '2026-11-10T14:21:37.000Z',
}

export const LEAD_SUBMISSION_EXAMPLE = {
  siteKey: 'acme',
  formId: 'whitepaper-2026',
  submissionId: SUBMISSION_ID_EXAMPLE,
  visitorId: '64b42d45-e9b8-446e-9b69-83523fe24127',
  fields: FIELDS_EXAMPLE,
  consents: [
    { purpose: 'marketing_email', granted: true, textId: 'ct_VUogJhiVntyvcBCT' },
    { purpose: 'tracking', granted: true, textId: 'ct_YoGbtQZ_agbwGp60' },
  ],
  page: { url: PAGE_URL_EXAMPLE, referrer: 'https://www.linkedin.com/' },
  utm: UTM_EXAMPLE,
  honeypot: '',
  startToken:
    'eyJrIjoic3RhcnQiLCJzIjoiYWNtZSIsImYiOiJ3aGl0ZXBhcGVyLTIwMjYiLCJ0IjoxNzkzNjk3MjQyMDAwfQ.2azFvvE13ydKRQwbk_1teZAYVqWOfltAixwuUkZK_Rk',
  locale: 'de',
}

export const LEAD_SUBMISSION_RESULT_EXAMPLE = {
  leadId: LEAD_ID_EXAMPLE,
  stage: 'lead',
  temperature: 'warm',
  complete: true,
  missing: [],
  download: {
    url: 'https://collector.acme.example/v1/downloads/eyJzIjoiYWNtZSIsInN1YiI6IjNmMmI4YzFlLTVkNGEtNGU3Yi05YzZmLTBhMWIyYzNkNGU1ZiIsImV4cCI6MTc5Mzc4MzcwMH0.eAPmEuurjirEgBBide8Y7yXf1gv1IWusGwRo1cMYgLU',
    filename: 'whitepaper-2026.pdf',
    expiresAt: '2026-11-04T09:15:00.000Z',
  },
  receiptUrl: 'https://collector.acme.example/v1/consent/QykxTNAsJXZDQxf0CSpCDHZsocUtp5QW',
}

export const LEAD_LIST_EXAMPLE = {
  leads: [LEAD_SUMMARY_EXAMPLE],
  total: 1,
  nextCursor:
    'WyItY3JlYXRlZCIsIjIwMjYtMTEtMDNUMDk6MTU6MDAuMDAwWiIsIjdjOWU2Njc5LTc0MjUtNDBkZS05NDRiLWUwN2ZjMWY5MGFlNyJd',
}

/** A lead's journey, newest first. */
const JOURNEY_ITEMS_EXAMPLE = [
  {
    id: 'e0c7a3d2-8b41-4f6e-a5d9-2c1b0f9e8d7a',
    type: 'page_view',
    ts: '2026-11-10T14:20:12.000Z',
    url: 'https://www.acme.example/preise',
    referrer: null,
    utm: { source: null, medium: null, campaign: null },
    formId: null,
    value: null,
    pageViewId: null,
  },
  {
    id: '5a0d9e3f-7c2b-4e81-b6a4-0f3c2d1e9b8a',
    type: 'engaged_time',
    ts: '2026-11-03T09:13:23.000Z',
    url: PAGE_URL_EXAMPLE,
    referrer: 'https://www.linkedin.com/',
    utm: { source: null, medium: null, campaign: null },
    formId: null,
    value: 42,
    pageViewId: 'f162379a-991c-433d-ac63-7e8ad2fd326d',
  },
  {
    id: 'f162379a-991c-433d-ac63-7e8ad2fd326d',
    type: 'page_view',
    ts: '2026-11-03T09:12:41.000Z',
    url: `${PAGE_URL_EXAMPLE}?utm_source=linkedin&utm_medium=paid&utm_campaign=q4-whitepaper`,
    referrer: 'https://www.linkedin.com/',
    utm: UTM_EXAMPLE,
    formId: null,
    value: null,
    pageViewId: null,
  },
]

export const JOURNEY_PAGE_EXAMPLE = {
  journey: JOURNEY_ITEMS_EXAMPLE,
  nextCursor: 'WyIyMDI2LTExLTAzVDA5OjEyOjQxLjAwMFoiLDQyXQ',
}

export const LEAD_DETAIL_EXAMPLE = {
  ...LEAD_SUMMARY_EXAMPLE,
  fields: FIELDS_EXAMPLE,
  score: {
    fit: 35,
    engagement: 18.7,
    total: 53.7,
    reasons: [
      '+20 decision maker (Geschäftsführerin)',
      '+10 business email domain firma.example',
      '+5 company given (Firma GmbH)',
      '+5 viewed pricing page /preise once on 2026-11-10',
      '+3 came back on 2026-11-10',
      "+10 downloaded 'Whitepaper 2026: Vertrieb im Maschinenbau'",
      '+1 viewed 1 page on 2026-11-03',
    ],
  },
  journey: JOURNEY_ITEMS_EXAMPLE,
  journeyNextCursor: null,
  submissions: [
    {
      submissionId: SUBMISSION_ID_EXAMPLE,
      formId: 'whitepaper-2026',
      fields: FIELDS_EXAMPLE,
      pageUrl: PAGE_URL_EXAMPLE,
      createdAt: '2026-11-03T09:15:00.000Z',
    },
  ],
  consents: [
    {
      id: 812,
      purpose: 'marketing_email',
      status: 'granted',
      method: 'checkbox',
      textId: 'ct_VUogJhiVntyvcBCT',
      textSha256: '4d92e8e453bf999b09d7ba0bdab564cde6ac24428e9083c62a47dae4481dca5c',
      formId: 'whitepaper-2026',
      pageUrl: PAGE_URL_EXAMPLE,
      network: '203.0.113.0/24',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
      createdAt: '2026-11-03T09:15:00.000Z',
    },
  ],
  stageHistory: STAGE_HISTORY_EXAMPLE,
}

export const STAGE_CHANGE_INPUT_EXAMPLE = {
  stage: 'customer',
  reason: 'Rahmenvertrag unterschrieben',
  value: { amount: 1800000, currency: 'EUR' },
}

/** The answer to setting lead Anna Berg to `customer` by hand. */
export const STAGE_CHANGE_RESULT_EXAMPLE = {
  leadId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  stage: 'customer',
  stageHistory: [
    ...STAGE_HISTORY_EXAMPLE,
    {
      from: 'mql',
      to: 'customer',
      cause: 'manual',
      ruleId: null,
      tokenId: 'tok_Q2xBn7rT0pLs',
      reason: 'Rahmenvertrag unterschrieben',
      value: { amount: 1800000, currency: 'EUR' },
      at: '2026-12-15T11:05:00.000Z',
    },
  ],
}
