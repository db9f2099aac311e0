/** Examples of the consent schemas (`../consent.ts`): the receipt of lead Anna Berg of site `acme`. */

export const MARKETING_SHA256_EXAMPLE =
  '4d92e8e453bf999b09d7ba0bdab564cde6ac24428e9083c62a47dae4481dca5c'

export const TRACKING_SHA256_EXAMPLE =
  '81e384b83023f9bbecafa96657902110ffda1fe34bd77aba10f16e4bca52fc8c'

export const CONSENT_RECEIPT_EXAMPLE = {
  email: 'anna.berg@firma.example',
  site: 'Acme Maschinenbau GmbH',
  current: [
    { purpose: 'marketing_email', status: 'granted', textSha256: MARKETING_SHA256_EXAMPLE },
    { purpose: 'tracking', status: 'withdrawn', textSha256: TRACKING_SHA256_EXAMPLE },
  ],
  entries: [
    {
      purpose: 'marketing_email',
      status: 'granted',
      method: 'checkbox',
      text: 'Ja, ich möchte per E-Mail Informationen der Acme Maschinenbau GmbH zu Produkten und Veranstaltungen erhalten. Die Einwilligung kann ich jederzeit widerrufen.',
      textVersion: 1,
      textSha256: MARKETING_SHA256_EXAMPLE,
      formId: 'whitepaper-2026',
      pageUrl: 'https://www.acme.example/whitepaper-2026',
      at: '2026-11-03T09:15:00.000Z',
    },
    {
      purpose: 'tracking',
      status: 'granted',
      method: 'checkbox',
      text: 'Ich bin mit der Auswertung meines Besuchs einverstanden.',
      textVersion: 1,
      textSha256: TRACKING_SHA256_EXAMPLE,
      formId: 'whitepaper-2026',
      pageUrl: 'https://www.acme.example/whitepaper-2026',
      at: '2026-11-03T09:15:00.000Z',
    },
    {
      purpose: 'tracking',
      status: 'withdrawn',
      method: 'link',
      text: 'Ich bin mit der Auswertung meines Besuchs einverstanden.',
      textVersion: 1,
      textSha256: TRACKING_SHA256_EXAMPLE,
      formId: null,
      pageUrl: null,
      at: '2026-11-20T18:42:09.000Z',
    },
  ],
}

export const WITHDRAW_INPUT_EXAMPLE = { purposes: ['marketing_email'] }

export const WITHDRAW_RESULT_EXAMPLE = { withdrawn: ['marketing_email'] }

export const CONSENT_CONFIRMED_EXAMPLE = { confirmed: true }
