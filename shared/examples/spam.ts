/** Examples of the spam-list schemas (`../spam.ts`), shown in the OpenAPI document. */

export const SPAM_LIST_EXAMPLE = {
  items: [
    {
      id: 1042,
      reason: 'disposable',
      formId: 'whitepaper-2026',
      emailDomain: 'mailinator.com',
      fields: ['email', 'firstName'],
      createdAt: '2026-11-22T08:00:00.000Z',
      releasable: true,
      values: { email: 'temp@mailinator.com', firstName: 'Tom' },
    },
  ],
  nextCursor: null,
}

export const SPAM_RELEASED_EXAMPLE = {
  leadId: '0b5c8c9e-6f1e-4d59-9a57-3f0c2a8a1d11',
  released: true,
  stage: 'lead',
  complete: false,
}
