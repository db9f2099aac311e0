/** Examples of the history import schemas (`../import.ts`), shown in the OpenAPI document. */

export const IMPORT_BATCH_EXAMPLE = {
  leads: [
    {
      externalId: 'crm-10042',
      createdAt: '2026-03-02T09:15:00Z',
      formId: 'whitepaper',
      fields: {
        email: 'jana.schulz@example.com',
        firstName: 'Jana',
        lastName: 'Schulz',
        company: 'Acme GmbH',
        jobTitle: 'Head of Marketing',
      },
      utm: { source: 'linkedin', medium: 'paid', campaign: 'q1-whitepaper' },
      consents: [{ purpose: 'marketing_email', granted: true, at: '2026-03-02T09:15:00Z' }],
      touchpoints: [
        { type: 'page_view', at: '2026-02-27T14:02:00Z', url: 'https://www.example.com/pricing' },
        {
          type: 'download',
          at: '2026-03-02T09:16:00Z',
          url: 'https://www.example.com/whitepaper',
          formId: 'whitepaper',
        },
      ],
      outcome: {
        stage: 'customer',
        at: '2026-05-20T16:00:00Z',
        value: { amount: 1200000, currency: 'EUR' },
      },
    },
  ],
}

export const IMPORT_RESULT_EXAMPLE = {
  created: 1,
  updated: 0,
  unchanged: 0,
  touchpoints: 2,
  duplicates: 0,
}
