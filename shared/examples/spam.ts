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
    },
  ],
  nextCursor: null,
}
