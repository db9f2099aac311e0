/** Site `acme` as the examples of the admin API show it. */
export const SITE_INPUT_EXAMPLE = {
  name: 'Acme Maschinenbau GmbH',
  allowedOrigins: ['https://www.acme.example', 'https://acme.example'],
  locale: 'de',
  country: 'DE',
  stageModel: 'b2b',
  requiredFields: ['email', 'firstName', 'lastName', 'company', 'jobTitle'],
  rules: { mqlThreshold: 15, sqlThreshold: 35, pricingPaths: ['/preise', '/preise/*'] },
  retentionDays: 396,
  turnstile: false,
  accentColor: '#c2410c',
  theme: { accent: '#c2410c', border: '#6b6b6b', radius: '8px', font: 'Inter, sans-serif' },
  model: { minPositives: 50, negativeAfterDays: 90 },
} as const

export const SITE_EXAMPLE = {
  siteKey: 'acme',
  ...SITE_INPUT_EXAMPLE,
  createdAt: '2026-09-15T10:00:00.000Z',
  updatedAt: '2026-10-01T08:30:00.000Z',
}

export const TOKEN_INPUT_EXAMPLE = { scopes: ['leads:read', 'reports:read'], name: 'CRM-Sync' }

export const TOKEN_CREATED_EXAMPLE = {
  id: 'tok_xqAaWJ8s24lS',
  token: 'lst_MYfpBKMsQOTTlbgfX8vFGc9MLxqyMHXkEV7rkjVcwbo',
  scopes: ['leads:read', 'reports:read'],
  name: 'CRM-Sync',
  createdAt: '2026-10-01T08:45:00.000Z',
}

export const TOKEN_REVOKED_EXAMPLE = {
  id: 'tok_Qm9yZ2VuMjAy',
  revokedAt: '2026-11-24T10:00:00.000Z',
}
